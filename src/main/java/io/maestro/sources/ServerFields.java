package io.maestro.sources;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How every source fills a server document from what it reads (sources.md): a hostname only when
 * it is a valid one, tags Environment/env and Role as fields and the rest as sorted tags, absent
 * values left out. One place, so discovery and imports map the same way.
 */
public final class ServerFields {
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** Tags that become fields rather than tags. */
    private static final Set<String> FIELD_TAGS = Set.of("name", "environment", "env", "role");

    private ServerFields() {
    }

    public static boolean validHostname(String s) {
        if (s == null || s.isEmpty() || s.length() > 253 || s.endsWith(".")) return false;
        for (String label : s.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    /** Puts {@code value} unless it is null or blank. */
    public static void put(Map<String, Object> doc, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank())) doc.put(key, value instanceof String s ? s.strip() : value);
    }

    /** A tag's value by key (case-insensitive), null when absent or blank. */
    public static String tag(Map<String, String> tags, String key) {
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && e.getValue() != null && !e.getValue().isBlank()) return e.getValue().strip();
        }
        return null;
    }

    /**
     * {@code environment} from tag Environment (or env), {@code role} from Role, and the other tags as
     * {@code tags} sorted by key (a re-read compares equal); the cloud's own ({@code aws:…}) are left out.
     */
    public static void tags(Map<String, Object> doc, Map<String, String> tags) {
        String env = tag(tags, "Environment") != null ? tag(tags, "Environment") : tag(tags, "env");
        put(doc, "environment", env);
        put(doc, "role", tag(tags, "Role"));
        List<Map<String, Object>> other = tags.entrySet().stream()
                .filter(e -> !FIELD_TAGS.contains(e.getKey().toLowerCase()) && !e.getKey().startsWith("aws:") && e.getValue() != null)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> Map.<String, Object>of("key", e.getKey(), "value", e.getValue())).toList();
        if (!other.isEmpty()) doc.put("tags", other);
    }
}
