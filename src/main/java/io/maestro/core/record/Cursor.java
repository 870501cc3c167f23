package io.maestro.core.record;

import io.maestro.core.Json;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Keyset cursors: the last row's sort values and id, as base64url JSON. The next page starts
 * strictly after that row, so deep pages cost what the first one does (no OFFSET).
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(List<Object> values) {
        List<Object> plain = values.stream().map(v -> v instanceof UUID || v instanceof OffsetDateTime ? v.toString() : v).toList();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** The values for {@code sort} plus the id, typed for SQL; null when the cursor does not fit. */
    static List<Object> decode(String cursor, List<ListQuery.Sort> sort) {
        try {
            Object parsed = Json.parse(new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8));
            if (!(parsed instanceof List<?> raw) || raw.size() != sort.size() + 1) return null;
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < sort.size(); i++) out.add(typed(raw.get(i), sort.get(i).type()));
            out.add(UUID.fromString((String) raw.get(sort.size())));
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Object typed(Object v, Class<?> type) {
        if (v == null) return null;
        if (type == Long.class) return ((Number) v).longValue();
        if (type == Double.class) return ((Number) v).doubleValue();
        if (type == Boolean.class) return (Boolean) v;
        if (type == UUID.class) return UUID.fromString((String) v);
        if (type == OffsetDateTime.class) return OffsetDateTime.parse((String) v);
        return (String) v;
    }

    /**
     * SQL for "after this row" in the order ORDER BY k1, ..., id: (k1 after v1) OR (k1 = v1 AND
     * k2 after v2) ... OR (all equal AND id > last). NULLs sort last in both directions
     * (RecordStore orders with NULLS LAST).
     */
    static String condition(List<ListQuery.Sort> sort, List<Object> after, java.util.Map<String, Object> params) {
        List<String> ors = new ArrayList<>();
        List<String> equal = new ArrayList<>();
        for (int i = 0; i < sort.size(); i++) {
            ListQuery.Sort s = sort.get(i);
            String col = s.expression("t");
            Object v = after.get(i);
            String p = s.type() == String.class ? "LOWER(:c" + i + ")" : ":c" + i;
            if (v != null) params.put("c" + i, v);
            String later = v == null ? null : "(" + col + (s.descending() ? " < " : " > ") + p + " OR " + col + " IS NULL)";
            if (later != null) ors.add(and(equal, later));
            equal.add(v == null ? col + " IS NULL" : col + " = " + p);
        }
        params.put("c_id", after.get(after.size() - 1));
        ors.add(and(equal, "t.id > :c_id"));
        return "(" + String.join(" OR ", ors) + ")";
    }

    private static String and(List<String> equal, String last) {
        List<String> all = new ArrayList<>(equal);
        all.add(last);
        return "(" + String.join(" AND ", all) + ")";
    }
}
