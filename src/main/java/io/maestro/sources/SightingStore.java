package io.maestro.sources;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The status columns of provenance (last_seen_at, missing_since, stale, stale_since, drift): when
 * sources saw a record, not what the record is. They move without a new version or history entry
 * (sources.md, rule 3: being seen again is not a change), so they are set here and not through the
 * record write path, which keeps them on every write.
 */
@Repository
class SightingStore {
    private final NamedParameterJdbcTemplate jdbc;

    SightingStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The records were seen at {@code at}: not missing, not stale; {@code drift} by record. */
    void seen(Kind kind, Map<UUID, Boolean> drift, OffsetDateTime at) {
        if (drift.isEmpty()) return;
        SqlParameterSource[] batch = drift.entrySet().stream().map(e -> new MapSqlParameterSource().addValue("id", e.getKey())
                .addValue("drift", e.getValue()).addValue("at", Renderer.time(at))).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("UPDATE " + kind.table() + " SET last_seen_at = :at, missing_since = NULL, stale = FALSE, stale_since = NULL,"
                + " drift = :drift WHERE id = :id", batch);
    }

    /**
     * After a complete, successful run that started at {@code runStart}: the records of this source
     * (same datacenter, same regions for servers) it did not see are missing since then, and stale
     * once unseen for {@code staleAfter}. Returns how many became stale. Nothing is deleted.
     */
    int missed(Kind kind, String sourceId, UUID datacenterId, List<String> regions, OffsetDateTime runStart,
               java.time.Duration staleAfter, OffsetDateTime now) {
        Map<String, Object> params = new HashMap<>();
        params.put("source", sourceId);
        params.put("start", Renderer.time(runStart));
        params.put("cutoff", Renderer.time(now.minus(staleAfter)));
        params.put("now", Renderer.time(now));
        String where = "source_id = :source AND (last_seen_at IS NULL OR last_seen_at < :start)";
        if (kind.collection().equals("servers")) {
            params.put("dc", datacenterId);
            params.put("regions", regions);
            where += " AND datacenter_id = :dc AND datacenter_region IN (:regions)";
        }
        jdbc.update("UPDATE " + kind.table() + " SET missing_since = :start WHERE " + where + " AND missing_since IS NULL", params);
        return jdbc.update("UPDATE " + kind.table() + " SET stale = TRUE, stale_since = :now WHERE " + where
                + " AND stale = FALSE AND (last_seen_at IS NULL OR last_seen_at <= :cutoff)", params);
    }
}
