package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What stops working if a record fails: the records that depend on it, directly or through
 * others, along the edges that carry failure (insight.md). One recursive statement walks them
 * breadth first: a row per record and depth it is reached at (UNION drops repeats, so a cycle
 * only repeats until the depth bound), each step only into records the caller may read, so the
 * walk never passes through a hidden one. The same statement keeps each record's shortest depth
 * and the edges that reach it from a record one hop nearer; the path explaining it is then
 * followed back to the root here.
 */
@Service
public class ImpactService {
    public static final int MAX_DEPTH = 10;

    private final NamedParameterJdbcTemplate jdbc;
    private final Kinds kinds;
    private final RecordStore store;

    public ImpactService(NamedParameterJdbcTemplate jdbc, Kinds kinds, RecordStore store) {
        this.jdbc = jdbc;
        this.kinds = kinds;
        this.store = store;
    }

    /** One hop of a path: the record it starts from and the relation it follows. */
    public record Hop(UUID from, String relation) {
    }

    public record Impacted(UUID id, String collection, String name, int depth, List<Hop> via) {
    }

    public record Root(UUID id, String collection, String name) {
    }

    public record Impact(Root root, List<Impacted> impacted, Map<String, Long> counts, boolean truncated) {
    }

    /** What a set of records failing together hurts: each impacted record once, its path from the nearest of them. */
    public record SelectionImpact(List<Root> roots, List<Impacted> impacted, Map<String, Long> counts, boolean truncated) {
    }

    private record Walk(List<Impacted> impacted, Map<String, Long> counts, boolean truncated) {
    }

    /** A depth parameter: 1 to {@link #MAX_DEPTH} (default), else 400 naming it. */
    public static int depth(String value) {
        if (value == null || value.isBlank()) return MAX_DEPTH;
        try {
            int d = Integer.parseInt(value.strip());
            if (d >= 1 && d <= MAX_DEPTH) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badField("depth", "must be a whole number from 1 to " + MAX_DEPTH);
    }

    /**
     * The failure edges as rows (from_id: the failing record, to_id and to_kind: the one it hurts,
     * relation: the owning side's field), live or as they stood at {@code asOf}. Relations are
     * stored on the owning side: links to a server, to a dependency or a target are walked from
     * their destination to their owner; membership of a system and a system's clients the other way.
     */
    private static String edges(OffsetDateTime asOf) {
        return "SELECT r.dst_id AS from_id, r.src_id AS to_id, r.src_kind AS to_kind, r.field AS relation FROM " + AsOf.from("relation", "r", asOf)
                + "r.field IN ('server_ids', 'target_ids', 'dependencies')"
                + " UNION ALL SELECT r.src_id, r.dst_id, 'systems', r.field FROM " + AsOf.from("relation", "r", asOf) + "r.field = 'system_ids'"
                + " UNION ALL SELECT r.src_id, r.dst_id, 'clients', r.field FROM " + AsOf.from("relation", "r", asOf) + "r.field = 'client_ids'"
                + " UNION ALL SELECT s.datacenter_id, s.id, 'servers', 'datacenter.id' FROM " + AsOf.from("server", "s", asOf) + "s.datacenter_id IS NOT NULL";
    }

    /** The kinds whose failure hurts others (every edge above starts at one of them; clients end every path). */
    private static final java.util.Set<String> SOURCES = java.util.Set.of("servers", "datacenters", "databases", "loadbalancers", "applications", "systems");

    /** Whether a record of this kind failing can hurt another (a list offers the impact of its selection). */
    public static boolean hurtsOthers(String collection) {
        return SOURCES.contains(collection);
    }

    /** The kinds an edge may lead to. */
    private static final List<String> TARGETS = List.of("servers", "applications", "databases", "loadbalancers", "systems", "clients");

    @Transactional(readOnly = true)
    public Impact of(Kind kind, UUID id, int depth, OffsetDateTime asOf, Caller caller) {
        Scope scope = Scope.of(caller);
        String rootName = store.names(kind, List.of(id), scope, asOf).get(id);
        if (rootName == null) throw ProblemException.notFound(kind.label());
        Walk walk = walk(kind, List.of(id), depth, asOf, scope);
        return new Impact(new Root(id, kind.collection(), rootName), walk.impacted(), walk.counts(), walk.truncated());
    }

    /**
     * The impact of several records of one kind failing at once (a list's selection): records
     * among them the caller may not read are left out, as the list never showed them; none
     * readable is a 404. A record of the selection is a root, never one of the impacted.
     */
    @Transactional(readOnly = true)
    public SelectionImpact ofSelection(Kind kind, List<UUID> ids, int depth, OffsetDateTime asOf, Caller caller) {
        Scope scope = Scope.of(caller);
        Map<UUID, String> names = store.names(kind, ids, scope, asOf);
        List<Root> roots = ids.stream().distinct().filter(names::containsKey).map(i -> new Root(i, kind.collection(), names.get(i))).toList();
        if (roots.isEmpty()) throw ProblemException.notFound(kind.label());
        Walk walk = walk(kind, roots.stream().map(Root::id).toList(), depth, asOf, scope);
        return new SelectionImpact(roots, walk.impacted(), walk.counts(), walk.truncated());
    }

    private Walk walk(Kind kind, List<UUID> roots, int depth, OffsetDateTime asOf, Scope scope) {
        Map<String, Object> params = new HashMap<>();
        params.put("roots", roots);
        params.put("root_kind", kind.collection());
        // one hop further than asked: whether records lie beyond it (truncated)
        params.put("limit", depth + 1);
        params.put("depth", depth);
        String edges = edges(asOf);
        List<String> readable = new ArrayList<>();
        List<String> names = new ArrayList<>();
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
            names.add("WHEN :kind_" + collection + " THEN (SELECT t.name FROM " + AsOf.from(k.table(), "t", asOf) + "t.id = b.id)");
        }
        String sql = "WITH RECURSIVE walk(id, kind, depth) AS ("
                + " SELECT t.id, CAST(:root_kind AS VARCHAR(32)), 0 FROM " + AsOf.from(kind.table(), "t", asOf) + "t.id IN (:roots)"
                + " UNION SELECT e.to_id, CAST(e.to_kind AS VARCHAR(32)), w.depth + 1 FROM walk w JOIN (" + edges + ") e ON e.from_id = w.id"
                + " WHERE w.depth < :limit AND (" + String.join(" OR ", readable) + ")),"
                + " best(id, kind, depth) AS (SELECT id, kind, MIN(depth) FROM walk WHERE id NOT IN (:roots) GROUP BY id, kind)"
                + " SELECT b.id, b.kind, b.depth, e.from_id, e.relation, CASE b.kind " + String.join(" ", names) + " END AS name"
                + " FROM best b JOIN (" + edges + ") e ON e.to_id = b.id AND e.to_kind = b.kind"
                + " WHERE b.depth <= :depth AND (e.from_id IN (:roots) AND b.depth = 1"
                + " OR e.from_id IN (SELECT p.id FROM best p WHERE p.depth = b.depth - 1))"
                + " UNION ALL SELECT NULL, NULL, COUNT(*), NULL, NULL, NULL FROM best b WHERE b.depth > :depth";
        Map<UUID, Impacted> byId = new LinkedHashMap<>();
        Map<UUID, Hop> parent = new HashMap<>();
        boolean[] truncated = {false};
        jdbc.query(sql, params, rs -> {
            UUID node = rs.getObject("id", UUID.class);
            if (node == null) {
                truncated[0] = rs.getLong("depth") > 0;
                return;
            }
            Hop hop = new Hop(rs.getObject("from_id", UUID.class), rs.getString("relation"));
            // several edges may reach a record from one hop nearer: keep one, the same every time
            Hop kept = parent.get(node);
            if (kept == null || (hop.from().toString() + hop.relation()).compareTo(kept.from().toString() + kept.relation()) < 0) {
                parent.put(node, hop);
            }
            byId.putIfAbsent(node, new Impacted(node, rs.getString("kind"), rs.getString("name"), rs.getInt("depth"), List.of()));
        });
        List<Impacted> impacted = new ArrayList<>();
        for (Impacted i : byId.values()) {
            List<Hop> via = new ArrayList<>();
            UUID at = i.id();
            for (int step = 0; step < i.depth(); step++) {
                Hop h = parent.get(at);
                via.add(0, h);
                at = h.from();
            }
            impacted.add(new Impacted(i.id(), i.collection(), i.name(), i.depth(), List.copyOf(via)));
        }
        List<String> order = new ArrayList<>(kinds.all().stream().map(Kind::collection).toList());
        impacted.sort(Comparator.comparingInt(Impacted::depth).thenComparingInt(i -> order.indexOf(i.collection()))
                .thenComparing(i -> i.name() == null ? "" : i.name(), String.CASE_INSENSITIVE_ORDER).thenComparing(Impacted::id));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String collection : order) {
            long n = impacted.stream().filter(i -> i.collection().equals(collection)).count();
            if (n > 0) counts.put(collection, n);
        }
        return new Walk(impacted, counts, truncated[0]);
    }
}
