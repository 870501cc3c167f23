package io.maestro.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Human labels for schema field names: the kinds' own (KindUi), a few shared ones, else derived from the name. */
final class Labels {
    private Labels() {
    }

    /** Fields several kinds share, worded the same everywhere. */
    private static final Map<String, String> SHARED = Map.of(
            "team_id", "Team",
            "url", "URL",
            "target_id", "Target",
            "size_gb", "Size (GB)");

    /** Each kind's own labels (KindUi.label), registered by Views at start; every context of one JVM has the same kinds. */
    private static final Map<String, Map<String, String>> BY_KIND = new ConcurrentHashMap<>();

    static void register(String collection, Map<String, String> labels) {
        BY_KIND.put(collection, Map.copyOf(labels));
    }

    /** Label of a field path ({@code os.base}, {@code storage.size_gb}) in a kind: the kind's, the shared one, else derived from the name. */
    static String field(String collection, String path) {
        Map<String, String> own = BY_KIND.getOrDefault(collection, Map.of());
        String last = path.substring(path.lastIndexOf('.') + 1);
        for (String label : new String[]{own.get(path), SHARED.get(path), own.get(last), SHARED.get(last)}) {
            if (label != null) return label;
        }
        return humanize(last);
    }

    /** "Tags" → "tag", "CDBs" → "CDB", "Dependencies" → "dependency", for "Add …" buttons. */
    static String singular(String label) {
        String s = label;
        if (s.endsWith("ies")) s = s.substring(0, s.length() - 3) + "y";
        else if (s.endsWith("s") && !s.endsWith("ss")) s = s.substring(0, s.length() - 1);
        boolean acronym = s.length() > 1 && Character.isUpperCase(s.charAt(1));
        return acronym ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String humanize(String name) {
        String s = name.replace('_', ' ').strip();
        if (s.endsWith(" ids")) s = s.substring(0, s.length() - 4) + "s";
        if (s.endsWith(" id")) s = s.substring(0, s.length() - 3) + " ID";
        s = s.replaceAll("\\bgb\\b", "GB");
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
