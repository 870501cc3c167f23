package io.maestro.sources.imports;

import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Reconciler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A file format of imports (terraform, ansible, maestro): turns a parsed file into observations by
 * collection, nothing more (get → transform); matching, writing and history are the reconciler's.
 * A file it cannot read at all is refused with a {@link io.maestro.core.ProblemException} (400
 * naming the field); values it cannot use go to {@link Read#problems} and the rest imports.
 */
public interface ImportFormat {
    /** The {@code format} parameter: terraform, ansible, maestro. */
    String name();

    /** How its observations find their records: by key, or (Ansible facts) servers by hostname. */
    default Reconciler.Match match() {
        return Reconciler.Match.KEY;
    }

    /** {@code datacenterId} may be null: the import names no datacenter. */
    Read read(Object file, UUID datacenterId);

    /** What a file holds: observations by collection, in the order they are reconciled; resources of other types counted as skipped. */
    final class Read {
        public final Map<String, List<Observation>> observations = new LinkedHashMap<>();
        public final List<Problem> problems = new ArrayList<>();
        public long skipped;

        public void add(String collection, Observation o) {
            observations.computeIfAbsent(collection, c -> new ArrayList<>()).add(o);
        }
    }
}
