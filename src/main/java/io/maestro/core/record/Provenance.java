package io.maestro.core.record;

import io.maestro.core.schema.Field;

import java.util.List;
import java.util.function.Supplier;

import static io.maestro.core.schema.Field.Provenance.SOURCE;
import static io.maestro.core.schema.Field.Provenance.STATUS;

/**
 * Where every inventory record comes from (sources.md, "Provenance"): {@code source}, the source's
 * own id {@code external_id}, when a source last saw it, whether it went stale, and whether a person's
 * value differs from what the source reports ({@code drift}). They are schema fields of every kind,
 * so they are columns (live and version tables), filters, OpenAPI properties and part of exports and
 * history like any field; people never write them.
 */
public final class Provenance {
    public static final String MANUAL = "manual";

    /** Set while a source (discovery, an import) writes: only then are source and external_id taken from the input. */
    private static final ThreadLocal<Boolean> SOURCE_WRITING = ThreadLocal.withInitial(() -> false);

    private Provenance() {
    }

    static List<Field> fields() {
        // times as ISO-8601 text (Renderer.time): they sort and compare as instants, the same on H2 and PostgreSQL
        return List.of(
                Field.object("source",
                        Field.string("type").maxLength(16).provenance(SOURCE),
                        Field.string("name").maxLength(255).provenance(SOURCE),
                        Field.string("id").maxLength(64).provenance(SOURCE),
                        Field.string("address").maxLength(1024).provenance(SOURCE)),
                Field.string("external_id").maxLength(1024).provenance(SOURCE),
                Field.string("last_seen_at").maxLength(30).provenance(STATUS),
                Field.bool("stale").provenance(STATUS),
                Field.string("stale_since").maxLength(30).provenance(STATUS),
                Field.string("missing_since").maxLength(30).provenance(STATUS),
                Field.bool("drift").provenance(STATUS));
    }

    /**
     * Runs {@code write} as a source's write: the one way source and external_id get into a record.
     * A thread-bound flag rather than a parameter, so the write services keep their signatures.
     */
    public static <T> T asSource(Supplier<T> write) {
        boolean before = SOURCE_WRITING.get();
        SOURCE_WRITING.set(true);
        try {
            return write.get();
        } finally {
            SOURCE_WRITING.set(before);
        }
    }

    public static boolean sourceWriting() {
        return SOURCE_WRITING.get();
    }

    /**
     * The value a provenance field gets on a write: a source's own (when a source writes a SOURCE
     * field), else what is stored, else the default of a new record (manual, not stale, no drift).
     */
    static Object onWrite(String path, Field f, Object stored) {
        if (stored != null) return stored;
        if (path.equals("source.type")) return MANUAL;
        if (f.type == Field.Type.BOOLEAN) return Boolean.FALSE;
        return null;
    }
}
