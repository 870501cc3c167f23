package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What stops working if a record fails: the records that depend on it, directly or through
 * others, along the edges that carry failure (insight.md). {@link InsightStore#impact} walks
 * them one statement per hop, only through records the caller may read, and returns each record
 * once at its shortest depth with the edge reaching it from one hop nearer; the path explaining
 * it is that record's path one hop longer.
 */
@Service
public class ImpactService {
    public static final int MAX_DEPTH = 10;

    private final InsightStore rows;
    private final Kinds kinds;
    private final RecordStore store;
    /** Impacted records of one depth are listed in kind order: each collection's place. */
    private final Map<String, Integer> kindOrder = new HashMap<>();
    private final Comparator<Impacted> listed;

    ImpactService(InsightStore rows, Kinds kinds, RecordStore store) {
        this.rows = rows;
        this.kinds = kinds;
        this.store = store;
        for (Kind k : kinds.all()) kindOrder.putIfAbsent(k.collection(), kindOrder.size());
        listed = Comparator.comparingInt(Impacted::depth).thenComparingInt((Impacted i) -> kindOrder.getOrDefault(i.collection(), kindOrder.size()))
                .thenComparing(i -> i.name() == null ? "" : i.name(), String.CASE_INSENSITIVE_ORDER).thenComparing(Impacted::id);
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

    private record Answer(List<Impacted> impacted, Map<String, Long> counts, boolean truncated) {
    }

    /** The kinds whose failure hurts others (every failure edge starts at one of them; clients end every path). */
    private static final java.util.Set<String> SOURCES = java.util.Set.of("servers", "datacenters", "databases", "loadbalancers", "applications", "systems");

    /** Whether a record of this kind failing can hurt another (a list offers the impact of its selection). */
    public static boolean hurtsOthers(String collection) {
        return SOURCES.contains(collection);
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

    @Transactional(readOnly = true)
    public Impact of(Kind kind, UUID id, int depth, OffsetDateTime asOf, Caller caller) {
        Scope scope = Scope.of(caller);
        String rootName = store.names(kind, List.of(id), scope, asOf).get(id);
        if (rootName == null) throw ProblemException.notFound(kind.label());
        Answer answer = walk(kind, List.of(id), depth, asOf, scope);
        return new Impact(new Root(id, kind.collection(), rootName), answer.impacted(), answer.counts(), answer.truncated());
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
        Answer answer = walk(kind, roots.stream().map(Root::id).toList(), depth, asOf, scope);
        return new SelectionImpact(roots, answer.impacted(), answer.counts(), answer.truncated());
    }

    private Answer walk(Kind kind, List<UUID> roots, int depth, OffsetDateTime asOf, Scope scope) {
        InsightStore.Walk walk = rows.impact(kind, roots, depth, asOf, scope);
        // the walk comes hop by hop: a record's path is the path of the record it was reached from, one hop longer
        Map<UUID, List<Hop>> paths = new HashMap<>();
        List<Impacted> impacted = new ArrayList<>(walk.reached().size());
        for (InsightStore.Reached r : walk.reached()) {
            List<Hop> before = r.depth() == 1 ? List.of() : paths.get(r.from());
            List<Hop> via = new ArrayList<>(r.depth());
            via.addAll(before);
            via.add(new Hop(r.from(), r.relation()));
            paths.put(r.id(), via);
            impacted.add(new Impacted(r.id(), r.collection(), r.name(), r.depth(), Collections.unmodifiableList(via)));
        }
        impacted.sort(listed);
        // one pass over the records (a datacenter reaches tens of thousands), then in kind order
        Map<String, Long> tally = new HashMap<>();
        for (Impacted i : impacted) tally.merge(i.collection(), 1L, Long::sum);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Kind k : kinds.all()) {
            Long n = tally.get(k.collection());
            if (n != null) counts.put(k.collection(), n);
        }
        return new Answer(impacted, counts, walk.truncated());
    }
}
