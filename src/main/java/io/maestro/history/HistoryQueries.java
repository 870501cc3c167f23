package io.maestro.history;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Renderer;
import io.maestro.core.record.Visibility;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads of the change log, limited in SQL to what the caller may read: entries of records of
 * the caller's teams (at the time of the change), of records shared with it now, and of the
 * catalogs. Their changes are shown without ids of records the caller may not read.
 */
@Service
public class HistoryQueries {
    private final HistoryStore store;
    private final Kinds kinds;
    private final Visibility visibility;
    private final HistoryLog log;
    private final io.maestro.core.access.AccessPolicy policy;

    HistoryQueries(HistoryStore store, Kinds kinds, Visibility visibility, HistoryLog log, io.maestro.core.access.AccessPolicy policy) {
        this.policy = policy;
        this.store = store;
        this.kinds = kinds;
        this.visibility = visibility;
        this.log = log;
    }

    /**
     * A record's entries the caller may read (the same predicate as the feed). 404 when there are
     * none and the record is not readable now: another team's record reads like an unknown id,
     * also after it was deleted.
     */
    @Transactional(readOnly = true)
    public Map<String, Object> ofRecord(Kind kind, UUID id, long page, long size, Caller caller) {
        long total = store.countOf(kind, id, caller);
        if (total == 0 && !store.readableNow(kind, id, policy.readScope(caller))) throw ProblemException.notFound(kind.label());
        List<Create> creates = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (HistoryStore.Entry e : store.entriesOf(kind, id, caller, size, page * size)) items.add(entry(e, false, creates));
        fillCreateChanges(creates);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", masked(items, caller));
        body.put("total", total);
        body.put("page", page);
        body.put("size", size);
        return body;
    }

    @Transactional(readOnly = true)
    public Map<String, Object> feed(OffsetDateTime since, OffsetDateTime until, String kind, String actor, String action,
                                    Long cursor, int size, Caller caller) {
        List<Create> creates = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (HistoryStore.Entry e : store.feed(new HistoryStore.Feed(since, until, kind, actor, action, cursor), caller, size + 1)) {
            items.add(entry(e, true, creates));
        }
        fillCreateChanges(creates);
        Map<String, Object> body = new LinkedHashMap<>();
        boolean more = items.size() > size;
        if (more) items = items.subList(0, size);
        body.put("items", masked(items, caller));
        body.put("next", more ? next(since, until, kind, actor, action, size, items.get(items.size() - 1).get("seq")) : null);
        return body;
    }

    /** The link to the older entries: the same filters, after the last entry of this page. */
    private static String next(OffsetDateTime since, OffsetDateTime until, String kind, String actor, String action, int size, Object seq) {
        var b = org.springframework.web.util.UriComponentsBuilder.fromPath("/api/v1/history");
        if (since != null) b.queryParam("since", since.toString());
        if (until != null) b.queryParam("until", until.toString());
        if (kind != null) b.queryParam("kind", kind);
        if (actor != null) b.queryParam("actor", actor);
        if (action != null) b.queryParam("action", action);
        return b.queryParam("size", size).queryParam("cursor", seq).encode().build().toUriString();
    }

    /** The entries' changes without ids of records the caller may not read (see {@link Visibility}). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> masked(List<Map<String, Object>> items, Caller caller) {
        Set<String> strings = new HashSet<>();
        items.forEach(e -> Visibility.strings(e.get("changes"), strings));
        Set<String> hidden = visibility.hidden(strings, policy.readScope(caller));
        if (hidden.isEmpty()) return items;
        items.forEach(e -> e.put("changes", masked((List<Map<String, Object>>) e.get("changes"), hidden)));
        return items;
    }

    /**
     * Changes without hidden ids: left out of id lists, cleared as values; a link to a hidden
     * record ({@code dependencies[0].target_id}) takes its attributes along; a change that no
     * longer changes anything visible is left out.
     */
    static List<Map<String, Object>> masked(List<Map<String, Object>> changes, Set<String> hidden) {
        Set<String> oldGone = new HashSet<>();
        Set<String> newGone = new HashSet<>();
        for (Map<String, Object> c : changes) {
            String field = String.valueOf(c.get("field"));
            if (!field.endsWith(".target_id")) continue;
            String link = field.substring(0, field.length() - "target_id".length());
            if (hidden.contains(c.get("old"))) oldGone.add(link);
            if (hidden.contains(c.get("new"))) newGone.add(link);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : changes) {
            String field = String.valueOf(c.get("field"));
            Map<String, Object> m = new LinkedHashMap<>(c);
            m.put("old", oldGone.stream().anyMatch(field::startsWith) ? null : orNull(Visibility.without(c.get("old"), hidden)));
            m.put("new", newGone.stream().anyMatch(field::startsWith) ? null : orNull(Visibility.without(c.get("new"), hidden)));
            boolean listed = false;
            for (String key : List.of("added", "removed")) {
                if (!c.containsKey(key)) continue;
                Object v = Visibility.without(c.get(key), hidden);
                m.put(key, v);
                listed |= v instanceof List<?> l && !l.isEmpty();
            }
            if (!listed && Objects.equals(m.get("old"), m.get("new"))) continue;
            out.add(m);
        }
        return out;
    }

    /** An empty list reads as no list (as in {@link Diff}). */
    private static Object orNull(Object v) {
        return v instanceof List<?> l && l.isEmpty() ? null : v;
    }

    /** An entry read without its changes: a create, whose changes are derived from its first version. */
    private record Create(Map<String, Object> entry, String kind, UUID id, OffsetDateTime at) {
    }

    private static Map<String, Object> entry(HistoryStore.Entry row, boolean withRecord, List<Create> creates) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", row.seq());
        e.put("at", Renderer.time(row.at()));
        e.put("actor", row.actor());
        e.put("action", row.action());
        e.put("version", row.version());
        if (withRecord) {
            e.put("kind", row.kind());
            e.put("id", row.recordId().toString());
        }
        e.put("changes", row.changes() == null ? List.of() : Json.parse(row.changes()));
        if (row.changes() == null) creates.add(new Create(e, row.kind(), row.recordId(), row.at()));
        return e;
    }

    /** One query per kind for the create entries of a page. */
    private void fillCreateChanges(List<Create> creates) {
        Map<String, List<Create>> byKind = new LinkedHashMap<>();
        creates.forEach(c -> byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c));
        byKind.forEach((collection, list) -> kinds.find(collection).ifPresent(kind -> {
            Map<String, List<Map<String, Object>>> changes = log.createChanges(kind,
                    list.stream().map(Create::id).distinct().toList(), list.stream().map(Create::at).distinct().toList());
            list.forEach(c -> c.entry().put("changes", changes.getOrDefault(HistoryLog.createKey(c.id(), c.at()), List.of())));
        }));
    }
}
