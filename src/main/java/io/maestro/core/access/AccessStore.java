package io.maestro.core.access;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * SQL of the access rules: record shares ({@code record_access}), teams and users as the
 * directory shows them. {@link AccessPolicy} decides; this only reads and writes rows.
 */
@Repository
public class AccessStore {
    private final NamedParameterJdbcTemplate jdbc;

    AccessStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the record is shared with the caller or one of their teams at one of {@code levels}. */
    boolean sharedAt(String collection, UUID recordId, Caller caller, Set<String> levels) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", recordId);
        params.put("kind", collection);
        params.put("user", caller.userId());
        params.put("levels", levels);
        String teams = "";
        if (!caller.teamIds().isEmpty()) {
            params.put("teams", caller.teamIds());
            teams = " OR team_id IN (:teams)";
        }
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_access WHERE record_id = :id AND kind = :kind AND level IN (:levels)"
                + " AND (user_id = :user" + teams + ")", params, Long.class);
        return n != null && n > 0;
    }

    boolean teamExists(UUID id) {
        return !jdbc.queryForList("SELECT id FROM team WHERE id = :id", Map.of("id", id), UUID.class).isEmpty();
    }

    /** The team catalog entries are stored under (they belong to no team in the API). */
    UUID defaultTeam() {
        return jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", Map.of(), UUID.class);
    }

    /**
     * Teams by name: {@code all}, or those the caller belongs to and those owning a record of
     * {@code tables} shared with the caller (user or team).
     */
    Map<UUID, String> teams(Caller caller, boolean all, Map<String, String> tablesByCollection) {
        Map<UUID, String> out = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        String where = "";
        if (!all) {
            params.put("me", caller.userId());
            List<String> sources = new java.util.ArrayList<>();
            sources.add("SELECT m.team_id FROM team_member m WHERE m.user_id = :me");
            String principal = "a.user_id = :me" + (caller.teamIds().isEmpty() ? "" : " OR a.team_id IN (:teams)");
            if (!caller.teamIds().isEmpty()) params.put("teams", caller.teamIds());
            int i = 0;
            for (Map.Entry<String, String> e : tablesByCollection.entrySet()) {
                params.put("k" + i, e.getKey());
                sources.add("SELECT r.team_id FROM " + e.getValue() + " r JOIN record_access a ON a.record_id = r.id AND a.kind = :k" + i
                        + " WHERE " + principal);
                i++;
            }
            where = " WHERE t.id IN (" + String.join(" UNION ", sources) + ")";
        }
        jdbc.query("SELECT t.id, t.name FROM team t" + where + " ORDER BY t.name", params, rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("name"));
        });
        return out;
    }

    /** Users by name: {@code all}, or the caller and the members of their teams (as GET /users lists them). */
    Map<UUID, String> users(Caller caller, boolean all, int limit) {
        Map<UUID, String> out = new LinkedHashMap<>();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("n", limit);
        String where = "";
        if (!all) {
            params.put("me", caller.userId());
            where = caller.teamIds().isEmpty() ? " WHERE u.id = :me"
                    : " WHERE (u.id = :me OR u.id IN (SELECT m.user_id FROM team_member m WHERE m.team_id IN (:teams)))";
            if (!caller.teamIds().isEmpty()) params.put("teams", caller.teamIds());
        }
        jdbc.query("SELECT u.id, u.username FROM app_user u" + where + " ORDER BY u.username LIMIT :n", params, rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("username"));
        });
        return out;
    }

    /** Names of teams or users by id ({@code table} team or app_user), whoever may see them. */
    Map<UUID, String> names(String table, String column, Collection<UUID> ids) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        jdbc.query("SELECT id, " + column + " AS n FROM " + table + " WHERE id IN (:ids)", Map.of("ids", List.copyOf(ids)), rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("n"));
        });
        return out;
    }

    /** Replaces the share rows of one record. Each entry: team or user id (the other null) and level. */
    public void replaceShares(String collection, UUID recordId, List<Share> shares) {
        jdbc.update("DELETE FROM record_access WHERE record_id = :id AND kind = :kind", Map.of("id", recordId, "kind", collection));
        for (Share e : shares) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", recordId);
            p.put("kind", collection);
            p.put("team", e.teamId());
            p.put("user", e.userId());
            p.put("level", e.level());
            jdbc.update("INSERT INTO record_access (record_id, kind, team_id, user_id, level) VALUES (:id, :kind, :team, :user, :level)", p);
        }
    }

    /** One share of a record, with the name of its team or user. */
    public record Share(UUID teamId, UUID userId, String level, String name) {
    }

    /** The shares of one record: teams first, then users, each by name. */
    public List<Share> shares(String collection, UUID recordId) {
        return jdbc.query("SELECT a.team_id, a.user_id, a.level, t.name AS team_name, u.username FROM record_access a "
                        + "LEFT JOIN team t ON t.id = a.team_id LEFT JOIN app_user u ON u.id = a.user_id "
                        + "WHERE a.record_id = :id AND a.kind = :kind ORDER BY CASE WHEN a.team_id IS NULL THEN 1 ELSE 0 END, t.name, u.username",
                Map.of("id", recordId, "kind", collection), (rs, i) -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    return new Share(team, rs.getObject("user_id", UUID.class), rs.getString("level"),
                            team != null ? rs.getString("team_name") : rs.getString("username"));
                });
    }

    /** Shares of a deleted record, or of a deleted user or team, go with it. */
    public void deleteShares(String collection, UUID recordId) {
        jdbc.update("DELETE FROM record_access WHERE record_id = :id AND kind = :kind", Map.of("id", recordId, "kind", collection));
    }

    public void deleteSharesOf(UUID principal) {
        jdbc.update("DELETE FROM record_access WHERE team_id = :p OR user_id = :p", Map.of("p", principal));
    }

    /** Which of {@code ids} exist in {@code table} (team or app_user). */
    public List<UUID> existingPrincipals(String table, List<UUID> ids) {
        if (ids.isEmpty()) return List.of();
        return jdbc.queryForList("SELECT id FROM " + ("team".equals(table) ? "team" : "app_user") + " WHERE id IN (:ids)", Map.of("ids", ids), UUID.class);
    }

    public java.util.Optional<UUID> teamId(String name) {
        return jdbc.queryForList("SELECT id FROM team WHERE name = :n", Map.of("n", name), UUID.class).stream().findFirst();
    }

    java.util.Optional<UUID> userId(String username) {
        return jdbc.queryForList("SELECT id FROM app_user WHERE username = :u", Map.of("u", username), UUID.class).stream().findFirst();
    }

    /**
     * Which of {@code ids} are records of {@code kind} (now or in its history), each with whether
     * the scope may read its current row or one of its versions.
     */
    public Map<UUID, Boolean> readableEver(Kind kind, List<UUID> ids, Scope scope) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("ids", ids);
        String readableNow = scope.predicate(kind, "t", params);
        Map<UUID, Boolean> out = new LinkedHashMap<>();
        // one row per record found, r = 1 when its current row or one of its versions may be read
        jdbc.query("SELECT x.id, MAX(x.r) AS r FROM (SELECT t.id, CASE WHEN " + readableNow + " THEN 1 ELSE 0 END AS r FROM "
                + kind.table() + " t WHERE t.id IN (:ids) UNION ALL SELECT t.id, CASE WHEN " + readableNow + " THEN 1 ELSE 0 END FROM "
                + kind.table() + "_version t WHERE t.id IN (:ids)) x GROUP BY x.id", params,
                rs -> { out.put(rs.getObject("id", UUID.class), rs.getInt("r") == 1); });
        return out;
    }
}
