package io.maestro.sources;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.maestro.core.Json;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows of discovery connections ({@code source_connection}), their change log and their
 * schedule; {@link Connections} and {@link ScheduledRuns} decide, this reads and writes.
 */
@Repository
class ConnectionStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final DataSource dataSource;

    ConnectionStore(NamedParameterJdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** Every connection ({@code teams} null) or those of the teams, by name. */
    List<Connections.Connection> list(Collection<UUID> teams) {
        if (teams != null && teams.isEmpty()) return List.of();
        String where = teams == null ? "1=1" : "team_id IN (:teams)";
        return jdbc.query("SELECT * FROM source_connection WHERE " + where + " ORDER BY LOWER(name), id",
                teams == null ? Map.of() : Map.of("teams", teams), (rs, i) -> row(rs));
    }

    Connections.Connection load(UUID id) {
        return jdbc.query("SELECT * FROM source_connection WHERE id = :id", Map.of("id", id), (rs, i) -> row(rs)).stream().findFirst().orElse(null);
    }

    /** Inserts {@code c}, due first at {@code nextRun}; a name the team already uses throws DuplicateKeyException. */
    void insert(Connections.Connection c, OffsetDateTime nextRun) {
        jdbc.update("INSERT INTO source_connection (id, team_id, version, name, provider, datacenter_id, regions, resources, access_key_id,"
                + " secret_sealed, endpoint_url, schedule, stale_after, enabled, next_run_at, created_at, updated_at) VALUES (:id, :team, 1, :name,"
                + " :provider, :dc, :regions, :resources, :ak, :secret, :endpoint, :schedule, :stale, :enabled, :next, :now, :now)",
                params(c).addValue("next", nextRun));
    }

    /** Stores {@code c} as the next version; moves its next run to {@code nextRun} only when {@code reschedule}. */
    void update(Connections.Connection c, boolean reschedule, OffsetDateTime nextRun) {
        jdbc.update("UPDATE source_connection SET team_id = :team, version = version + 1, name = :name, provider = :provider,"
                + " datacenter_id = :dc, regions = :regions, resources = :resources, access_key_id = :ak, secret_sealed = :secret,"
                + " endpoint_url = :endpoint, schedule = :schedule, stale_after = :stale, enabled = :enabled, updated_at = :now"
                + (reschedule ? ", next_run_at = :next" : "") + " WHERE id = :id", params(c).addValue("next", nextRun));
    }

    /** Deletes the connection with its finished runs (the caller made sure none is active). */
    void delete(UUID id) {
        jdbc.update("DELETE FROM source_run WHERE connection_id = :id", Map.of("id", id));
        jdbc.update("DELETE FROM source_connection WHERE id = :id", Map.of("id", id));
    }

    void log(Connections.Connection c, String action, List<Map<String, Object>> changes, String actor, OffsetDateTime at) {
        jdbc.update("INSERT INTO source_connection_change (connection_id, team_id, version, at, actor, action, changes)"
                + " VALUES (:id, :team, :version, :at, :actor, :action, :changes)", new MapSqlParameterSource().addValue("id", c.id())
                .addValue("team", c.teamId()).addValue("version", c.version()).addValue("at", at).addValue("actor", actor)
                .addValue("action", action).addValue("changes", Json.write(changes)));
    }

    /** The change log, newest first. */
    List<Map<String, Object>> history(UUID id) {
        return jdbc.query("SELECT seq, version, at, actor, action, changes FROM source_connection_change WHERE connection_id = :id ORDER BY seq DESC",
                Map.of("id", id), (rs, i) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("version", rs.getLong("version"));
                    e.put("at", Renderer.time(rs.getObject("at", OffsetDateTime.class)));
                    e.put("actor", rs.getString("actor"));
                    e.put("action", rs.getString("action"));
                    e.put("changes", Json.parse(rs.getString("changes")));
                    return e;
                });
    }

    // ---- the schedule

    /** A connection whose scheduled run is due: its id, schedule and the next_run_at it was due at. */
    record Due(UUID id, String schedule, Object nextRunAt) {
    }

    List<Due> due(OffsetDateTime now) {
        return jdbc.query("SELECT id, schedule, next_run_at FROM source_connection WHERE enabled = TRUE"
                        + " AND schedule IS NOT NULL AND next_run_at <= :now", Map.of("now", now),
                (rs, i) -> new Due(rs.getObject("id", UUID.class), rs.getString("schedule"), rs.getObject("next_run_at")));
    }

    /** Moves the due run on to {@code next} if no other node did first: true for the one node that wins this period. */
    boolean claim(Due due, OffsetDateTime next) {
        return jdbc.update("UPDATE source_connection SET next_run_at = :next WHERE id = :id AND next_run_at = :previous",
                Map.of("id", due.id(), "next", next, "previous", due.nextRunAt())) == 1;
    }

    /** A db-scheduler for {@code task}: its task rows live in this database, so one node runs each execution. */
    Scheduler scheduler(RecurringTask<?> task, Duration polling) {
        return Scheduler.create(dataSource).startTasks(task).threads(1).pollingInterval(polling).build();
    }

    private static MapSqlParameterSource params(Connections.Connection c) {
        return new MapSqlParameterSource().addValue("id", c.id()).addValue("team", c.teamId()).addValue("name", c.name())
                .addValue("provider", c.provider()).addValue("dc", c.datacenterId()).addValue("regions", Json.write(c.regions()))
                .addValue("resources", Json.write(c.resources())).addValue("ak", c.accessKeyId()).addValue("secret", c.secretSealed())
                .addValue("endpoint", c.endpointUrl()).addValue("schedule", c.schedule()).addValue("stale", c.staleAfter())
                .addValue("enabled", c.enabled()).addValue("now", c.updatedAt());
    }

    @SuppressWarnings("unchecked")
    private static Connections.Connection row(ResultSet rs) throws SQLException {
        return new Connections.Connection(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getLong("version"), rs.getString("name"),
                rs.getString("provider"), rs.getObject("datacenter_id", UUID.class), (List<String>) Json.parse(rs.getString("regions")),
                (List<String>) Json.parse(rs.getString("resources")), rs.getString("access_key_id"), rs.getString("secret_sealed"),
                rs.getString("endpoint_url"), rs.getString("schedule"), rs.getString("stale_after"), rs.getBoolean("enabled"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }
}
