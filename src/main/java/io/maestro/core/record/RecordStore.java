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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final BatchInsert batchInsert;

    public RecordStore(NamedParameterJdbcTemplate jdbc, Dialect dialect, BatchInsert batchInsert) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.batchInsert = batchInsert;
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

    /**
     * One page of a list, the total count of the same query (null when the query asked for none),
     * and the cursor of the page after it (null at the end).
     */
    public record Page(List<Row> rows, Long total, String next) {
    }

    /** ORDER BY of a list: the requested fields, values missing last either way, then id (a total order for cursors). */
    private String orderBy(Kind kind, ListQuery query) {
        return query.sort().stream()
                .map(s -> s.expression("t") + (s.descending() ? " DESC" : " ASC") + (nullable(kind, s.column()) ? " NULLS LAST" : ""))
                .collect(Collectors.joining(", ", "", query.sort().isEmpty() ? "t.id" : ", t.id"));
    }

    public Page list(Kind kind, ListQuery query, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        String where = where(kind, query, scope, params, null);
        String order = orderBy(kind, query);
        // One row more than the page: whether another page follows, so the last page has no next link.
        params.put("limit", query.size() + 1);
        params.put("offset", (long) query.page() * query.size());
        String keyset = query.after() == null ? "" : " AND " + Cursor.condition(query.sort(), query.after(), params);
        List<Row> rows = jdbc.query("SELECT t.* FROM " + kind.table() + " t WHERE " + where + keyset + " ORDER BY " + order
                + " LIMIT :limit OFFSET :offset", params, (rs, i) -> row(kind, rs));
        boolean more = rows.size() > query.size();
        if (more) rows = rows.subList(0, query.size());
        Long total = !query.total() ? null
                : query.after() == null && !more && (query.page() == 0 || !rows.isEmpty())
                ? (long) query.page() * query.size() + rows.size()
                : jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " t WHERE " + where, params, Long.class);
        String next = more ? Cursor.encode(sortValues(kind, query, rows.get(rows.size() - 1))) : null;
        return new Page(rows, total, next);
    }

    private List<Object> sortValues(Kind kind, ListQuery query, Row row) {
        List<Object> values = new ArrayList<>();
        for (ListQuery.Sort s : query.sort()) {
            values.add(switch (s.column()) {
                case "id" -> row.id();
                case "version" -> row.version();
                case "created_at" -> row.createdAt();
                case "updated_at" -> row.updatedAt();
                default -> columns(kind).stream().filter(c -> c.name.equals(s.column())).findFirst()
                        .map(c -> row.values().get(c.path)).orElse(null);
            });
        }
        values.add(row.id());
        return values;
    }

    /** A page of records as they stood at an instant: their stored API documents and the total. */
    public record DocPage(List<Map<String, Object>> docs, Long total) {
    }

    /**
     * The same list as it stood at {@code asOf}: the same conditions on the kind's version table,
     * answered with the documents stored with each version.
     */
    @SuppressWarnings("unchecked")
    public DocPage listAsOf(Kind kind, ListQuery query, Scope scope, OffsetDateTime asOf) {
        Map<String, Object> params = new HashMap<>();
        String filters = where(kind, query, scope, params, asOf);
        String where = filters + " AND " + AsOf.validAt("t", asOf);
        String order = orderBy(kind, query);
        params.put("limit", query.size());
        params.put("offset", (long) query.page() * query.size());
        List<Map<String, Object>> docs = jdbc.query("SELECT " + dialect.jsonText("t.doc") + " AS doc FROM " + kind.table() + "_version t WHERE "
                + where + " ORDER BY " + order + " LIMIT :limit OFFSET :offset", params, (rs, i) -> (Map<String, Object>) Json.parse(rs.getString("doc")));
        if (!query.total()) return new DocPage(docs, null);
        // Counting the versions valid then would read every matching version's validity range (at 1M
        // servers, ten times the index pages of the live count). A live row's current version is valid
        // from its updated_at, so: the live rows matching now, less those changed since, plus the
        // ended versions that were valid then (few for a recent as_of; indexed by valid_to). Link
        // conditions read the links valid then in all three: a row unchanged since had the same.
        Long total = jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM " + kind.table() + " t WHERE " + filters + ")"
                + " - (SELECT COUNT(*) FROM " + kind.table() + " t WHERE " + filters + " AND t.updated_at > " + AsOf.sqlInstant(asOf) + ")"
                + " + (SELECT COUNT(*) FROM " + kind.table() + "_version t WHERE " + filters
                + " AND t.valid_to IS NOT NULL AND t.valid_to > " + AsOf.sqlInstant(asOf) + " AND t.valid_from <= " + AsOf.sqlInstant(asOf) + ")", params, Long.class);
        return new DocPage(docs, total == null ? 0 : total);
    }

    /** The document of one record as it stood at {@code asOf}, if it existed then and the scope may read it. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> findAsOf(Kind kind, UUID id, Scope scope, OffsetDateTime asOf) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        String sql = "SELECT " + dialect.jsonText("t.doc") + " AS doc FROM " + kind.table() + "_version t WHERE t.id = :id AND "
                + AsOf.validAt("t", asOf) + " AND " + scope.predicate(kind, "t", params);
        return jdbc.query(sql, params, (rs, i) -> (Map<String, Object>) Json.parse(rs.getString("doc"))).stream().findFirst();
    }

    /** The stored columns of a record's version valid at {@code asOf} (for restoring write-only secrets). */
    public Optional<Row> versionAt(Kind kind, UUID id, OffsetDateTime asOf) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        return jdbc.query("SELECT t.* FROM " + kind.table() + "_version t WHERE t.id = :id AND " + AsOf.validAt("t", asOf),
                params, (rs, i) -> row(kind, rs)).stream().findFirst();
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

    /**
     * The WHERE of a live list on alias {@code t}: the query's filters and the scope's access
     * predicate, exactly as {@link #list} applies them, for features that read every matching
     * record their own way (integrations). Parameters go into {@code params}.
     */
    public String listCondition(Kind kind, ListQuery query, Scope scope, Map<String, Object> params) {
        return where(kind, query, scope, params, null);
    }

    /**
     * The WHERE of a list. With {@code asOf}, link conditions (relations, tags, services) read the
     * links' history tables, the rows valid then, with the same shape and indexes as the live ones.
     */
    private String where(Kind kind, ListQuery query, Scope scope, Map<String, Object> params, OffsetDateTime asOf) {
        List<String> conditions = new ArrayList<>();
        conditions.add(scope.predicate(kind, "t", params));
        int n = 0;
        for (ListQuery.Condition c : query.conditions()) {
            String p = "f" + n++;
            params.put(p, c.kind() == ListQuery.ConditionKind.BEFORE ? c.values().get(0) : c.values());
            switch (c.kind()) {
                case BEFORE -> conditions.add("t." + c.column() + " < :" + p);
                case COLUMN -> conditions.add(c.ignoreCase()
                        ? "LOWER(t." + c.column() + ") IN (:" + p + ")" : "t." + c.column() + " IN (:" + p + ")");
                case RELATION -> {
                    params.put(p + "_field", c.column());
                    conditions.add("t.id IN (SELECT r.src_id FROM " + AsOf.from("relation", "r", asOf) + "r.field = :" + p + "_field AND r.dst_id IN (:" + p + "))");
                }
                case TAG -> {
                    params.put(p + "_key", c.column());
                    params.put(p + "_kind", kind.collection());
                    conditions.add("t.id IN (SELECT g.record_id FROM " + AsOf.from("record_tag", "g", asOf) + "g.kind = :" + p + "_kind AND g.tag_key = :"
                            + p + "_key" + (c.values().get(0) == null ? ")" : " AND g.tag_value IN (:" + p + "))"));
                }
                case SERVICE -> conditions.add("t.id IN (SELECT ss.server_id FROM " + AsOf.from("server_service", "ss", asOf) + "ss.service_id IN (:" + p + "))");
            }
        }
        if (query.q() != null) conditions.add(search(kind, query.q(), params, asOf));
        return String.join(" AND ", conditions);
    }

    /**
     * q: one LIKE over one lower-cased expression, which PostgreSQL estimates from that column's own
     * statistics and serves from its one trigram index (rare terms) or the name order (common ones);
     * an OR of ILIKEs over five indexes it misjudged into a sequential scan. A kind that searches more
     * than its name has the generated column {@code search_text}: name and {@link Kind#searchColumns()}
     * lower-cased, joined by a newline, which q cannot hold (control characters are refused), so a term
     * never matches across two fields. The version tables (as_of) have no such column: they match each
     * field, as the live table's column does.
     */
    private String search(Kind kind, String q, Map<String, Object> params, OffsetDateTime asOf) {
        params.put("q", dialect.lowerContainsPattern(q));
        List<String> fields = new ArrayList<>();
        fields.add("name");
        fields.addAll(kind.searchColumns());
        if (fields.size() > 1 && asOf == null) return "t.search_text LIKE :q ESCAPE '\\'";
        return "(" + fields.stream().map(f -> "LOWER(t." + f + ") LIKE :q ESCAPE '\\'").collect(Collectors.joining(" OR ")) + ")";
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

    Row row(Kind kind, ResultSet rs) throws SQLException {
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

    /** A record to write in a batch. */
    public record Write(UUID id, UUID teamId, Draft draft) {
    }

    public void insert(Kind kind, UUID id, UUID teamId, OffsetDateTime now, Draft draft) {
        insertAll(kind, List.of(new Write(id, teamId, draft)), now);
    }

    /** Inserts records with one JDBC batch. */
    public void insertAll(Kind kind, List<Write> writes, OffsetDateTime now) {
        List<Object[]> rows = new ArrayList<>();
        for (Write w : writes) {
            List<Object> row = new ArrayList<>(List.of(w.id(), w.teamId(), 1L, now, now));
            addColumnValues(kind, w.draft().values, row);
            rows.add(row.toArray());
        }
        batchInsert.insert(kind.table(), tableColumns(kind, List.of()), jsonColumns(kind), rows);
    }

    /**
     * Copies rows as they are now into the kind's version table, valid from {@code at}, with the
     * API document of each (history).
     */
    public void insertVersions(Kind kind, List<Row> rows, List<String> docs, OffsetDateTime at) {
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            List<Object> row = new ArrayList<>(List.of(r.id(), r.teamId(), r.version(), r.createdAt(), r.updatedAt()));
            addColumnValues(kind, r.values(), row);
            row.add(at);
            row.add(docs.get(i));
            out.add(row.toArray());
        }
        Set<String> json = new HashSet<>(jsonColumns(kind));
        json.add("doc");
        batchInsert.insert(kind.table() + "_version", tableColumns(kind, List.of("valid_from", "doc")), json, out);
    }

    /** id, team_id, version, created_at, updated_at, the kind's columns, then {@code extra}. */
    private List<String> tableColumns(Kind kind, List<String> extra) {
        List<String> cols = new ArrayList<>(List.of("id", "team_id", "version", "created_at", "updated_at"));
        columns(kind).forEach(c -> cols.add(c.name));
        cols.addAll(extra);
        return cols;
    }

    private Set<String> jsonColumns(Kind kind) {
        return columns(kind).stream().filter(c -> c.field.isJson()).map(Column::name).collect(Collectors.toSet());
    }

    private void addColumnValues(Kind kind, Map<String, Object> values, List<Object> row) {
        for (Column c : columns(kind)) row.add(columnValue(c, values));
    }

    /** A field's value as its column takes it: nested lists and objects as JSON text. */
    private static Object columnValue(Column c, Map<String, Object> values) {
        Object v = values.get(c.path);
        return c.field.isJson() && v != null ? Json.write(v) : v;
    }

    /**
     * Replaces the values of records with one JDBC batch, each only if its version is still the
     * one read ({@code expected}, the same check as {@link #update}). Returns, per write, whether
     * it was applied.
     */
    public boolean[] updateAll(Kind kind, List<Write> writes, List<Long> expected, OffsetDateTime now) {
        if (writes.isEmpty()) return new boolean[0];
        SqlParameterSource[] batch = new SqlParameterSource[writes.size()];
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            batch[i] = values(kind, w.draft()).addValue("id", w.id()).addValue("team_id", w.teamId()).addValue("now", now)
                    .addValue("expected", expected.get(i));
        }
        int[] counts = jdbc.batchUpdate("UPDATE " + kind.table() + " SET " + assignments(kind) + ", team_id = :team_id, version = version + 1, updated_at = :now"
                + " WHERE id = :id AND version = :expected", batch);
        boolean[] applied = new boolean[counts.length];
        // a driver that batches without per-row counts answers SUCCESS_NO_INFO (-2): the statement ran
        for (int i = 0; i < counts.length; i++) applied[i] = counts[i] != 0;
        return applied;
    }

    private String assignments(Kind kind) {
        return columns(kind).stream()
                .map(c -> c.name + " = " + (c.field.isJson() ? dialect.jsonParam(c.name) : ":" + c.name))
                .collect(Collectors.joining(", "));
    }

    /** Replaces the stored values if the version is still {@code expectedVersion}; false when it moved on. */
    public boolean update(Kind kind, UUID id, long expectedVersion, UUID teamId, OffsetDateTime now, Draft draft) {
        MapSqlParameterSource params = values(kind, draft);
        params.addValue("id", id).addValue("team_id", teamId).addValue("now", now).addValue("expected", expectedVersion);
        return jdbc.update("UPDATE " + kind.table() + " SET " + assignments(kind) + ", team_id = :team_id, version = version + 1, updated_at = :now"
                + " WHERE id = :id AND version = :expected", params) == 1;
    }

    /** Bumps version and time of a record changed through its relations (a linked record was deleted). */
    public void touch(Kind kind, List<UUID> ids, OffsetDateTime now) {
        if (ids.isEmpty()) return;
        jdbc.update("UPDATE " + kind.table() + " SET version = version + 1, updated_at = :now WHERE id IN (:ids)",
                Map.of("ids", ids, "now", now));
    }

    /** Deletes the record if its version is still {@code expectedVersion}; false when it moved on (nothing deleted). */
    public boolean delete(Kind kind, UUID id, long expectedVersion) {
        return jdbc.update("DELETE FROM " + kind.table() + " WHERE id = :id AND version = :expected",
                Map.of("id", id, "expected", expectedVersion)) == 1;
    }

    private MapSqlParameterSource values(Kind kind, Draft draft) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        for (Column c : columns(kind)) params.addValue(c.name, columnValue(c, draft.values));
        return params;
    }

    // ---- integrity

    /**
     * For the rest of a bulk transaction on PostgreSQL: no bitmap scans, so equality lookups use
     * the b-tree indexes rather than the trigram indexes meant for {@code q} (an IP's trigrams are
     * shared by most rows, and the planner misjudges that while a table grows).
     */
    public void preferBtreeLookups() {
        if (dialect.isPostgres()) jdbc.getJdbcTemplate().execute("SET LOCAL enable_bitmapscan = off");
    }

    /**
     * Refreshes PostgreSQL's statistics of a kind's tables while a bulk import grows them (it sees
     * the import's own uncommitted rows); with the statistics of an empty table the planner would
     * scan instead of using the indexes for the import's lookups.
     */
    public void analyze(Kind kind) {
        if (!dialect.isPostgres()) return;
        jdbc.getJdbcTemplate().execute("ANALYZE " + kind.table());
        jdbc.getJdbcTemplate().execute("ANALYZE " + kind.table() + "_version");
    }

    /** Records whose columns each hold one of the given values (unscoped: integrity checks). */
    public List<Row> findWhere(Kind kind, Map<String, List<Object>> valuesByColumn) {
        if (valuesByColumn.values().stream().anyMatch(List::isEmpty)) return List.of();
        Map<String, Object> params = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        valuesByColumn.forEach((column, values) -> {
            params.put("v" + params.size(), values);
            conditions.add("t." + column + " IN (:v" + (params.size() - 1) + ")");
        });
        return jdbc.query("SELECT t.* FROM " + kind.table() + " t WHERE " + String.join(" AND ", conditions), params,
                (rs, i) -> row(kind, rs));
    }

    /** Ids of records of {@code kind} whose column holds {@code value}, e.g. servers in a datacenter. */
    public List<UUID> idsWhere(Kind kind, String column, Object value, int limit) {
        return jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE " + column + " = :v ORDER BY id LIMIT " + Math.min(limit, 1_000_000),
                Map.of("v", value), UUID.class);
    }

    /** Clears a reference column; the caller bumps the versions of the records it changed (touch). */
    public void clearColumn(Kind kind, String column, Object value) {
        replaceValue(kind, column, value, null);
    }

    /**
     * Clears a reference and the columns that describe it where it holds {@code value} (a server's
     * {@code datacenter.id} with its region, zone and instance id); the caller touches those records.
     */
    public void clearReference(Kind kind, Column reference, Object value) {
        String prefix = reference.path().contains(".") ? reference.path().substring(0, reference.path().lastIndexOf('.') + 1) : null;
        List<String> cleared = columns(kind).stream()
                .filter(c -> c.equals(reference) || (prefix != null && c.path().startsWith(prefix) && !c.field().isJson()))
                .map(c -> c.name() + " = NULL").toList();
        jdbc.update("UPDATE " + kind.table() + " SET " + String.join(", ", cleared) + " WHERE " + reference.name() + " = :v", Map.of("v", value));
    }

    /** Sets {@code column} to {@code replacement} (null clears it) where it holds {@code value}; the caller touches those records. */
    public void replaceValue(Kind kind, String column, Object value, Object replacement) {
        Map<String, Object> params = new HashMap<>();
        params.put("v", value);
        params.put("r", replacement);
        jdbc.update("UPDATE " + kind.table() + " SET " + column + " = :r WHERE " + column + " = :v", params);
    }

    /**
     * Records whose {@code column} equals {@code value} (optionally ignoring case) in one team, other
     * than {@code self}, that {@code scope} may read.
     */
    /** Values of {@code column} that more than one readable record of the same team holds: (team id, value) pairs. */
    public List<Map.Entry<UUID, Object>> repeatedValues(Kind kind, String column, boolean ignoreCase, Scope scope, int limit) {
        Map<String, Object> params = new HashMap<>();
        params.put("limit", limit);
        String col = ignoreCase ? "LOWER(t." + column + ")" : "t." + column;
        return jdbc.query("SELECT t.team_id AS team, " + col + " AS v FROM " + kind.table() + " t WHERE t." + column + " IS NOT NULL AND "
                + scope.predicate(kind, "t", params) + " GROUP BY t.team_id, " + col + " HAVING COUNT(*) > 1 ORDER BY v LIMIT :limit",
                params, (rs, i) -> Map.entry(rs.getObject("team", UUID.class), rs.getObject("v")));
    }

    /**
     * For each duplicate rule of {@code kind}, the other records of {@code teamId} holding the same
     * value as {@code values} (oldest first, at most 100): one round trip for all rules.
     */
    public Map<Kind.DuplicateRule, List<UUID>> duplicates(Kind kind, Map<String, Object> values, UUID teamId, UUID self, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("team", teamId);
        params.put("self", self);
        List<Kind.DuplicateRule> rules = new ArrayList<>();
        List<String> branches = new ArrayList<>();
        for (Kind.DuplicateRule rule : kind.duplicateRules()) {
            Object v = values.get(rule.field());
            if (v == null) continue;
            String column = Field.column(rule.field());
            String col = rule.ignoreCase() ? "LOWER(t." + column + ")" : "t." + column;
            params.put("v" + rules.size(), rule.ignoreCase() ? v.toString().toLowerCase() : v);
            branches.add("(SELECT " + rules.size() + " AS rule, t.id, t.created_at FROM " + kind.table() + " t WHERE " + col + " = :v" + rules.size()
                    + " AND t.team_id = :team AND t.id <> :self AND " + scope.predicate(kind, "t", params) + " ORDER BY t.created_at, t.id LIMIT 100)");
            rules.add(rule);
        }
        Map<Kind.DuplicateRule, List<UUID>> out = new LinkedHashMap<>();
        if (rules.isEmpty()) return out;
        jdbc.query("SELECT rule, id FROM (" + String.join(" UNION ALL ", branches) + ") d ORDER BY rule, created_at, id", params,
                rs -> {
                    out.computeIfAbsent(rules.get(rs.getInt("rule")), r -> new ArrayList<>()).add(rs.getObject("id", UUID.class));
                });
        return out;
    }

    /** For each value (lower-cased when {@code ignoreCase}), the ids of records in {@code teams} holding it. */
    public Map<String, List<UUID>> holders(Kind kind, String column, java.util.Collection<Object> values, boolean ignoreCase,
                                           java.util.Collection<UUID> teams) {
        Map<String, List<UUID>> out = new HashMap<>();
        if (values.isEmpty() || teams.isEmpty()) return out;
        String col = ignoreCase ? "LOWER(" + column + ")" : column;
        jdbc.query("SELECT id, team_id, " + col + " AS v FROM " + kind.table() + " WHERE team_id IN (:teams) AND " + col + " IN (:vals)"
                + " ORDER BY created_at, id", Map.of("teams", teams, "vals", values), rs -> {
            out.computeIfAbsent(rs.getObject("team_id", UUID.class) + "\u0000" + rs.getString("v"), k -> new ArrayList<>())
                    .add(rs.getObject("id", UUID.class));
        });
        return out;
    }

    /** H2's unique-value locks: 64 per table, so a long bulk of one kind never holds up the writes of another. */
    private final Map<String, java.util.concurrent.locks.ReentrantLock[]> nameLocks = new ConcurrentHashMap<>();

    /**
     * Holds a lock on a name (or any unique value) of a kind until the current transaction ends, so
     * "look it up, create it when missing" runs once at a time per value: concurrent writes naming
     * one new catalog entry create it once, and a unique conflict names the record that won. A
     * transaction-scoped advisory lock on PostgreSQL (every node);
     * on the embedded H2, which only one process opens, a lock in this JVM.
     */
    public void lockName(Kind kind, String name) {
        lockNames(kind, List.of(name));
    }

    /**
     * Locks many unique values at once (a bulk chunk), in one fixed order so two writers never
     * wait on each other crosswise. On PostgreSQL the values share 1024 lock slots per kind, so
     * a chunk holds a bounded number of advisory locks however many rows it has (a single write
     * takes the slot of its value, the same one).
     */
    public void lockNames(Kind kind, java.util.Collection<String> names) {
        if (names.isEmpty()) return;
        if (dialect.isPostgres()) {
            java.util.TreeSet<Long> keys = new java.util.TreeSet<>();
            for (String name : names) keys.add(slotKey(kind, name));
            jdbc.queryForList("SELECT pg_advisory_xact_lock(k) FROM (SELECT CAST(unnest(ARRAY[:keys]) AS BIGINT) AS k) s ORDER BY k",
                    Map.of("keys", new ArrayList<>(keys)));
            return;
        }
        java.util.TreeSet<Integer> stripes = new java.util.TreeSet<>();
        for (String name : names) stripes.add(stripe(kind, name));
        var locks = nameLocks.computeIfAbsent(kind.table(), t -> java.util.stream.IntStream.range(0, 64)
                .mapToObj(i -> new java.util.concurrent.locks.ReentrantLock()).toArray(java.util.concurrent.locks.ReentrantLock[]::new));
        for (int stripe : stripes) lockStripe(locks[stripe]);
    }

    private static long slotKey(Kind kind, String name) {
        return ((long) kind.table().hashCode() << 32) | Math.floorMod(name.strip().toLowerCase().hashCode(), 1024);
    }

    private int stripe(Kind kind, String name) {
        return Math.floorMod(name.strip().toLowerCase().hashCode(), 64);
    }

    private void lockStripe(java.util.concurrent.locks.ReentrantLock lock) {
        try {
            // JVM locks cannot see a deadlock the way PostgreSQL does: a bounded wait answers as a lock timeout instead
            if (!lock.tryLock(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new org.springframework.dao.CannotAcquireLockException("timed out waiting for a unique-value lock");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.springframework.dao.CannotAcquireLockException("interrupted waiting for a unique-value lock", e);
        }
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

    /** Ids of the records holding each of {@code lowerNames} (lower-cased), case-insensitively (unique names). */
    public Map<String, UUID> idsByNames(Kind kind, java.util.Collection<String> lowerNames) {
        Map<String, UUID> out = new HashMap<>();
        if (lowerNames.isEmpty()) return out;
        jdbc.query("SELECT id, LOWER(name) AS n FROM " + kind.table() + " WHERE LOWER(name) IN (:n) ORDER BY created_at DESC",
                Map.of("n", new ArrayList<>(lowerNames)), rs -> {
                    out.put(rs.getString("n"), rs.getObject("id", UUID.class));
                });
        return out;
    }

    /** Whether a record with this id exists in the kind's table, whoever may read it. */
    public boolean exists(Kind kind, UUID id) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " WHERE id = :id", Map.of("id", id), Long.class);
        return n != null && n > 0;
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
        return names(kind, ids, scope, null);
    }

    /** The same with {@code asOf}: the names of the records that stood then (deleted since or not), as they were. */
    public Map<UUID, String> names(Kind kind, List<UUID> ids, Scope scope, OffsetDateTime asOf) {
        Map<UUID, String> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        Map<String, Object> params = new HashMap<>();
        params.put("ids", ids);
        jdbc.query("SELECT t.id, t.name FROM " + AsOf.from(kind.table(), "t", asOf) + "t.id IN (:ids) AND " + scope.predicate(kind, "t", params)
                + " ORDER BY t.name", params, rs -> {
            out.put(rs.getObject("id", UUID.class), rs.getString("name"));
        });
        return out;
    }

    /** A record linking to another one through {@code field}. */
    public record Referrer(String collection, UUID id, String name, String field) {
    }

    /**
     * The records of {@code sources} that link to {@code id}, limited to what the scope may read,
     * by name (then id and field): one statement for all the kinds, their names read with them.
     * With {@code asOf}, the links and names of that instant (records deleted since included).
     */
    public List<Referrer> referrers(List<Kind> sources, List<Map.Entry<Kind, Column>> refColumns, UUID id, Scope scope, OffsetDateTime asOf) {
        if (sources.isEmpty() && refColumns.isEmpty()) return List.of();
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        List<String> branches = new ArrayList<>();
        // ref() columns (a volume's server_id) point at it like relation rows do
        for (Map.Entry<Kind, Column> e : refColumns) {
            Kind src = e.getKey();
            String p = "ref_" + src.collection() + "_" + e.getValue().name();
            params.put(p, src.collection());
            params.put(p + "_field", e.getValue().path());
            branches.add("SELECT CAST(:" + p + " AS VARCHAR(64)) AS src_kind, y.id AS src_id, CAST(:" + p + "_field AS VARCHAR(255)) AS field, y.name"
                    + " FROM " + AsOf.from(src.table(), "y", asOf) + "y." + e.getValue().name() + " = :id AND " + scope.predicate(src, "y", params));
        }
        for (Kind src : sources) {
            params.put("src_" + src.collection(), src.collection());
            branches.add("SELECT r.src_kind, r.src_id, r.field, t.name"
                    + " FROM (SELECT x.src_kind, x.src_id, x.field FROM " + AsOf.from("relation", "x", asOf)
                    + "x.dst_id = :id AND x.src_kind = :src_" + src.collection() + ") r"
                    + " JOIN (SELECT y.id, y.name FROM " + AsOf.from(src.table(), "y", asOf) + scope.predicate(src, "y", params) + ") t"
                    + " ON t.id = r.src_id");
        }
        return jdbc.query(String.join(" UNION ALL ", branches) + " ORDER BY name, src_id, field", params,
                (rs, i) -> new Referrer(rs.getString("src_kind"), rs.getObject("src_id", UUID.class), rs.getString("name"), rs.getString("field")));
    }

    /**
     * Counts of the records a list with {@code query} would return, per combination of the values of
     * {@code groupColumns} (columns of the kind's table, from its schema): one GROUP BY with the
     * list's own WHERE, so filters and access are those of the list. With {@code asOf}, the versions
     * valid then. Each row: the group values in order, then the count.
     */
    public List<List<Object>> groupCounts(Kind kind, ListQuery query, List<String> groupColumns, Scope scope, OffsetDateTime asOf) {
        Map<String, Object> params = new HashMap<>();
        String where = where(kind, query, scope, params, asOf) + (asOf == null ? "" : " AND " + AsOf.validAt("t", asOf));
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < groupColumns.size(); i++) selected.add("t." + groupColumns.get(i) + " AS g" + i);
        String groups = groupColumns.stream().map(c -> "t." + c).collect(Collectors.joining(", "));
        String sql = "SELECT " + (selected.isEmpty() ? "" : String.join(", ", selected) + ", ") + "COUNT(*) AS n FROM " + kind.table()
                + (asOf == null ? "" : "_version") + " t WHERE " + where + (groups.isEmpty() ? "" : " GROUP BY " + groups);
        return jdbc.query(sql, params, (rs, i) -> {
            List<Object> row = new ArrayList<>();
            for (int g = 0; g < groupColumns.size(); g++) row.add(rs.getObject("g" + g));
            row.add(rs.getLong("n"));
            return row;
        });
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
