package io.maestro.core.record;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hears every committed-to-be change of every record, inside its transaction, after the change
 * log (history) wrote it: single writes, bulk, restore and the automatic changes they cause all
 * pass there. What a listener writes commits or rolls back with the change (the webhook outbox).
 * Core knows only this interface; features implement it.
 */
public interface RecordChangeListener {
    /**
     * One record's change. {@code record} is the document as every reader sees it (secrets as
     * {@code has_secret}), the last version for a delete; {@code changes} the changed fields as in
     * history ({@code field, old, new}; secrets as {@code "***"}), for a create its first version.
     */
    record Event(UUID id, String action, long version, UUID teamId, Map<String, Object> record, List<Map<String, Object>> changes) {
    }

    void changed(Kind kind, List<Event> events, String actor, OffsetDateTime at);
}
