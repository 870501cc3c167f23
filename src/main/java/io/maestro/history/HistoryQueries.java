package io.maestro.history;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Renderer;
import io.maestro.core.record.Visibility;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;
    private final Kinds kinds;
    private final Visibility visibility;
    private final HistoryLog log;
    private final io.maestro.core.access.AccessPolicy policy;

    public HistoryQueries(NamedParameterJdbcTemplate jdbc, Dialect dialect, Kinds kinds, Visibility visibility, HistoryLog log,
                          io.maestro.core.access.AccessPolicy policy) {
        this.policy = policy;
        this.jdbc = jdbc;
        this.dialect = dialect;
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
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("kind", kind.collection());
        String where = "c.record_id = :id AND c.kind = :kind AND " + access(caller, params);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM record_change c WHERE " + where, params, Long.class);
        if (total == null || total == 0) {
            Map<String, Object> p = new HashMap<>();
            p.put("id", id);
            Long now = jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " t WHERE t.id = :id AND "
                    + policy.readScope(caller).predicate(kind, "t", p), p, Long.class);
            if (now == null || now == 0) throw ProblemException.notFound(kind.label());
        }
        params.put("limit", size);
        params.put("offset", page * size);
        List<Create> creates = new ArrayList<>();
        List<Map<String, Object>> items = jdbc.query("SELECT c.seq, c.at, c.actor, c.action, c.version, c.kind, c.record_id, "
                + dialect.jsonText("c.changes") + " AS changes FROM record_change c WHERE " + where
                + " ORDER BY c.seq DESC LIMIT :limit OFFSET :offset", params, (rs, i) -> entry(rs, false, creates));
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
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        where.add(access(caller, params));
        if (since != null) { where.add("c.at >= :since"); params.put("since", since); }
        if (until != null) { where.add("c.at <= :until"); params.put("until", until); }
        if (kind != null) { where.add("c.kind = :kind"); params.put("kind", kind); }
        if (actor != null) { where.add("c.actor = :actor"); params.put("actor", actor); }
        if (action != null) { where.add("c.action = :action"); params.put("action", action); }
        if (cursor != null) { where.add("c.seq < :cursor"); params.put("cursor", cursor); }
        params.put("limit", size + 1);
        List<Create> creates = new ArrayList<>();
        List<Map<String, Object>> items = jdbc.query("SELECT c.seq, c.at, c.actor, c.action, c.version, c.kind, c.record_id, "
                + dialect.jsonText("c.changes") + " AS changes FROM record_change c WHERE " + String.join(" AND ", where)
                + " ORDER BY c.seq DESC LIMIT :limit", params, (rs, i) -> entry(rs, true, creates));
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

    /** The entries a caller may read: the AccessPolicy's rule for history (their teams' changes, records shared with them, the catalogs). */
    private String access(Caller caller, Map<String, Object> params) {
        return policy.historyPredicate(caller, "c", params);
    }

    /** An empty list reads as no list (as in {@link Diff}). */
    private static Object orNull(Object v) {
        return v instanceof List<?> l && l.isEmpty() ? null : v;
    }

    /** An entry read without its changes: a create, whose changes are derived from its first version. */
    private record Create(Map<String, Object> entry, String kind, UUID id, OffsetDateTime at) {
    }

    private static Map<String, Object> entry(ResultSet rs, boolean withRecord, List<Create> creates) throws SQLException {
        Map<String, Object> e = new LinkedHashMap<>();
        OffsetDateTime at = rs.getObject("at", OffsetDateTime.class);
        UUID id = rs.getObject("record_id", UUID.class);
        e.put("seq", rs.getLong("seq"));
        e.put("at", Renderer.time(at));
        e.put("actor", rs.getString("actor"));
        e.put("action", rs.getString("action"));
        e.put("version", rs.getLong("version"));
        if (withRecord) {
            e.put("kind", rs.getString("kind"));
            e.put("id", id.toString());
        }
        String changes = rs.getString("changes");
        e.put("changes", changes == null ? List.of() : Json.parse(changes));
        if (changes == null) creates.add(new Create(e, rs.getString("kind"), id, at));
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
