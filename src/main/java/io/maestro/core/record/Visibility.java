package io.maestro.core.record;

import io.maestro.core.access.AccessStore;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which ids in stored documents (old versions, history entries) a caller may not see. Those
 * documents were written for every reader, with the links, datacenters and sources of automatic
 * services of all teams; reads hide what the caller may not read now, as {@link Renderer} does
 * for current records. An id is hidden when it names a record (current or deleted, of a
 * team-owned kind) that the caller may not read now and that never was readable to it through
 * its teams; ids of catalog entries, teams and users stay.
 */
@Component
public class Visibility {
    private static final int CHUNK = 1000;

    private final Kinds kinds;
    private final AccessStore access;

    public Visibility(Kinds kinds, AccessStore access) {
        this.kinds = kinds;
        this.access = access;
    }

    /** The ids among {@code values} (any strings) the scope may not see. */
    public Set<String> hidden(Collection<String> values, Scope scope) {
        if (scope.unrestrictedAccess()) return Set.of();
        List<UUID> ids = values.stream().distinct().map(Visibility::uuid).filter(java.util.Objects::nonNull).toList();
        Set<UUID> records = new HashSet<>();
        Set<UUID> readable = new HashSet<>();
        for (Kind kind : kinds.all()) {
            if (kind.global()) continue;
            for (int i = 0; i < ids.size(); i += CHUNK) {
                access.readableEver(kind, ids.subList(i, Math.min(ids.size(), i + CHUNK)), scope).forEach((id, r) -> {
                    records.add(id);
                    if (r) readable.add(id);
                });
            }
        }
        records.removeAll(readable);
        Set<String> out = new HashSet<>();
        records.forEach(id -> out.add(id.toString()));
        return out;
    }

    /** Documents as the scope may see them: hidden ids left out of lists, links to them dropped, references cleared. */
    public List<Map<String, Object>> mask(List<Map<String, Object>> docs, Scope scope) {
        if (scope.unrestrictedAccess() || docs.isEmpty()) return docs;
        Set<String> strings = new HashSet<>();
        docs.forEach(d -> strings(d, strings));
        Set<String> hidden = hidden(strings, scope);
        if (hidden.isEmpty()) return docs;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : docs) out.add(mapWithout(d, hidden));
        return out;
    }

    /** Every string in a JSON value, at any depth. */
    public static void strings(Object value, Set<String> out) {
        if (value instanceof String s) out.add(s);
        else if (value instanceof Map<?, ?> m) m.values().forEach(v -> strings(v, out));
        else if (value instanceof List<?> l) l.forEach(v -> strings(v, out));
    }

    /**
     * A JSON value without the hidden ids: a hidden id in a list, a link object whose
     * {@code target_id} is hidden, or a reverse relation entry ({@code id}, name) whose
     * {@code id} is hidden, is left out; a hidden reference becomes null, and the
     * {@code source_id} of an automatic service entry is left out (as {@link Renderer} shows it).
     */
    public static Object without(Object value, Set<String> hidden) {
        if (value instanceof String s) return hidden.contains(s) ? null : s;
        if (value instanceof Map<?, ?> m) return mapWithout(m, hidden);
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object item : l) {
                if (item instanceof String s && hidden.contains(s)) continue;
                if (item instanceof Map<?, ?> m && (m.get("target_id") instanceof String t && hidden.contains(t)
                        || m.get("id") instanceof String id && hidden.contains(id))) continue;
                out.add(without(item, hidden));
            }
            return out;
        }
        return value;
    }

    private static Map<String, Object> mapWithout(Map<?, ?> m, Set<String> hidden) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if ("source_id".equals(k) && v instanceof String s && hidden.contains(s)) return;
            out.put(String.valueOf(k), without(v, hidden));
        });
        return out;
    }

    private static UUID uuid(String s) {
        if (s.length() != 36) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
