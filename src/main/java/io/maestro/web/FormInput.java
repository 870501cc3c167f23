package io.maestro.web;

import io.maestro.core.Json;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a submitted form into the plain JSON shape the API takes, walking the kind's schema.
 * Inputs are named by path ({@code os.base}, {@code storage[1].size_gb}, repeated {@code server_ids}).
 * It decides nothing about validity: text that is not a number stays text, so the record
 * service reports it like it would for the API; only text the browser cannot express as JSON
 * (a JSON field that does not parse) is noted in {@link #parseErrors}.
 */
final class FormInput {
    /** Form-only inputs (version, helpers) start with an underscore or end in one of these. */
    static final String CLEAR_SUFFIX = "_clear";

    private final Map<String, String[]> params;
    /** path → message for input that could not become JSON at all. */
    final Map<String, String> parseErrors = new LinkedHashMap<>();

    private FormInput(Map<String, String[]> params) {
        this.params = params;
    }

    static FormInput of(Map<String, String[]> params) {
        return new FormInput(params);
    }

    /** The JSON body for {@code kind}; afterwards {@link #parseErrors} holds what could not be read. */
    Map<String, Object> body(Kind kind) {
        Map<String, Object> out = object("", kind.fields(), true);
        String team = single("team_id");
        if (team != null) out.put("team_id", team);
        return out;
    }

    /** The {@code _version} the form was opened at, for If-Match; null when absent. */
    Long version() {
        String v = single("_version");
        try {
            return v == null ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1L; // a tampered version matches nothing: 412
        }
    }

    private Map<String, Object> object(String prefix, Iterable<Field> fields, boolean columnLevel) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : fields) {
            String path = prefix + f.name;
            Object v = switch (f.type) {
                case OBJECT -> {
                    Map<String, Object> m = object(path + ".", f.children().values(), columnLevel);
                    yield m.isEmpty() ? null : m;
                }
                case REFS -> f.linkAttribute() == null ? ids(path) : links(path, f);
                case LIST -> columnLevel || f.item().type == Type.OBJECT ? list(path, f, columnLevel) : csv(path);
                case TAGS -> rows(path, List.of("key", "value"));
                case SERVICES -> rows(path, List.of("name", "version", "status"));
                case FREEFORM -> freeform(path);
                case ANY -> any(path);
                case SECRET -> {
                    if (single(path + CLEAR_SUFFIX) != null) {
                        out.put(f.name, null); // an explicit null removes the stored secret
                        yield null;
                    }
                    String[] raw = params.get(path);
                    yield raw == null || raw.length == 0 || raw[0].isEmpty() ? null : raw[0];
                }
                default -> scalar(f, single(path));
            };
            if (v != null) out.put(f.name, v);
        }
        return out;
    }

    private List<Object> list(String path, Field f, boolean columnLevel) {
        List<Object> out = new ArrayList<>();
        for (int i : indices(path)) {
            String itemPath = path + "[" + i + "]";
            if (f.item().type == Type.OBJECT) {
                Map<String, Object> item = object(itemPath + ".", f.item().children().values(), false);
                if (item.values().stream().anyMatch(v -> v != null) || hasSecretMarker(itemPath)) {
                    if ("true".equals(single(itemPath + ".has_secret")) && item.get("name") != null) item.put("has_secret", true);
                    out.add(item);
                }
            } else {
                Object v = scalar(f.item(), single(itemPath));
                if (v != null) out.add(v);
            }
        }
        return out;
    }

    private boolean hasSecretMarker(String itemPath) {
        return single(itemPath + ".secret" + CLEAR_SUFFIX) != null;
    }

    /** Rows of plain string cells: tags and service entries. */
    private List<Object> rows(String path, List<String> cells) {
        List<Object> out = new ArrayList<>();
        for (int i : indices(path)) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String c : cells) {
                String v = single(path + "[" + i + "]." + c);
                if (v != null) row.put(c, v);
            }
            if (!row.isEmpty()) out.add(row);
        }
        return out;
    }

    private List<Object> ids(String path) {
        List<Object> out = new ArrayList<>();
        String[] raw = params.get(path);
        if (raw != null) {
            for (String v : raw) if (v != null && !v.isBlank()) out.add(v.strip());
        }
        return out;
    }

    private List<Object> links(String path, Field f) {
        List<Object> out = new ArrayList<>();
        for (int i : indices(path)) {
            String target = single(path + "[" + i + "].target_id");
            String attr = single(path + "[" + i + "]." + f.linkAttribute());
            if (target == null && attr == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target_id", target);
            if (attr != null) m.put(f.linkAttribute(), attr);
            out.add(m);
        }
        return out;
    }

    /** A list of names typed in one input, comma separated (PDBs of a CDB). */
    private List<Object> csv(String path) {
        String v = single(path);
        if (v == null) return null;
        List<Object> out = new ArrayList<>();
        for (String part : v.split(",")) if (!part.isBlank()) out.add(part.strip());
        return out;
    }

    /** Known keys as inputs ({@code role.endpoint}) plus any other keys as a JSON object ({@code role._json}). */
    private Map<String, Object> freeform(String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        String extra = single(path + "._json");
        if (extra != null) {
            Object parsed = parseJson(extra);
            if (parsed instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), v));
            else parseErrors.put(path, "other fields must be a JSON object, e.g. {\"key\": \"value\"}");
        }
        String prefix = path + ".";
        for (String name : params.keySet()) {
            if (!name.startsWith(prefix) || name.equals(path + "._json")) continue;
            String key = name.substring(prefix.length());
            if (key.isEmpty() || key.contains(".") || key.contains("[")) continue;
            String v = single(name);
            if (v != null) out.put(key, key.equals("port") && v.matches("\\d{1,9}") ? Long.parseLong(v) : v);
        }
        return out.isEmpty() ? null : out;
    }

    /** Any JSON value: text that looks like a JSON object or array is taken as JSON, anything else as text. */
    private Object any(String path) {
        String v = single(path);
        if (v == null) return null;
        if (v.startsWith("{") || v.startsWith("[")) {
            Object parsed = parseJson(v);
            if (parsed != null) return parsed;
            parseErrors.put(path, "looks like JSON but does not parse; fix it or write plain text");
        }
        return v;
    }

    private static Object parseJson(String text) {
        try {
            return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A typed scalar: numbers and booleans become JSON numbers and booleans when they read as such. */
    static Object scalar(Field f, String v) {
        if (v == null) return null;
        return switch (f.type) {
            case INTEGER, NUMBER -> number(v);
            case BOOLEAN -> v.equals("true") || v.equals("on") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : v;
            default -> v;
        };
    }

    private static Object number(String v) {
        try {
            BigDecimal d = new BigDecimal(v.strip());
            if (d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) return d.longValue();
            return d.doubleValue();
        } catch (NumberFormatException e) {
            return v; // the service says what is wrong with it
        }
    }

    private static final Pattern INDEX = Pattern.compile("\\[(\\d{1,4})]");

    /** Row numbers present under {@code path[...]}, in order (rows removed in the browser leave gaps). */
    private TreeSet<Integer> indices(String path) {
        TreeSet<Integer> out = new TreeSet<>();
        String prefix = path + "[";
        for (String name : params.keySet()) {
            if (!name.startsWith(prefix)) continue;
            Matcher m = INDEX.matcher(name.substring(path.length()));
            if (m.lookingAt()) out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** The first value of a parameter, null when absent or blank (secrets are read raw elsewhere). */
    private String single(String name) {
        String[] v = params.get(name);
        if (v == null || v.length == 0 || v[0] == null || v[0].isBlank()) return null;
        return v[0];
    }
}
