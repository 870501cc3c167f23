package io.maestro.sources.imports;

import io.maestro.core.Json;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Reconciler;

import java.io.IOException;
import java.io.InputStream;
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

    /** Where a reader hands what it reads, as it reads it. */
    interface Sink {
        void add(String collection, Observation o);

        void problem(Problem p);

        void skipped(long count);
    }

    /**
     * Reads the file from {@code in} (the import's size limit applies), handing observations to
     * {@code sink}. A format whose files are one small tree (Ansible facts) parses it whole:
     * this default. One whose files are long lists (Maestro's export, a Terraform state) reads a record at a time, so
     * the file never has to fit in memory.
     */
    default void read(InputStream in, UUID datacenterId, Sink sink) throws IOException {
        Read read = read(Json.parse(in.readAllBytes()), datacenterId);
        read.observations.forEach((collection, list) -> list.forEach(o -> sink.add(collection, o)));
        read.problems.forEach(sink::problem);
        sink.skipped(read.skipped);
    }

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
