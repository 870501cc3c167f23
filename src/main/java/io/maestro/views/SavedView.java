package io.maestro.views;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A saved list view: {@code query} is the list's filters and sort as a query string, {@code columns}
 * the chosen column paths (comma-separated; null for the defaults); {@code teamId} null is personal.
 */
public record SavedView(UUID id, String collection, String name, UUID ownerId, String owner, UUID teamId, String team,
                        String query, String columns, OffsetDateTime createdAt) {
    public boolean shared() {
        return teamId != null;
    }
}
