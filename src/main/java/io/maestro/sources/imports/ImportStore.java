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

/** Rows of {@code source_import}: an import's state, what its file said, and a dry run's plan. */
@Repository
class ImportStore {
    private static final int CHUNK = 1000;
    private final NamedParameterJdbcTemplate jdbc;

    ImportStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An import as stored; {@code observations}, {@code plan} and {@code touched} are JSON text. */
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

    void insert(Row r, String observations) {
        jdbc.update("INSERT INTO source_import (id, team_id, source_id, name, format, datacenter_id, dry_run, status, actor, created_at, done, total,"
                + " counts, problems, observations, as_global_admin) VALUES (:id, :team, :source, :name, :format, :dc, :dry, :status, :actor, :now, 0,"
                + " :total, :counts, :problems, :observations, :admin)", new MapSqlParameterSource().addValue("id", r.id()).addValue("team", r.teamId())
                .addValue("source", r.sourceId()).addValue("name", r.name()).addValue("format", r.format()).addValue("dc", r.datacenterId())
                .addValue("dry", r.dryRun()).addValue("status", r.status()).addValue("actor", r.actor()).addValue("now", r.createdAt())
                .addValue("total", r.total()).addValue("counts", r.counts()).addValue("problems", r.problems()).addValue("observations", observations)
                .addValue("admin", r.asGlobalAdmin()));
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

    String observations(UUID id) {
        return jdbc.queryForObject("SELECT observations FROM source_import WHERE id = :id", Map.of("id", id), String.class);
    }

    String plan(UUID id) {
        return jdbc.queryForObject("SELECT plan FROM source_import WHERE id = :id", Map.of("id", id), String.class);
    }

    String touched(UUID id) {
        return jdbc.queryForObject("SELECT touched FROM source_import WHERE id = :id", Map.of("id", id), String.class);
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

    void finished(UUID id, String status, String counts, String problems, String detail, String plan, String touched) {
        jdbc.update("UPDATE source_import SET status = :status, finished_at = :now, counts = :counts, problems = :problems, detail = :detail,"
                + " plan = COALESCE(:plan, plan), touched = COALESCE(:touched, touched), done = total WHERE id = :id",
                new MapSqlParameterSource().addValue("id", id).addValue("status", status).addValue("now", now()).addValue("counts", counts)
                        .addValue("problems", problems).addValue("detail", detail).addValue("plan", plan).addValue("touched", touched));
    }

    /** Claims a finished dry run for applying: true for exactly one caller, however many ask at once. */
    boolean claimApply(UUID id) {
        return jdbc.update("UPDATE source_import SET status = 'queued', applied_at = :now, started_at = NULL, finished_at = NULL, done = 0,"
                + " heartbeat_at = :now"
                + " WHERE id = :id AND dry_run = TRUE AND status = 'succeeded' AND applied_at IS NULL", Map.of("id", id, "now", now())) == 1;
    }

    /** Current versions of records of {@code kind}: a deleted one is absent. */
    Map<UUID, Long> versions(Kind kind, List<UUID> ids) {
        Map<UUID, Long> out = new LinkedHashMap<>();
        List<UUID> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            jdbc.query("SELECT id, version FROM " + kind.table() + " WHERE id IN (:ids)", Map.of("ids", all.subList(i, Math.min(all.size(), i + CHUNK))),
                    rs -> {
                        out.put(rs.getObject("id", UUID.class), rs.getLong("version"));
                    });
        }
        return out;
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
