package io.maestro.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two versions of a record: one entry per changed field, nested fields by
 * path ({@code os.base}, {@code storage[1].size_gb}); lists of ids (relations) as added/removed.
 */
final class Diff {
    static final String MASK = "***";
    /** Bookkeeping fields that change with every write and say nothing by themselves. */
    private static final Set<String> SKIPPED = Set.of("id", "version", "created_at", "updated_at", "warnings");

    private Diff() {
    }

    static List<Map<String, Object>> between(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> old = new LinkedHashMap<>();
        Map<String, Object> now = new LinkedHashMap<>();
        flatten("", before == null ? Map.of() : before, old);
        flatten("", after == null ? Map.of() : after, now);
        Set<String> paths = new LinkedHashSet<>(old.keySet());
        paths.addAll(now.keySet());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (String path : paths) {
            Object o = old.get(path);
            Object n = now.get(path);
            if (Objects.equals(o, n)) continue;
            Map<String, Object> c = change(path, o, n);
            if (isIdList(o) || isIdList(n)) {
                List<?> ol = o == null ? List.of() : (List<?>) o;
                List<?> nl = n == null ? List.of() : (List<?>) n;
                c.put("added", nl.stream().filter(x -> !ol.contains(x)).toList());
                c.put("removed", ol.stream().filter(x -> !nl.contains(x)).toList());
            }
            changes.add(c);
        }
        return changes;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> doc, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            if (prefix.isEmpty() && SKIPPED.contains(e.getKey())) continue;
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                flatten(path, (Map<String, Object>) m, out);
            } else if (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map)) {
                for (int i = 0; i < l.size(); i++) {
                    Object item = l.get(i);
                    if (item instanceof Map<?, ?> m) flatten(path + "[" + i + "]", (Map<String, Object>) m, out);
                    else out.put(path + "[" + i + "]", item);
                }
            } else if (v instanceof List<?> l && l.isEmpty()) {
                // an empty list and no list read the same
            } else if (v != null) {
                out.put(path, v);
            }
        }
    }

    private static boolean isIdList(Object v) {
        return v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof String);
    }

    /**
     * Changes of write-only secrets, compared sealed ({@code auth[ops].secret} to its sealed value):
     * one set, replaced or removed shows as a change from/to "***"; its value never appears.
     */
    static List<Map<String, Object>> secrets(Map<String, String> before, Map<String, String> after) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> fields = new LinkedHashSet<>(before.keySet());
        fields.addAll(after.keySet());
        for (String field : fields) {
            String o = before.get(field);
            String n = after.get(field);
            if (Objects.equals(o, n)) continue;
            out.add(change(field, o == null ? null : MASK, n == null ? null : MASK));
        }
        return out;
    }

    private static Map<String, Object> change(String field, Object old, Object now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("field", field);
        c.put("old", old);
        c.put("new", now);
        return c;
    }
}
