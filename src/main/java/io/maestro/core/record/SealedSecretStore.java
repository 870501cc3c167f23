package io.maestro.core.record;

import io.maestro.core.Dialect;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SQL of re-sealing stored secrets ({@link SecretRotation}): finds the values that match the
 * codec's stale patterns and writes the fresh ones back, in the kinds' JSON list columns (live
 * and version tables) and in the features' own sealed columns.
 */
@Repository
public class SealedSecretStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;

    public SealedSecretStore(NamedParameterJdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** A row's value of the column: JSON text of a list column, or a bare sealed value. */
    record Value(UUID id, long version, String value) {
    }

    /** Rows of {@code table} whose JSON column {@code column} matches one of the LIKE {@code patterns}. */
    List<Value> jsonMatching(String table, String column, List<String> patterns) {
        Map<String, Object> params = new HashMap<>();
        List<String> likes = new ArrayList<>();
        for (String p : patterns) {
            params.put("p" + params.size(), p);
            likes.add(dialect.jsonText(column) + " LIKE :p" + (params.size() - 1));
        }
        return jdbc.query("SELECT id, version, " + dialect.jsonText(column) + " AS v FROM " + table + " WHERE " + column + " IS NOT NULL AND ("
                + String.join(" OR ", likes) + ")", params, (rs, i) -> new Value(rs.getObject("id", UUID.class), rs.getLong("version"), rs.getString("v")));
    }

    /** Writes a list column's JSON back; of a version table, only into the version read. */
    void replaceJson(String table, String column, Value v, String json, boolean versions) {
        jdbc.update("UPDATE " + table + " SET " + column + " = " + dialect.jsonParam("v") + " WHERE id = :id"
                + (versions ? " AND version = :version" : ""), Map.of("v", json, "id", v.id(), "version", v.version()));
    }

    /** Rows of {@code table} whose bare column {@code column} matches one of the LIKE {@code patterns}. */
    List<Value> bareMatching(String table, String column, List<String> patterns) {
        Map<String, Object> params = new HashMap<>();
        List<String> likes = new ArrayList<>();
        for (String p : patterns) {
            params.put("p" + params.size(), p);
            likes.add(column + " LIKE :p" + (params.size() - 1));
        }
        return jdbc.query("SELECT id, " + column + " AS v FROM " + table + " WHERE " + String.join(" OR ", likes), params,
                (rs, i) -> new Value(rs.getObject("id", UUID.class), 0, rs.getString("v")));
    }

    /** Replaces a bare sealed value only where it is still the one read (a write in between sealed its own, current value). */
    void replaceBare(String table, String column, UUID id, String sealed, String fresh) {
        jdbc.update("UPDATE " + table + " SET " + column + " = :fresh WHERE id = :id AND " + column + " = :sealed",
                Map.of("fresh", fresh, "id", id, "sealed", sealed));
    }

    /** Up to {@code limit} rows of a JSON list column that hold a value. */
    List<Value> sample(String table, String column, int limit) {
        return jdbc.query("SELECT id, " + dialect.jsonText(column) + " AS v FROM " + table + " WHERE " + column + " IS NOT NULL LIMIT " + limit,
                Map.of(), (rs, i) -> new Value(rs.getObject("id", UUID.class), 0, rs.getString("v")));
    }
}
