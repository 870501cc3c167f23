package io.maestro.insight;

import io.maestro.core.Dialect;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * SQL of the insight views: the impact walk, the pivot's paths and the quality counts. Each
 * statement reads only records the scope may read; the services shape what it returns.
 */
@Repository
class InsightStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate walker;
    private final Kinds kinds;
    private final RecordStore store;
    private final Dialect dialect;

    InsightStore(NamedParameterJdbcTemplate jdbc, Kinds kinds, RecordStore store, Dialect dialect) {
        this.jdbc = jdbc;
        // a hop's statement with a fetch size: PostgreSQL then runs it without parallel workers (a
        // portal that may be suspended never uses them), whose start-up cost a hop more than its
        // few thousand index lookups, most of all on a busy machine
        JdbcTemplate hops = new JdbcTemplate(jdbc.getJdbcTemplate().getDataSource());
        hops.setFetchSize(CHUNK * 4);
        this.walker = new NamedParameterJdbcTemplate(hops);
        this.kinds = kinds;
        this.store = store;
        this.dialect = dialect;
    }

    // ---- impact

    /** A record reached at its shortest depth, by one edge from a record one hop nearer (or a root). */
    record Reached(UUID id, String collection, String name, int depth, UUID from, String relation) {
    }

    /** What the walk reached within the depth, nearest first, and whether records lie beyond it. */
    record Walk(List<Reached> reached, boolean truncated) {
    }

    /** The fields that carry failure from the record they name to the record holding them (insight.md). */
    private static final List<String> HURT_BY = List.of("server_ids", "target_ids", "dependencies");

    /**
     * One branch of the failure edges: the edges leaving the frontier records in {@code :param}
     * as rows (from_id: the failing record, to_id and to_kind: the one it hurts, relation: the
     * owning side's field), live or as they stood at {@code asOf}, an index lookup by those ids.
     * Relations are stored on the owning side: links to a server, to a dependency or a target are
     * followed from their destination to their owner; membership of a system and a system's
     * clients the other way.
     */
    private record Branch(String param, Set<String> leaves, String sql) {
    }

    /** The branches, each with the kinds whose records it can leave: a hop asks only those its frontier needs. */
    private List<Branch> branches(OffsetDateTime asOf) {
        Set<String> hurting = new HashSet<>(), members = new HashSet<>(), served = new HashSet<>();
        for (Kind k : kinds.all()) {
            for (Field f : k.fields()) {
                if (HURT_BY.contains(f.name)) hurting.addAll(f.refKinds());
                if (f.name.equals("system_ids")) members.add(k.collection());
                if (f.name.equals("client_ids")) served.add(k.collection());
            }
        }
        String to = "CAST(%s AS VARCHAR(32)) AS to_kind, ";
        return List.of(
                new Branch("hurting", hurting, "SELECT r.dst_id AS from_id, r.src_id AS to_id, " + to.formatted("r.src_kind") + "r.field AS relation FROM "
                        + AsOf.from("relation", "r", asOf) + "r.dst_id = ANY(:hurting) AND r.field IN ('" + String.join("', '", HURT_BY) + "')"),
                new Branch("members", members, "SELECT r.src_id AS from_id, r.dst_id AS to_id, " + to.formatted("'systems'") + "r.field AS relation FROM "
                        + AsOf.from("relation", "r", asOf) + "r.src_id = ANY(:members) AND r.field = 'system_ids'"),
                new Branch("served", served, "SELECT r.src_id AS from_id, r.dst_id AS to_id, " + to.formatted("'clients'") + "r.field AS relation FROM "
                        + AsOf.from("relation", "r", asOf) + "r.src_id = ANY(:served) AND r.field = 'client_ids'"),
                new Branch("datacenters", Set.of("datacenters"), "SELECT s.datacenter_id AS from_id, s.id AS to_id, " + to.formatted("'servers'")
                        + "CAST('datacenter.id' AS VARCHAR(64)) AS relation FROM " + AsOf.from("server", "s", asOf) + "s.datacenter_id = ANY(:datacenters)"));
    }

    /** The kinds an edge may lead to. */
    private static final List<String> TARGETS = List.of("servers", "applications", "databases", "loadbalancers", "systems", "clients");

    /** Ids a hop's statement takes at once: a datacenter's second hop starts from tens of thousands of servers. */
    private static final int CHUNK = 5_000;

    /**
     * A hop's ids as one array parameter ({@code = ANY(:ids)}), not an IN list of one parameter
     * each: the statement's text is then the same whatever the frontier's size, so PostgreSQL
     * parses and plans it once per connection instead of once per hop (a busy server's hops bound
     * over a thousand parameters and spent 3 ms a request planning them). A Java array, bound with
     * {@code setObject}: PostgreSQL's driver then sends it in binary, 16 bytes an id, not as text.
     */
    private static UUID[] ids(List<UUID> ids) {
        return ids.toArray(new UUID[0]);
    }

    /** An edge reaching a record not reached before, at {@code depth}. */
    private record Edge(UUID to, String collection, int depth, UUID from, String relation) {
        /** Of two edges reaching a record from one hop nearer, the one kept: the same every time. */
        static Edge kept(Edge a, Edge b) {
            // the order of the ids' text, then the relation's, without writing the text
            int c = Long.compareUnsigned(b.from.getMostSignificantBits(), a.from.getMostSignificantBits());
            if (c == 0) c = Long.compareUnsigned(b.from.getLeastSignificantBits(), a.from.getLeastSignificantBits());
            if (c == 0) c = b.relation.compareTo(a.relation);
            return c < 0 ? b : a;
        }
    }

    /**
     * From the {@code roots} (records of {@code kind} failing together), breadth first, one
     * statement per hop (per {@link #CHUNK} records of the hop's frontier): the edges leaving the
     * records reached last, only into records the scope may read (so the walk never passes through
     * a hidden one), and the names of those records. A record already reached is not followed
     * again, so each is read once, at its shortest depth, by one edge from a record one hop nearer,
     * and a cycle ends where it closes. A recursive statement cannot skip what it has reached: at
     * 1,000,000 servers it walked the same records again at every depth (seconds for a busy server).
     * One hop beyond {@code depth} tells whether records lie beyond it (and reads the last names).
     * Names are read once a record, with the hop that leaves it, not for every edge reaching it.
     */
    Walk impact(Kind kind, List<UUID> roots, int depth, OffsetDateTime asOf, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        List<String> readable = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (String collection : TARGETS) {
            Kind k = kinds.find(collection).orElse(null);
            if (k == null) continue;
            params.put("kind_" + collection, collection);
            // live relations always name existing records: an unrestricted caller needs no check; a past
            // instant needs the record to have stood then
            String pred = scope.predicate(k, "t", params);
            if (!pred.equals("1=1") || asOf != null) {
                readable.add("(e.to_kind = :kind_" + collection + " AND EXISTS (SELECT 1 FROM " + AsOf.from(k.table(), "t", asOf) + "t.id = e.to_id AND " + pred + "))");
            } else {
                readable.add("e.to_kind = :kind_" + collection);
            }
            // a name row: no from_id
            names.put(collection, "SELECT CAST(NULL AS UUID) AS from_id, t.id AS to_id, CAST(NULL AS VARCHAR(32)) AS to_kind, CAST(NULL AS VARCHAR(64)) AS relation, t.name FROM "
                    + AsOf.from(k.table(), "t", asOf) + "t.id = ANY(:names_" + collection + ")");
        }
        String readableSql = String.join(" OR ", readable);
        List<Branch> branches = branches(asOf);
        Set<UUID> seen = new HashSet<>(roots);
        Map<UUID, String> named = new HashMap<>();
        List<Edge> reached = new ArrayList<>();
        List<Edge> frontier = roots.stream().map(r -> new Edge(r, kind.collection(), 0, null, null)).toList();
        boolean truncated = false;
        for (int hop = 1; hop <= depth + 1 && !frontier.isEmpty(); hop++) {
            Map<UUID, Edge> next = new HashMap<>();
            for (int from = 0; from < frontier.size(); from += CHUNK) {
                Map<String, List<UUID>> byKind = new HashMap<>();
                for (Edge e : frontier.subList(from, Math.min(frontier.size(), from + CHUNK))) {
                    byKind.computeIfAbsent(e.collection(), c -> new ArrayList<>()).add(e.to());
                }
                List<String> edges = new ArrayList<>();
                for (Branch b : branches) {
                    List<UUID> ids = new ArrayList<>();
                    byKind.forEach((collection, of) -> {
                        if (b.leaves().contains(collection)) ids.addAll(of);
                    });
                    if (ids.isEmpty()) continue;
                    params.put(b.param(), ids(ids));
                    edges.add(b.sql());
                }
                List<String> parts = new ArrayList<>();
                if (!edges.isEmpty()) parts.add("SELECT e.from_id, e.to_id, e.to_kind, e.relation, CAST(NULL AS VARCHAR(255)) AS name FROM ("
                        + String.join(" UNION ALL ", edges) + ") e WHERE " + readableSql);
                // the roots' names are known; the others are read with the hop that leaves them
                if (hop > 1) byKind.forEach((collection, of) -> {
                    params.put("names_" + collection, ids(of));
                    parts.add(names.get(collection));
                });
                if (parts.isEmpty()) continue;
                int d = hop;
                walker.query(String.join(" UNION ALL ", parts), params, rs -> {
                    UUID fromId = rs.getObject(1, UUID.class);
                    UUID to = rs.getObject(2, UUID.class);
                    if (fromId == null) named.put(to, rs.getString(5));
                    else if (!seen.contains(to)) next.merge(to, new Edge(to, rs.getString(3), d, fromId, rs.getString(4)), Edge::kept);
                });
            }
            if (hop > depth) {
                truncated = !next.isEmpty();
                break;
            }
            seen.addAll(next.keySet());
            reached.addAll(next.values());
            frontier = new ArrayList<>(next.values());
        }
        List<Reached> out = new ArrayList<>(reached.size());
        for (Edge e : reached) out.add(new Reached(e.to(), e.collection(), named.get(e.to()), e.depth(), e.from(), e.relation()));
        return new Walk(out, truncated);
    }

    // ---- pivot

    /** Every path client → system → application → server of readable records, ordered by name at each level ((none) last). */
    void pivot(PivotService.Filters filters, Scope scope, Consumer<PivotService.Path> out) {
        Map<String, Object> params = new HashMap<>();
        String s = readable("servers", scope, params, ", t.environment");
        String a = readable("applications", scope, params, "");
        String y = readable("systems", scope, params, "");
        String c = readable("clients", scope, params, "");
        List<String> where = new ArrayList<>();
        where.add("1=1");
        if (filters.clientId() != null) {
            params.put("client", filters.clientId());
            where.add("p.client = :client");
        }
        if (filters.systemId() != null) {
            params.put("sys", filters.systemId());
            where.add("p.sys = :sys");
        }
        if (filters.environment() != null) {
            params.put("env", filters.environment());
            where.add("s.environment = :env");
        }
        String sql = "WITH s AS (" + s + "), a AS (" + a + "), y AS (" + y + "), c AS (" + c + "),"
                // the links between readable records
                + " sa AS (SELECT r.src_id AS app, r.dst_id AS srv FROM relation r JOIN a ON a.id = r.src_id JOIN s ON s.id = r.dst_id"
                + "  WHERE r.field = 'server_ids' AND r.src_kind = 'applications'),"
                + " ay AS (SELECT r.src_id AS app, r.dst_id AS sys FROM relation r JOIN a ON a.id = r.src_id JOIN y ON y.id = r.dst_id"
                + "  WHERE r.field = 'system_ids' AND r.src_kind = 'applications'),"
                + " yc AS (SELECT r.src_id AS sys, r.dst_id AS client FROM relation r JOIN y ON y.id = r.src_id JOIN c ON c.id = r.dst_id"
                + "  WHERE r.field = 'client_ids' AND r.src_kind = 'systems'),"
                // application and server; servers in no application
                + " l1(app, srv) AS (SELECT a.id, x.srv FROM a LEFT JOIN sa x ON x.app = a.id"
                + "  UNION ALL SELECT CAST(NULL AS UUID), s.id FROM s WHERE NOT EXISTS (SELECT 1 FROM sa x WHERE x.srv = s.id)),"
                // system above; systems with no application
                + " l2(sys, app, srv) AS (SELECT z.sys, l1.app, l1.srv FROM l1 LEFT JOIN ay z ON z.app = l1.app"
                + "  UNION ALL SELECT y.id, CAST(NULL AS UUID), CAST(NULL AS UUID) FROM y WHERE NOT EXISTS (SELECT 1 FROM ay z WHERE z.sys = y.id)),"
                // client above; clients with no system
                + " p(client, sys, app, srv) AS (SELECT w.client, l2.sys, l2.app, l2.srv FROM l2 LEFT JOIN yc w ON w.sys = l2.sys"
                + "  UNION ALL SELECT c.id, CAST(NULL AS UUID), CAST(NULL AS UUID), CAST(NULL AS UUID) FROM c WHERE NOT EXISTS (SELECT 1 FROM yc w WHERE w.client = c.id))"
                + " SELECT p.client, c.name AS cname, p.sys, y.name AS yname, p.app, a.name AS aname, p.srv, s.name AS sname, s.environment"
                + " FROM p LEFT JOIN c ON c.id = p.client LEFT JOIN y ON y.id = p.sys LEFT JOIN a ON a.id = p.app LEFT JOIN s ON s.id = p.srv"
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY LOWER(c.name) NULLS LAST, p.client NULLS LAST, LOWER(y.name) NULLS LAST, p.sys NULLS LAST,"
                + " LOWER(a.name) NULLS LAST, p.app NULLS LAST, LOWER(s.name) NULLS LAST, p.srv NULLS LAST";
        jdbc.query(sql, params, rs -> {
            out.accept(new PivotService.Path(rs.getObject("client", UUID.class), rs.getString("cname"), rs.getObject("sys", UUID.class),
                    rs.getString("yname"), rs.getObject("app", UUID.class), rs.getString("aname"), rs.getObject("srv", UUID.class),
                    rs.getString("sname"), rs.getString("environment")));
        });
    }

    private String readable(String collection, Scope scope, Map<String, Object> params, String extra) {
        Kind kind = kinds.get(collection);
        return "SELECT t.id, t.name" + extra + " FROM " + kind.table() + " t WHERE " + scope.predicate(kind, "t", params);
    }

    // ---- quality

    /** Which records are measured: all readable ones, those of a team, or the members of a system. */
    record Selection(UUID team, UUID system) {
    }

    /** The counts of the measured records: how many, how many fill each field (in order), and the stale, drifted and orphaned ones. */
    record Counts(long records, List<Long> filled, long stale, long drift, long orphans) {
    }

    /** A record that misses some of the fields: which. */
    record Missing(UUID id, String name, List<String> missing) {
    }

    private String where(Kind kind, Selection selection, Scope scope, Map<String, Object> params) {
        String condition = "1=1";
        if (selection.team() != null) {
            params.put("team", selection.team());
            condition = "t.team_id = :team";
        } else if (selection.system() != null) {
            params.put("system", selection.system());
            condition = "t.id IN (SELECT m.src_id FROM relation m WHERE m.field = 'system_ids' AND m.dst_id = :system)";
        }
        return condition + " AND " + scope.predicate(kind, "t", params);
    }

    Counts counts(Kind kind, List<String> fields, Selection selection, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        String where = where(kind, selection, scope, params);
        List<String> select = new ArrayList<>();
        select.add("COUNT(*) AS records");
        for (int i = 0; i < fields.size(); i++) select.add("SUM(CASE WHEN " + filled(kind, fields.get(i)) + " THEN 1 ELSE 0 END) AS f" + i);
        String orphan = orphan(kind);
        select.add("SUM(CASE WHEN t.stale = TRUE THEN 1 ELSE 0 END) AS stale");
        select.add("SUM(CASE WHEN t.drift = TRUE THEN 1 ELSE 0 END) AS drift");
        select.add(orphan == null ? "0 AS orphans" : "SUM(CASE WHEN " + orphan + " THEN 1 ELSE 0 END) AS orphans");
        return jdbc.queryForObject("SELECT " + String.join(", ", select) + " FROM " + kind.table() + " t WHERE " + where, params, (rs, n) -> {
            List<Long> filled = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) filled.add(rs.getLong("f" + i));
            return new Counts(rs.getLong("records"), filled, rs.getLong("stale"), rs.getLong("drift"), rs.getLong("orphans"));
        });
    }

    /** Up to {@code limit} records that miss some of {@code fields}, those missing most first. */
    List<Missing> missingMost(Kind kind, List<String> fields, Selection selection, Scope scope, int limit) {
        Map<String, Object> params = new HashMap<>();
        String where = where(kind, selection, scope, params);
        List<String> filled = fields.stream().map(f -> filled(kind, f)).toList();
        String flags = String.join(" + ", filled.stream().map(f -> "CASE WHEN " + f + " THEN 1 ELSE 0 END").toList());
        List<String> flagColumns = new ArrayList<>();
        for (int i = 0; i < filled.size(); i++) flagColumns.add("CASE WHEN " + filled.get(i) + " THEN 1 ELSE 0 END AS f" + i);
        params.put("worst", limit);
        return jdbc.query("SELECT t.id, t.name, " + String.join(", ", flagColumns) + " FROM " + kind.table() + " t WHERE " + where
                + " AND " + flags + " < " + fields.size() + " ORDER BY " + flags + ", LOWER(t.name), t.id LIMIT :worst", params, (rs, n) -> {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) if (rs.getInt("f" + i) == 0) missing.add(fields.get(i));
            return new Missing(rs.getObject("id", UUID.class), rs.getString("name"), missing);
        });
    }

    /** SQL true when record {@code t} has {@code field} filled: a column with a value, a JSON list with items, a relation with a link. */
    private String filled(Kind kind, String field) {
        var relation = kind.fields().stream().filter(f -> f.type == Field.Type.REFS && f.name.equals(field)).findFirst();
        if (relation.isPresent()) {
            return "EXISTS (SELECT 1 FROM relation r WHERE r.src_id = t.id AND r.field = '" + relation.get().name + "')";
        }
        RecordStore.Column column = store.column(kind, field)
                .orElseThrow(() -> new IllegalStateException("Expectations name " + field + ", which " + kind.collection() + " does not have"));
        if (column.field().isJson()) {
            return "(t." + column.name() + " IS NOT NULL AND " + dialect.jsonText("t." + column.name()) + " NOT IN ('[]', '{}', 'null', ''))";
        }
        if (column.field().type == Field.Type.STRING || column.field().type == Field.Type.TEXT) {
            return "(t." + column.name() + " IS NOT NULL AND t." + column.name() + " <> '')";
        }
        return "t." + column.name() + " IS NOT NULL";
    }

    /** SQL true for a record that belongs to nothing (insight.md), or null for kinds where that does not apply. */
    private static String orphan(Kind kind) {
        return switch (kind.collection()) {
            case "servers" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.dst_id = t.id AND o.field = 'server_ids')";
            case "applications" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.src_id = t.id AND o.field = 'system_ids')";
            case "systems" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.src_id = t.id AND o.field = 'client_ids')";
            default -> null;
        };
    }
}
