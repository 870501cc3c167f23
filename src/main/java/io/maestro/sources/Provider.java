package io.maestro.sources;

import java.util.List;
import java.util.function.Consumer;

/**
 * A discovery provider (aws, ...): reads a cloud API and turns what it finds into observations
 * (get → transform), nothing more; matching, writing and staleness are the reconciler's.
 */
public interface Provider {
    /** The {@code provider} value of a connection: {@code aws}. */
    String name();

    /**
     * The kinds it can read, by collection (servers, databases, loadbalancers), in the order a run
     * reads them: a kind whose observations link to another's records comes after it.
     */
    List<String> resources();

    /** Whether {@code region} is one of the provider's. */
    boolean knownRegion(String region);

    /** Where and as whom to read: the connection with its secret opened. */
    record Target(String accessKeyId, String secretAccessKey, String endpointUrl, java.util.UUID datacenterId) {
        @Override
        public String toString() {
            return "Target[" + accessKeyId + ", " + endpointUrl + "]"; // never the secret
        }
    }

    /** {@code ok} false with a plain reason when the endpoint cannot be reached or refuses the credentials. */
    record Check(boolean ok, String detail) {
    }

    Check test(Target target, List<String> regions);

    /**
     * Reads one resource type in one region a page at a time: each page's observations go to
     * {@code page} (which throws to stop the read, e.g. when the run is cancelled), values that could
     * not be read to {@code problems}. Throws when the region cannot be read (the run is then partial).
     */
    void read(Target target, String resource, String region, Consumer<List<Observation>> page, Consumer<Problem> problems);
}
