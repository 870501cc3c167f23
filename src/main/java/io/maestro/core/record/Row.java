package io.maestro.core.record;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** A stored record as read from its table: the common columns plus column values by path. */
public record Row(UUID id, UUID teamId, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                  Map<String, Object> values) {
    public String name() {
        Object n = values.get("name");
        return n == null ? null : n.toString();
    }
}
