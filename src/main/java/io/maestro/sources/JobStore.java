package io.maestro.sources;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The liveness columns of job rows ({@code source_run}, {@code source_import}): {@code heartbeat_at}
 * while a node holds the job, and the release of jobs no node holds any more.
 */
@Repository
class JobStore {
    private final NamedParameterJdbcTemplate jdbc;

    JobStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static String table(Jobs.Kind kind) {
        return switch (kind) {
            case RUN -> "source_run";
            case IMPORT -> "source_import";
        };
    }

    void touch(Jobs.Kind kind, List<UUID> ids, OffsetDateTime now) {
        jdbc.update("UPDATE " + table(kind) + " SET heartbeat_at = :now WHERE id IN (:ids)", Map.of("ids", ids, "now", now));
    }

    /**
     * Ends, failed with {@code detail}, every active job with no sign of life since {@code cutoff}
     * (a run lets go of its connection). Returns how many.
     */
    int failAbandoned(Jobs.Kind kind, OffsetDateTime cutoff, String detail, OffsetDateTime now) {
        String active = kind == Jobs.Kind.RUN ? "active_for IS NOT NULL" : "status IN ('queued', 'running')";
        String release = kind == Jobs.Kind.RUN ? ", active_for = NULL" : "";
        return jdbc.update("UPDATE " + table(kind) + " SET status = 'failed', finished_at = :now, detail = :detail" + release
                + " WHERE " + active + " AND COALESCE(heartbeat_at, created_at) < :cutoff", Map.of("cutoff", cutoff, "now", now, "detail", detail));
    }
}
