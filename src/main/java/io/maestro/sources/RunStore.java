package io.maestro.sources;

import io.maestro.core.Json;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows of discovery runs ({@code source_run}). While a run is queued or running its
 * {@code active_for} column holds the connection id, and that column is unique: the database
 * itself refuses a second active run of a connection, on any node. {@link Runs} decides.
 */
@Repository
class RunStore {
    private final NamedParameterJdbcTemplate jdbc;

    RunStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues a run; throws DuplicateKeyException while another run of the connection is active. */
    void insert(UUID id, UUID connectionId, String trigger, Map<String, Object> counts, OffsetDateTime now) {
        jdbc.update("INSERT INTO source_run (id, connection_id, active_for, status, trigger_kind, cancel_requested, created_at, done, total, counts, problems)"
                + " VALUES (:id, :c, :c, 'queued', :trigger, FALSE, :now, 0, 0, :counts, '[]')", new MapSqlParameterSource().addValue("id", id)
                .addValue("c", connectionId).addValue("trigger", trigger).addValue("now", now).addValue("counts", Json.write(counts)));
    }

    /** The connection's queued or running run, or null. */
    UUID active(UUID connectionId) {
        return jdbc.queryForList("SELECT id FROM source_run WHERE active_for = :c", Map.of("c", connectionId), UUID.class)
                .stream().findFirst().orElse(null);
    }

    /** Ends, as failed with {@code detail}, an active run with no sign of life since {@code cutoff}; true if there was one. */
    boolean failAbandoned(UUID connectionId, OffsetDateTime cutoff, String detail, OffsetDateTime now) {
        return jdbc.update("UPDATE source_run SET status = 'failed', active_for = NULL, finished_at = :now, detail = :detail"
                + " WHERE active_for = :c AND COALESCE(heartbeat_at, created_at) < :cutoff",
                Map.of("c", connectionId, "cutoff", cutoff, "now", now, "detail", detail)) > 0;
    }

    /** The connection's runs, newest first (the last 100). */
    List<Map<String, Object>> list(UUID connectionId) {
        return jdbc.query("SELECT * FROM source_run WHERE connection_id = :c ORDER BY created_at DESC, id DESC LIMIT 100",
                Map.of("c", connectionId), (rs, i) -> doc(rs));
    }

    /** One run of the connection as the API shows it, or null. */
    Map<String, Object> get(UUID connectionId, UUID runId) {
        return jdbc.query("SELECT * FROM source_run WHERE id = :id AND connection_id = :c", Map.of("id", runId, "c", connectionId),
                (rs, i) -> doc(rs)).stream().findFirst().orElse(null);
    }

    void requestCancel(UUID runId, List<String> activeStatuses) {
        jdbc.update("UPDATE source_run SET cancel_requested = TRUE WHERE id = :id AND status IN (:active)", Map.of("id", runId, "active", activeStatuses));
    }

    boolean cancelRequested(UUID runId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT cancel_requested FROM source_run WHERE id = :id", Map.of("id", runId), Boolean.class));
    }

    void running(UUID runId, OffsetDateTime at) {
        jdbc.update("UPDATE source_run SET status = 'running', started_at = :now WHERE id = :id", Map.of("id", runId, "now", at));
    }

    /** Live progress (also the run's heartbeat): the phase, done of total, the counts and problems so far. */
    void progress(UUID runId, String phase, long done, long total, Map<String, Object> counts, List<Map<String, Object>> problems, OffsetDateTime now) {
        jdbc.update("UPDATE source_run SET phase = :phase, done = :done, total = :total, counts = :counts, problems = :problems,"
                        + " heartbeat_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("id", runId).addValue("phase", phase).addValue("done", done).addValue("total", total)
                        .addValue("now", now).addValue("counts", Json.write(counts)).addValue("problems", Json.write(problems)));
    }

    /** The run ended with {@code status}: the connection is free for the next one. */
    void finish(UUID runId, String status, Map<String, Object> counts, List<Map<String, Object>> problems, String detail, OffsetDateTime now) {
        jdbc.update("UPDATE source_run SET status = :status, active_for = NULL, finished_at = :now, counts = :counts, problems = :problems,"
                + " detail = :detail, done = total WHERE id = :id", new MapSqlParameterSource().addValue("id", runId).addValue("status", status)
                .addValue("now", now).addValue("counts", Json.write(counts)).addValue("problems", Json.write(problems))
                .addValue("detail", detail));
    }

    private static Map<String, Object> doc(ResultSet rs) throws SQLException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", rs.getObject("id", UUID.class).toString());
        d.put("connection_id", rs.getObject("connection_id", UUID.class).toString());
        d.put("status", rs.getString("status"));
        d.put("trigger", rs.getString("trigger_kind"));
        d.put("created_at", Renderer.time(rs.getObject("created_at", OffsetDateTime.class)));
        d.put("started_at", Renderer.time(rs.getObject("started_at", OffsetDateTime.class)));
        d.put("finished_at", Renderer.time(rs.getObject("finished_at", OffsetDateTime.class)));
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("phase", rs.getString("phase"));
        progress.put("done", rs.getLong("done"));
        progress.put("total", rs.getLong("total"));
        d.put("progress", progress);
        d.put("counts", Json.parse(rs.getString("counts")));
        d.put("problems", Json.parse(rs.getString("problems")));
        d.put("detail", rs.getString("detail"));
        d.put("cancel_requested", rs.getBoolean("cancel_requested"));
        return d;
    }
}
