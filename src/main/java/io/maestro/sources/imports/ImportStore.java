package io.maestro.sources.imports;

import io.maestro.core.Json;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code source_import} (an import's state), {@code source_import_observation} (what its file
 * said, one row per observation) and {@code source_import_plan} (a dry run's plan, one row per entry).
 */
@Repository
class ImportStore {
    private static final int CHUNK = 1000;
    private final NamedParameterJdbcTemplate jdbc;

    ImportStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An import as stored; {@code counts} and {@code problems} are JSON text. */
    record Row(UUID id, UUID teamId, UUID sourceId, String name, String format, UUID datacenterId, boolean dryRun, String status,
               String actor, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime appliedAt,
               String phase, long done, long total, String counts, String problems, String detail, boolean asGlobalAdmin) {
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** The source id earlier imports of this name in this team had, so a re-import is the same source. */
    Optional<UUID> sourceId(UUID teamId, String name) {
        return jdbc.queryForList("SELECT source_id FROM source_import WHERE team_id = :team AND LOWER(name) = LOWER(:name) ORDER BY created_at LIMIT 1",
                Map.of("team", teamId, "name", name), UUID.class).stream().findFirst();
    }

    void insert(Row r) {
        jdbc.update("INSERT INTO source_import (id, team_id, source_id, name, format, datacenter_id, dry_run, status, actor, created_at, done, total,"
                + " counts, problems, as_global_admin) VALUES (:id, :team, :source, :name, :format, :dc, :dry, :status, :actor, :now, 0,"
                + " :total, :counts, :problems, :admin)", new MapSqlParameterSource().addValue("id", r.id()).addValue("team", r.teamId())
                .addValue("source", r.sourceId()).addValue("name", r.name()).addValue("format", r.format()).addValue("dc", r.datacenterId())
                .addValue("dry", r.dryRun()).addValue("status", r.status()).addValue("actor", r.actor()).addValue("now", r.createdAt())
                .addValue("total", r.total()).addValue("counts", r.counts()).addValue("problems", r.problems()).addValue("admin", r.asGlobalAdmin()));
    }

    Optional<Row> get(UUID id) {
        return jdbc.query("SELECT * FROM source_import WHERE id = :id", Map.of("id", id), (rs, i) -> row(rs)).stream().findFirst();
    }

    /** Imports of these teams (null: every team), newest first. */
    List<Row> list(Collection<UUID> teams, int limit) {
        Map<String, Object> params = new HashMap<>();
        params.put("limit", limit);
        String where = "1=1";
        if (teams != null) {
            if (teams.isEmpty()) return List.of();
            where = "team_id IN (:teams)";
            params.put("teams", teams);
        }
        return jdbc.query("SELECT * FROM source_import WHERE " + where + " ORDER BY created_at DESC, id DESC LIMIT :limit", params, (rs, i) -> row(rs));
    }

    /** One observation as kept: its place in its collection, its key, and the observation as JSON. */
    record Stored(String collection, long seq, String key, String doc) {
    }

    void addObservations(UUID importId, List<Stored> rows) {
        if (rows.isEmpty()) return;
        jdbc.batchUpdate("INSERT INTO source_import_observation (import_id, collection, seq, obs_key, doc) VALUES (:id, :c, :seq, :key, :doc)",
                rows.stream().map(r -> new MapSqlParameterSource().addValue("id", importId).addValue("c", r.collection()).addValue("seq", r.seq())
                        .addValue("key", r.key()).addValue("doc", r.doc())).toArray(MapSqlParameterSource[]::new));
    }

    /** Up to {@code limit} observations of a collection after {@code afterSeq}, in the file's order. */
    List<Stored> observations(UUID importId, String collection, long afterSeq, int limit) {
        return jdbc.query("SELECT collection, seq, obs_key, doc FROM source_import_observation WHERE import_id = :id AND collection = :c"
                + " AND seq > :after ORDER BY seq LIMIT :limit", Map.of("id", importId, "c", collection, "after", afterSeq, "limit", limit),
                (rs, i) -> new Stored(rs.getString("collection"), rs.getLong("seq"), rs.getString("obs_key"), rs.getString("doc")));
    }

    /** How many observations the import keeps, by collection. */
    Map<String, Long> observationCounts(UUID importId) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query("SELECT collection, COUNT(*) AS n FROM source_import_observation WHERE import_id = :id GROUP BY collection", Map.of("id", importId),
                rs -> {
                    out.put(rs.getString("collection"), rs.getLong("n"));
                });
        return out;
    }

    /** Those of {@code keys} the file holds in {@code collection}. */
    java.util.Set<String> keysInFile(UUID importId, String collection, Collection<String> keys) {
        java.util.Set<String> out = new java.util.HashSet<>();
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.addAll(jdbc.queryForList("SELECT DISTINCT obs_key FROM source_import_observation WHERE import_id = :id AND collection = :c"
                    + " AND obs_key IN (:keys)", Map.of("id", importId, "c", collection, "keys", all.subList(i, Math.min(all.size(), i + CHUNK))),
                    String.class));
        }
        return out;
    }

    void deleteObservations(UUID importId) {
        jdbc.update("DELETE FROM source_import_observation WHERE import_id = :id", Map.of("id", importId));
    }

    /** One entry of a dry run's plan: the matched record and its version then (null for a create or a conflict). */
    record PlanEntry(long seq, String action, String collection, UUID recordId, Long version, String doc) {
    }

    void addPlan(UUID importId, List<PlanEntry> entries) {
        if (entries.isEmpty()) return;
        jdbc.batchUpdate("INSERT INTO source_import_plan (import_id, seq, action, collection, record_id, version, doc)"
                + " VALUES (:id, :seq, :action, :c, :record, :version, :doc)", entries.stream().map(e -> new MapSqlParameterSource()
                .addValue("id", importId).addValue("seq", e.seq()).addValue("action", e.action()).addValue("c", e.collection())
                .addValue("record", e.recordId()).addValue("version", e.version()).addValue("doc", e.doc())).toArray(MapSqlParameterSource[]::new));
    }

    /** A page of the plan ({@code action} null: every entry), as JSON text in plan order. */
    List<String> plan(UUID importId, String action, int offset, int size) {
        Map<String, Object> params = new HashMap<>(Map.of("id", importId, "offset", offset, "size", size));
        if (action != null) params.put("action", action);
        return jdbc.queryForList("SELECT doc FROM source_import_plan WHERE import_id = :id" + (action == null ? "" : " AND action = :action")
                + " ORDER BY seq LIMIT :size OFFSET :offset", params, String.class);
    }

    long planCount(UUID importId, String action) {
        Map<String, Object> params = new HashMap<>(Map.of("id", importId));
        if (action != null) params.put("action", action);
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM source_import_plan WHERE import_id = :id" + (action == null ? "" : " AND action = :action"),
                params, Long.class);
        return n == null ? 0 : n;
    }

    /** Records of {@code kind} the plan matched that changed (or went) since: up to {@code limit} ids. */
    List<UUID> changedSincePlan(UUID importId, Kind kind, int limit) {
        return jdbc.queryForList("SELECT p.record_id FROM source_import_plan p LEFT JOIN " + kind.table() + " t ON t.id = p.record_id"
                + " WHERE p.import_id = :id AND p.collection = :c AND p.version IS NOT NULL AND (t.id IS NULL OR t.version <> p.version)"
                + " ORDER BY p.seq LIMIT :limit", Map.of("id", importId, "c", kind.collection(), "limit", limit), UUID.class);
    }

    /** The import starts, unless it ended meanwhile (released as abandoned): whether it did. */
    boolean started(UUID id) {
        return jdbc.update("UPDATE source_import SET status = 'running', started_at = :now, heartbeat_at = :now WHERE id = :id AND status = 'queued'",
                Map.of("id", id, "now", now())) == 1;
    }

    void progress(UUID id, String phase, long done, long total, String counts, String problems) {
        jdbc.update("UPDATE source_import SET phase = :phase, done = :done, total = :total, counts = :counts, problems = :problems, heartbeat_at = :now"
                + " WHERE id = :id", new MapSqlParameterSource().addValue("id", id).addValue("phase", phase).addValue("done", done)
                .addValue("total", total).addValue("counts", counts).addValue("problems", problems).addValue("now", now()));
    }

    void finished(UUID id, String status, String counts, String problems, String detail) {
        jdbc.update("UPDATE source_import SET status = :status, finished_at = :now, counts = :counts, problems = :problems, detail = :detail,"
                + " done = total WHERE id = :id", new MapSqlParameterSource().addValue("id", id).addValue("status", status).addValue("now", now())
                .addValue("counts", counts).addValue("problems", problems).addValue("detail", detail));
    }

    /** Claims a finished dry run for applying: true for exactly one caller, however many ask at once. */
    boolean claimApply(UUID id) {
        return jdbc.update("UPDATE source_import SET status = 'queued', applied_at = :now, started_at = NULL, finished_at = NULL, done = 0,"
                + " heartbeat_at = :now"
                + " WHERE id = :id AND dry_run = TRUE AND status = 'succeeded' AND applied_at IS NULL", Map.of("id", id, "now", now())) == 1;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getObject("source_id", UUID.class),
                rs.getString("name"), rs.getString("format"), rs.getObject("datacenter_id", UUID.class), rs.getBoolean("dry_run"),
                rs.getString("status"), rs.getString("actor"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("applied_at", OffsetDateTime.class), rs.getString("phase"), rs.getLong("done"), rs.getLong("total"),
                rs.getString("counts"), rs.getString("problems"), rs.getString("detail"), rs.getBoolean("as_global_admin"));
    }

    /** Times as the API writes them. */
    static String time(OffsetDateTime t) {
        return Renderer.time(t);
    }

    static String json(Object o) {
        return Json.write(o);
    }
}
