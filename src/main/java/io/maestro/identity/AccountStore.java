package io.maestro.identity;

import io.maestro.core.access.Caller;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of users and teams ({@code app_user}, {@code team}, {@code team_member}) and of ending a
 * user's sessions; {@link Accounts} checks and decides. Users and teams are read as the API
 * documents show them (password hashes only through {@link #passwordHash}).
 */
@Repository
class AccountStore {
    private final JdbcClient jdbc;

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // ---- users

    void insertUser(UUID id, String username, String hash, String email, String displayName, boolean admin, OffsetDateTime now) {
        jdbc.sql("INSERT INTO app_user (id, username, password_hash, email, display_name, global_admin, created_at) "
                        + "VALUES (:id, :u, :hash, :email, :name, :admin, :now)")
                .param("id", id).param("u", username).param("hash", hash).param("email", email)
                .param("name", displayName).param("admin", admin).param("now", now).update();
    }

    /** A page of the users the caller may see (themselves and the members of their teams; global admins: all), by username. */
    List<UUID> visibleUserIds(Caller caller, int limit, long offset) {
        return jdbc.sql("SELECT id FROM app_user u" + visibleWhere(caller) + " ORDER BY u.username LIMIT :limit OFFSET :offset")
                .params(visibleParams(caller)).param("limit", limit).param("offset", offset).query(UUID.class).list();
    }

    long countVisibleUsers(Caller caller) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user u" + visibleWhere(caller)).params(visibleParams(caller)).query(Long.class).single();
    }

    boolean userVisible(Caller caller, UUID id) {
        String where = caller.globalAdmin() ? "" : " AND " + visibleUsers(caller);
        return jdbc.sql("SELECT COUNT(*) FROM app_user u WHERE u.id = :id" + where).params(visibleParams(caller)).param("id", id)
                .query(Long.class).single() > 0;
    }

    private static String visibleWhere(Caller caller) {
        return caller.globalAdmin() ? "" : " WHERE " + visibleUsers(caller);
    }

    private static String visibleUsers(Caller caller) {
        return caller.teamIds().isEmpty() ? "u.id = :me"
                : "(u.id = :me OR u.id IN (SELECT m.user_id FROM team_member m WHERE m.team_id IN (:teams)))";
    }

    private static Map<String, Object> visibleParams(Caller caller) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (caller.globalAdmin()) return p;
        p.put("me", caller.userId());
        if (!caller.teamIds().isEmpty()) p.put("teams", caller.teamIds());
        return p;
    }

    String passwordHash(UUID id) {
        return jdbc.sql("SELECT password_hash FROM app_user WHERE id = :id").param("id", id).query(String.class).single();
    }

    void setEmail(UUID id, String email) {
        jdbc.sql("UPDATE app_user SET email = :e WHERE id = :id").param("e", email).param("id", id).update();
    }

    void setDisplayName(UUID id, String displayName) {
        jdbc.sql("UPDATE app_user SET display_name = :n WHERE id = :id").param("n", displayName).param("id", id).update();
    }

    void setDisabled(UUID id, boolean disabled) {
        jdbc.sql("UPDATE app_user SET disabled = :d WHERE id = :id").param("d", disabled).param("id", id).update();
    }

    void setGlobalAdmin(UUID id, boolean admin) {
        jdbc.sql("UPDATE app_user SET global_admin = :a WHERE id = :id").param("a", admin).param("id", id).update();
    }

    void setPasswordHash(UUID id, String hash) {
        jdbc.sql("UPDATE app_user SET password_hash = :h WHERE id = :id").param("h", hash).param("id", id).update();
    }

    /** Deletes the user; memberships and tokens cascade. */
    void deleteUser(UUID id) {
        jdbc.sql("DELETE FROM app_user WHERE id = :id").param("id", id).update();
    }

    /** Ends the user's browser sessions on every node (sessions live in the database). */
    void endSessions(UUID id) {
        String username = jdbc.sql("SELECT username FROM app_user WHERE id = :id").param("id", id).query(String.class).single();
        jdbc.sql("DELETE FROM spring_session WHERE principal_name = :u").param("u", username).update();
    }

    /** A user as the API shows it, without teams. */
    Optional<Map<String, Object>> user(UUID id) {
        return jdbc.sql("SELECT id, username, email, display_name, global_admin, disabled, created_at FROM app_user WHERE id = :id")
                .param("id", id).query((rs, i) -> {
                    Map<String, Object> u = new LinkedHashMap<>();
                    u.put("id", rs.getObject("id", UUID.class).toString());
                    u.put("username", rs.getString("username"));
                    u.put("display_name", rs.getString("display_name"));
                    u.put("email", rs.getString("email"));
                    u.put("global_admin", rs.getBoolean("global_admin"));
                    u.put("disabled", rs.getBoolean("disabled"));
                    u.put("created_at", Renderer.time(rs.getObject("created_at", OffsetDateTime.class)));
                    return u;
                }).optional();
    }

    /** A user's teams (id, name, role), oldest first. */
    List<Map<String, Object>> teamsOf(UUID userId) {
        return new ArrayList<>(jdbc.sql("SELECT t.id, t.name, m.role FROM team_member m JOIN team t ON t.id = m.team_id "
                        + "WHERE m.user_id = :u ORDER BY t.created_at, t.name")
                .param("u", userId).query((rs, i) -> {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("id", rs.getObject("id", UUID.class).toString());
                    t.put("name", rs.getString("name"));
                    t.put("role", rs.getString("role"));
                    return t;
                }).list());
    }

    long otherEnabledGlobalAdmins(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE global_admin = TRUE AND disabled = FALSE AND id <> :id").param("id", id)
                .query(Long.class).single();
    }

    boolean isGlobalAdmin(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE global_admin = TRUE AND id = :id").param("id", id).query(Long.class).single() > 0;
    }

    Optional<UUID> userId(UUID id) {
        return jdbc.sql("SELECT id FROM app_user WHERE id = :id").param("id", id).query(UUID.class).optional();
    }

    Optional<UUID> userId(String username) {
        return jdbc.sql("SELECT id FROM app_user WHERE username = :u").param("u", username).query(UUID.class).optional();
    }

    // ---- teams

    void insertTeam(UUID id, String name, String email, OffsetDateTime now) {
        jdbc.sql("INSERT INTO team (id, name, email, created_at) VALUES (:id, :name, :email, :now)")
                .param("id", id).param("name", name).param("email", email).param("now", now).update();
    }

    /** Every team by name, or those {@code userId} belongs to. */
    List<UUID> teamIds(UUID userId, boolean all) {
        return all ? jdbc.sql("SELECT id FROM team ORDER BY name").query(UUID.class).list()
                : jdbc.sql("SELECT t.id FROM team t JOIN team_member m ON m.team_id = t.id WHERE m.user_id = :u ORDER BY t.name")
                .param("u", userId).query(UUID.class).list();
    }

    void renameTeam(UUID id, String name) {
        jdbc.sql("UPDATE team SET name = :n WHERE id = :id").param("n", name).param("id", id).update();
    }

    void setTeamEmail(UUID id, String email) {
        jdbc.sql("UPDATE team SET email = :e WHERE id = :id").param("e", email).param("id", id).update();
    }

    void addMember(UUID team, UUID user, String role) {
        jdbc.sql("INSERT INTO team_member (team_id, user_id, role) VALUES (:t, :u, :r)").param("t", team).param("u", user).param("r", role).update();
    }

    void setRole(UUID team, UUID user, String role) {
        jdbc.sql("UPDATE team_member SET role = :r WHERE team_id = :t AND user_id = :u").param("r", role).param("t", team).param("u", user).update();
    }

    void removeMember(UUID team, UUID user) {
        jdbc.sql("DELETE FROM team_member WHERE team_id = :t AND user_id = :u").param("t", team).param("u", user).update();
    }

    /** A team as the API shows it, without role and members. */
    Optional<Map<String, Object>> team(UUID id) {
        return jdbc.sql("SELECT id, name, email, created_at FROM team WHERE id = :id").param("id", id).query((rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getObject("id", UUID.class).toString());
            m.put("name", rs.getString("name"));
            m.put("email", rs.getString("email"));
            m.put("created_at", Renderer.time(rs.getObject("created_at", OffsetDateTime.class)));
            return m;
        }).optional();
    }

    /** A team's members (user_id, username, role) by username. */
    List<Map<String, Object>> members(UUID team) {
        return jdbc.sql("SELECT u.id, u.username, m.role FROM team_member m JOIN app_user u ON u.id = m.user_id "
                + "WHERE m.team_id = :t ORDER BY u.username").param("t", team).query((rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user_id", rs.getObject("id", UUID.class).toString());
            m.put("username", rs.getString("username"));
            m.put("role", rs.getString("role"));
            return m;
        }).list();
    }

    Optional<String> role(UUID team, UUID user) {
        return jdbc.sql("SELECT role FROM team_member WHERE team_id = :t AND user_id = :u").param("t", team).param("u", user)
                .query(String.class).optional();
    }

    boolean teamExists(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM team WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    long otherTeamAdmins(UUID team, UUID user) {
        return jdbc.sql("SELECT COUNT(*) FROM team_member WHERE team_id = :t AND role = 'admin' AND user_id <> :u")
                .param("t", team).param("u", user).query(Long.class).single();
    }

    /** Ids of the teams named {@code name}, case-insensitively. */
    List<UUID> teamsNamed(String name) {
        return jdbc.sql("SELECT id FROM team WHERE LOWER(name) = :n").param("n", name.toLowerCase()).query(UUID.class).list();
    }

    // ---- sign-in and callers

    /** A user's sign-in row: what Spring Security checks (hash, disabled) and the role it grants. */
    record Login(String username, String passwordHash, boolean globalAdmin, boolean disabled) {
    }

    Optional<Login> login(String username) {
        return jdbc.sql("SELECT username, password_hash, global_admin, disabled FROM app_user WHERE username = :u")
                .param("u", username)
                .query((rs, i) -> new Login(rs.getString("username"), rs.getString("password_hash"), rs.getBoolean("global_admin"),
                        rs.getBoolean("disabled")))
                .optional();
    }

    /** A user with their teams, oldest first, and those they administer. */
    record Membership(UUID userId, boolean globalAdmin, boolean disabled, List<UUID> teams, List<UUID> adminTeams) {
    }

    /** In one query; empty for an unknown username. */
    Optional<Membership> membership(String username) {
        UUID[] user = new UUID[1];
        boolean[] admin = new boolean[1];
        boolean[] disabled = new boolean[1];
        List<UUID> teams = new ArrayList<>();
        List<UUID> adminTeams = new ArrayList<>();
        jdbc.sql("SELECT u.id, u.global_admin, u.disabled, m.team_id, m.role FROM app_user u LEFT JOIN team_member m ON m.user_id = u.id "
                        + "LEFT JOIN team t ON t.id = m.team_id WHERE u.username = :u ORDER BY t.created_at, t.name")
                .param("u", username).query(rs -> {
                    user[0] = rs.getObject("id", UUID.class);
                    admin[0] = rs.getBoolean("global_admin");
                    disabled[0] = rs.getBoolean("disabled");
                    UUID team = rs.getObject("team_id", UUID.class);
                    if (team == null) return;
                    teams.add(team);
                    if ("admin".equals(rs.getString("role"))) adminTeams.add(team);
                });
        return user[0] == null ? Optional.empty()
                : Optional.of(new Membership(user[0], admin[0], disabled[0], List.copyOf(teams), List.copyOf(adminTeams)));
    }

    // ---- first start

    /** Marks the installation as set up; true only for the first start ever (of any node). */
    boolean claimInstallation(OffsetDateTime now) {
        return jdbc.sql("INSERT INTO installation (id, created_at) VALUES (1, :now) ON CONFLICT DO NOTHING").param("now", now).update() == 1;
    }

    /** The catalog's team "default", created unless it exists (another node may be creating it right now); its id. */
    UUID defaultTeam(OffsetDateTime now) {
        jdbc.sql("INSERT INTO team (id, name, email, created_at) SELECT :id, 'default', NULL, :now "
                        + "WHERE NOT EXISTS (SELECT 1 FROM team WHERE name = 'default') ON CONFLICT DO NOTHING")
                .param("id", UUID.randomUUID()).param("now", now).update();
        return jdbc.sql("SELECT id FROM team WHERE name = 'default'").query(UUID.class).single();
    }
}
