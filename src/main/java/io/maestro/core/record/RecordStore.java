package io.maestro.core.record;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * SQL for every kind: one table per kind with a typed column per scalar field, JSON columns for
 * nested lists, and the shared relation and tag tables. Queries are built from the kind's
 * schema; values always travel as parameters, identifiers only ever come from the schema.
 */
@Repository
public class RecordStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;
    private final Map<String, List<Column>> columnsByKind = new ConcurrentHashMap<>();

    public RecordStore(NamedParameterJdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** A column of a kind's table and the field it stores. */
    public record Column(String path, String name, Field field) {
    }

    public List<Column> columns(Kind kind) {
        return columnsByKind.computeIfAbsent(kind.collection(), c -> Field.columnFields(kind.fields()).stream()
                .map(e -> new Column(e.getKey(), Field.column(e.getKey()), e.getValue())).toList());
    }

    public Optional<Column> column(Kind kind, String path) {
        return columns(kind).stream().filter(c -> c.path.equals(path)).findFirst();
    }

    // ---- reads

    public Optional<Row> find(Kind kind, UUID id, Scope scope) {
        return find(kind, id, scope, false);
    }

    /**
     * The record, locked until the transaction ends: concurrent writes of one record take turns,
     * so each reads the version the previous one wrote (only a stale If-Match answers 412).
     */
    public Optional<Row> findForUpdate(Kind kind, UUID id, Scope scope) {
        return find(kind, id, scope, true);
    }

    private Optional<Row> find(Kind kind, UUID id, Scope scope, boolean forUpdate) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        String sql = "SELECT t.* FROM " + kind.table() + " t WHERE t.id = :id AND " + scope.predicate(kind, "t", params)
                + (forUpdate ? " FOR UPDATE" : "");
        return jdbc.query(sql, params, (rs, i) -> row(kind, rs)).stream().findFirst();
    }

    public List<Row> findAll(Kind kind, List<UUID> ids) {
        if (ids.isEmpty()) return List.of();
        return jdbc.query("SELECT t.* FROM " + kind.table() + " t WHERE t.id IN (:ids)", Map.of("ids", ids),
                (rs, i) -> row(kind, rs));
    }

    /** One page of a list, and the total count of the same query. */
    public record Page(List<Row> rows, long total) {
    }

    public Page list(Kind kind, ListQuery query, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        String where = where(kind, query, scope, params);
        String order = query.sort().stream()
                .map(s -> "t." + s.column() + (s.descending() ? " DESC" : " ASC") + (nullable(kind, s.column()) ? " NULLS LAST" : ""))
                .collect(Collectors.joining(", "));
        order = order.isEmpty() ? "t.id" : order + ", t.id";
        params.put("limit", query.size());
        params.put("offset", (long) query.page() * query.size());
        List<Row> rows = jdbc.query("SELECT t.* FROM " + kind.table() + " t WHERE " + where + " ORDER BY " + order
                + " LIMIT :limit OFFSET :offset", params, (rs, i) -> row(kind, rs));
        long total = rows.size() < query.size() && (query.page() == 0 || !rows.isEmpty())
                ? (long) query.page() * query.size() + rows.size()
                : jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " t WHERE " + where, params, Long.class);
        return new Page(rows, total);
    }

    /**
     * Records without a value sort last in both directions (sort=-memory shows the biggest first,
     * not the unknown ones), the same on H2 and PostgreSQL. Columns that always hold a value keep
     * plain ORDER BY so their indexes serve both directions.
     */
    private boolean nullable(Kind kind, String column) {
        if (column.equals("name")) return false;
        return columns(kind).stream().anyMatch(c -> c.name.equals(column) && !c.field.isRequired());
    }

    private String where(Kind kind, ListQuery query, Scope scope, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        conditions.add(scope.predicate(kind, "t", params));
        int n = 0;
        for (ListQuery.Condition c : query.conditions()) {
            String p = "f" + n++;
            params.put(p, c.values());
            switch (c.kind()) {
                case COLUMN -> conditions.add(c.ignoreCase()
                        ? "LOWER(t." + c.column() + ") IN (:" + p + ")" : "t." + c.column() + " IN (:" + p + ")");
                case RELATION -> {
                    params.put(p + "_field", c.column());
                    conditions.add("t.id IN (SELECT r.src_id FROM relation r WHERE r.field = :" + p + "_field AND r.dst_id IN (:" + p + "))");
                }
                case TAG -> {
                    params.put(p + "_key", c.column());
                    params.put(p + "_kind", kind.collection());
                    conditions.add("t.id IN (SELECT g.record_id FROM record_tag g WHERE g.kind = :" + p + "_kind AND g.tag_key = :"
                            + p + "_key" + (c.values().get(0) == null ? ")" : " AND g.tag_value IN (:" + p + "))"));
                }
                case SERVICE -> conditions.add("t.id IN (SELECT ss.server_id FROM server_service ss WHERE ss.service_id IN (:" + p + "))");
            }
        }
        if (query.q() != null) {
            params.put("q", dialect.containsPattern(query.q()));
            List<String> searched = new ArrayList<>();
            searched.add("name");
            searched.addAll(kind.searchColumns());
            conditions.add("(" + searched.stream().map(col -> dialect.containsIgnoreCase("t." + col, "q"))
                    .collect(Collectors.joining(" OR ")) + ")");
        }
        return String.join(" AND ", conditions);
    }

    /** Streams every readable record in id order, a batch at a time (constant memory). */
    public List<Row> batchAfter(Kind kind, UUID after, int size, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("limit", size);
        String cond = scope.predicate(kind, "t", params);
        if (after != null) {
            params.put("after", after);
            cond += " AND t.id > :after";
        }
        return jdbc.query("SELECT t.* FROM " + kind.table() + " t WHERE " + cond + " ORDER BY t.id LIMIT :limit",
                params, (rs, i) -> row(kind, rs));
    }

    private Row row(Kind kind, ResultSet rs) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column c : columns(kind)) values.put(c.path, fromJdbc(c.field, rs, c.name));
        return new Row(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class), values);
    }

    private Object fromJdbc(Field f, ResultSet rs, String column) throws SQLException {
        return switch (f.type) {
            case REF, ID -> rs.getObject(column, UUID.class);
            case INTEGER -> {
                long v = rs.getLong(column);
                yield rs.wasNull() ? null : v;
            }
            case NUMBER -> {
                double v = rs.getDouble(column);
                yield rs.wasNull() ? null : v;
            }
            case BOOLEAN -> {
                boolean v = rs.getBoolean(column);
                yield rs.wasNull() ? null : v;
            }
            case LIST, FREEFORM, ANY -> {
                String text = rs.getString(column);
                yield text == null ? null : Json.parse(text);
            }
            default -> rs.getString(column);
        };
    }

    // ---- writes

    public void insert(Kind kind, UUID id, UUID teamId, OffsetDateTime now, Draft draft) {
        MapSqlParameterSource params = values(kind, draft);
        params.addValue("id", id).addValue("team_id", teamId).addValue("now", now);
        List<String> cols = new ArrayList<>(List.of("id", "team_id", "version", "created_at", "updated_at"));
        List<String> vals = new ArrayList<>(List.of(":id", ":team_id", "1", ":now", ":now"));
        for (Column c : columns(kind)) {
            cols.add(c.name);
            vals.add(c.field.isJson() ? dialect.jsonParam(c.name) : ":" + c.name);
        }
        jdbc.update("INSERT INTO " + kind.table() + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", vals) + ")", params);
    }

    /** Replaces the stored values if the version is still {@code expectedVersion}; false when it moved on. */
    public boolean update(Kind kind, UUID id, long expectedVersion, UUID teamId, OffsetDateTime now, Draft draft) {
        MapSqlParameterSource params = values(kind, draft);
        params.addValue("id", id).addValue("team_id", teamId).addValue("now", now).addValue("expected", expectedVersion);
        String sets = columns(kind).stream()
                .map(c -> c.name + " = " + (c.field.isJson() ? dialect.jsonParam(c.name) : ":" + c.name))
                .collect(Collectors.joining(", "));
        return jdbc.update("UPDATE " + kind.table() + " SET " + sets + ", team_id = :team_id, version = version + 1, updated_at = :now"
                + " WHERE id = :id AND version = :expected", params) == 1;
    }

    /** Bumps version and time of a record changed through its relations (a linked record was deleted). */
    public void touch(Kind kind, List<UUID> ids, OffsetDateTime now) {
        if (ids.isEmpty()) return;
        jdbc.update("UPDATE " + kind.table() + " SET version = version + 1, updated_at = :now WHERE id IN (:ids)",
                Map.of("ids", ids, "now", now));
    }

    public void delete(Kind kind, UUID id) {
        jdbc.update("DELETE FROM " + kind.table() + " WHERE id = :id", Map.of("id", id));
    }

    private MapSqlParameterSource values(Kind kind, Draft draft) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        for (Column c : columns(kind)) {
            Object v = draft.values.get(c.path);
            params.addValue(c.name, c.field.isJson() ? (v == null ? null : Json.write(v)) : v);
        }
        return params;
    }

    // ---- integrity

    /** Ids of records of {@code kind} whose column holds {@code value}, e.g. servers in a datacenter. */
    public List<UUID> idsWhere(Kind kind, String column, Object value, int limit) {
        return jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE " + column + " = :v ORDER BY id LIMIT " + limit,
                Map.of("v", value), UUID.class);
    }

    public void clearColumn(Kind kind, String column, Object value, OffsetDateTime now) {
        replaceValue(kind, column, value, null, now);
    }

    /** Sets {@code column} to {@code replacement} (null clears it) where it holds {@code value}; those records change. */
    public void replaceValue(Kind kind, String column, Object value, Object replacement, OffsetDateTime now) {
        Map<String, Object> params = new HashMap<>();
        params.put("v", value);
        params.put("r", replacement);
        params.put("now", now);
        jdbc.update("UPDATE " + kind.table() + " SET " + column + " = :r, version = version + 1, updated_at = :now WHERE "
                + column + " = :v", params);
    }

    /** Records whose {@code column} equals {@code value} (optionally ignoring case) in one team, other than {@code self}. */
    public List<UUID> duplicates(Kind kind, String column, Object value, boolean ignoreCase, UUID teamId, UUID self) {
        Map<String, Object> params = new HashMap<>();
        params.put("v", ignoreCase ? value.toString().toLowerCase() : value);
        params.put("team", teamId);
        params.put("self", self);
        String col = ignoreCase ? "LOWER(" + column + ")" : column;
        return jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE " + col + " = :v AND team_id = :team AND id <> :self"
                + " ORDER BY created_at, id LIMIT 100", params, UUID.class);
    }

    private final java.util.concurrent.locks.ReentrantLock[] nameLocks = java.util.stream.IntStream.range(0, 64)
            .mapToObj(i -> new java.util.concurrent.locks.ReentrantLock()).toArray(java.util.concurrent.locks.ReentrantLock[]::new);

    /**
     * Holds a lock on a name (or any unique value) of a kind until the current transaction ends, so
     * "look it up, create it when missing" runs once at a time per value: concurrent writes naming
     * one new catalog entry create it once, and a unique conflict names the record that won. A
     * transaction-scoped advisory lock on PostgreSQL (every node);
     * on the embedded H2, which only one process opens, a lock in this JVM.
     */
    public void lockName(Kind kind, String name) {
        String key = kind.table() + "\u0000" + name.strip().toLowerCase();
        if (dialect.isPostgres()) {
            long k = ((long) kind.table().hashCode() << 32) | (name.strip().toLowerCase().hashCode() & 0xffffffffL);
            jdbc.queryForList("SELECT pg_advisory_xact_lock(:k)", Map.of("k", k));
            return;
        }
        var lock = nameLocks[Math.floorMod(key.hashCode(), nameLocks.length)];
        lock.lock();
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
            org.springframework.transaction.support.TransactionSynchronizationManager.registerSynchronization(
                    new org.springframework.transaction.support.TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                            lock.unlock();
                        }
                    });
        } else {
            lock.unlock();
        }
    }

    /** Case-insensitive lookup by name (catalog kinds). */
    public Optional<UUID> idByName(Kind kind, String name) {
        return jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE LOWER(name) = :n ORDER BY created_at LIMIT 1",
                Map.of("n", name.toLowerCase()), UUID.class).stream().findFirst();
    }

    /** Which of {@code ids} exist in {@code kind} and are visible in {@code scope}. */
    public List<UUID> existing(Kind kind, List<UUID> ids, Scope scope) {
        if (ids.isEmpty()) return List.of();
        Map<String, Object> params = new HashMap<>();
        params.put("ids", ids);
        return jdbc.queryForList("SELECT t.id FROM " + kind.table() + " t WHERE t.id IN (:ids) AND " + scope.predicate(kind, "t", params),
                params, UUID.class);
    }

    /** Names of records by id (for relation lists on reads), limited to what the scope may read. */
    public Map<UUID, String> names(Kind kind, List<UUID> ids, Scope scope) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        Map<String, Object> params = new HashMap<>();
        params.put("ids", ids);
        jdbc.query("SELECT t.id, t.name FROM " + kind.table() + " t WHERE t.id IN (:ids) AND " + scope.predicate(kind, "t", params)
                + " ORDER BY t.name", params, rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("name"));
        });
        return out;
    }

    /** Counts of {@code kind} records per value of {@code column}, for the given values. */
    public Map<UUID, Long> countBy(Kind kind, String column, List<UUID> values, Scope scope) {
        Map<UUID, Long> out = new HashMap<>();
        if (values.isEmpty()) return out;
        Map<String, Object> params = new HashMap<>();
        params.put("vals", values);
        jdbc.query("SELECT t." + column + " AS v, COUNT(*) AS n FROM " + kind.table() + " t WHERE t." + column + " IN (:vals) AND "
                + scope.predicate(kind, "t", params) + " GROUP BY t." + column, params, rs -> {
            out.put(rs.getObject("v", UUID.class), rs.getLong("n"));
        });
        return out;
    }

    static SqlParameterSource[] batch(List<Map<String, Object>> rows) {
        return rows.stream().map(MapSqlParameterSource::new).toArray(SqlParameterSource[]::new);
    }
}
