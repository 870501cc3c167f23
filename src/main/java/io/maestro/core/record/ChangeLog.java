package io.maestro.core.record;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Receives every change of every record, inside the transaction of the change (implemented by
 * the history module). {@code doc} is the record as the API now shows it, null after a delete.
 */
public interface ChangeLog {
    void record(Kind kind, UUID id, String action, String actor, Map<String, Object> doc, OffsetDateTime at);
}
