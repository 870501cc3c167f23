package io.maestro.web;

import io.maestro.core.access.Caller;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Names of teams and users for the pages (a record's team, a system's owner). Read-only; who may
 * do what is decided by the record service, not here.
 */
@Component
class Directory {
    private final JdbcClient jdbc;

    Directory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<UUID, String> teamNames(Collection<UUID> ids) {
        return names("team", "name", ids);
    }

    Map<UUID, String> userNames(Collection<UUID> ids) {
        return names("app_user", "username", ids);
    }

    Map<UUID, String> allTeams() {
        Map<UUID, String> out = new LinkedHashMap<>();
        jdbc.sql("SELECT id, name FROM team ORDER BY name").query(rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("name"));
        });
        return out;
    }

    /** Teams a caller may put records in: every team for a global admin, else their own. */
    Map<UUID, String> teamsFor(Caller caller) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (caller.globalAdmin()) return allTeams();
        Map<UUID, String> names = teamNames(caller.teamIds());
        caller.teamIds().forEach(id -> out.put(id, names.getOrDefault(id, id.toString())));
        return out;
    }

    /** Teams and users an owner may be picked from: the caller's teams (all for global admins) and users. */
    Map<UUID, String> users(int limit) {
        Map<UUID, String> out = new LinkedHashMap<>();
        jdbc.sql("SELECT id, username FROM app_user ORDER BY username LIMIT :n").param("n", limit).query(rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("username"));
        });
        return out;
    }

    /** The id of a user by name: forms take usernames where the services take ids. */
    java.util.Optional<UUID> userId(String username) {
        return jdbc.sql("SELECT id FROM app_user WHERE username = :u").param("u", username).query(UUID.class).optional();
    }

    private Map<UUID, String> names(String table, String column, Collection<UUID> ids) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        jdbc.sql("SELECT id, " + column + " AS n FROM " + table + " WHERE id IN (:ids)").param("ids", List.copyOf(ids)).query(rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("n"));
        });
        return out;
    }
}
