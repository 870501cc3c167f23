package io.maestro.core.record;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Receives every change of every record, inside the transaction of the change (implemented by
 * the history module). {@code doc} is the record as the API now shows it, null after a delete.
 */
public interface ChangeLog {
    /**
     * One record's change; {@code doc} is null for a delete (called before the row goes).
     * {@code row} is the stored row the doc was rendered from, when the caller has it at hand.
     */
    record Change(UUID id, String action, Map<String, Object> doc, Row row) {
        public Change(UUID id, String action, Map<String, Object> doc) {
            this(id, action, doc, null);
        }
    }

    void recordAll(Kind kind, List<Change> changes, String actor, OffsetDateTime at);

    default void record(Kind kind, UUID id, String action, String actor, Map<String, Object> doc, OffsetDateTime at) {
        recordAll(kind, List.of(new Change(id, action, doc)), actor, at);
    }
}
