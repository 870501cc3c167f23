package io.maestro.core.record;

import io.maestro.core.options.OptionsService;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads {@code ?q=&field=value&tag=k:v&sort=a,-b&page=&size=} against a kind's schema. */
@Component
public class ListQueryParser {
    /** Parameters that are not filters. */
    public static final Set<String> RESERVED = Set.of("q", "sort", "page", "size", "tag", "as_of", "cursor", "format", "detach", "total");

    private final OptionsService options;
    private final RecordStore store;

    public ListQueryParser(OptionsService options, RecordStore store) {
        this.options = options;
        this.store = store;
    }

    public ListQuery parse(Kind kind, Map<String, String[]> params) {
        Errors errors = new Errors();
        List<ListQuery.Condition> conditions = new ArrayList<>();
        Map<String, String[]> clean = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : params.entrySet()) {
            // no database takes a NUL in a query, and no stored value holds a control character
            if (java.util.Arrays.stream(e.getValue()).anyMatch(ListQueryParser::hasControl) || hasControl(e.getKey())) {
                errors.add(hasControl(e.getKey()) ? "query" : e.getKey(), "must not contain control characters");
            } else {
                clean.put(e.getKey(), e.getValue());
            }
        }
        params = clean;
        for (Map.Entry<String, String[]> e : params.entrySet()) {
            String name = e.getKey();
            if (RESERVED.contains(name)) continue;
            ListQuery.Condition c = condition(kind, name, e.getValue(), errors);
            if (c != null) conditions.add(c);
        }
        for (String tag : params.getOrDefault("tag", new String[0])) {
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag : tag.substring(0, colon);
            if (key.isBlank()) {
                errors.add("tag", "must be key:value or key");
                continue;
            }
            List<Object> values = new ArrayList<>();
            values.add(colon < 0 ? null : tag.substring(colon + 1));
            conditions.add(new ListQuery.Condition(ListQuery.ConditionKind.TAG, key, values, false));
        }
        String q = single(params, "q");
        if (q != null && q.length() > 200) errors.add("q", "must be at most 200 characters");
        int page = intParam(params, "page", 0, 0, 1_000_000, errors);
        int size = intParam(params, "size", ListQuery.DEFAULT_SIZE, 1, ListQuery.MAX_SIZE, errors);
        List<ListQuery.Sort> sort = sort(kind, single(params, "sort"), errors);
        boolean total = booleanParam(params, "total", true, errors);
        List<Object> after = null;
        String cursor = single(params, "cursor");
        if (cursor != null && errors.isEmpty()) {
            after = Cursor.decode(cursor, sort);
            if (after == null) errors.add("cursor", "is not a cursor of this list (take it from a response's next link, with the same sort)");
            else if (page != 0) errors.add("page", "cannot be combined with cursor");
        }
        errors.throwIfAny();
        return new ListQuery(conditions, q == null || q.isBlank() ? null : q.strip(), sort, page, size, after, total);
    }

    private ListQuery.Condition condition(Kind kind, String name, String[] raw, Errors errors) {
        if (name.equals("team_id") && !kind.global()) {
            return column("team_id", uuids(name, raw, errors), false);
        }
        if (name.equals("last_seen_before")) {
            // last_seen_at is ISO-8601 text in one format (Renderer.time): text order is time order
            if (raw.length != 1 || raw[0].isBlank()) {
                errors.add(name, "must be one instant such as 2026-01-31T12:00:00Z");
                return null;
            }
            try {
                return new ListQuery.Condition(ListQuery.ConditionKind.BEFORE, "last_seen_at",
                        List.of(Renderer.time(AsOf.instant(name, raw[0]))), false);
            } catch (io.maestro.core.ProblemException e) {
                errors.add(name, "must be an instant such as 2026-01-31T12:00:00Z");
                return null;
            }
        }
        if (name.equals("service_id") && kind.fields().stream().anyMatch(f -> f.type == Type.SERVICES)) {
            return new ListQuery.Condition(ListQuery.ConditionKind.SERVICE, null, uuids(name, raw, errors), false);
        }
        var column = store.column(kind, name);
        if (column.isPresent() && !column.get().field().isJson()) {
            Field f = column.get().field();
            List<Object> values = new ArrayList<>();
            for (String v : raw) {
                Object converted = convert(name, f, v, errors);
                if (converted != null) values.add(converted);
            }
            boolean ignoreCase = f.type == Type.HOSTNAME || f.type == Type.CATALOG;
            if (ignoreCase) values.replaceAll(v -> v.toString().toLowerCase());
            return values.isEmpty() ? null : column(column.get().name(), values, ignoreCase);
        }
        var relation = kind.fields().stream().filter(f -> f.type == Type.REFS && f.name.equals(name)).findFirst();
        if (relation.isPresent()) {
            return new ListQuery.Condition(ListQuery.ConditionKind.RELATION, name, uuids(name, raw, errors), false);
        }
        errors.add(name, "unknown filter for " + kind.collection());
        return null;
    }

    private static ListQuery.Condition column(String column, List<Object> values, boolean ignoreCase) {
        return new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, column, values, ignoreCase);
    }

    private Object convert(String name, Field f, String v, Errors errors) {
        try {
            return switch (f.type) {
                case OPTION -> options.canonical(f.optionList(), v).orElseGet(() -> {
                    errors.add(name, "unknown value '" + abbreviate(v) + "'; allowed: " + options.allowedValues(f.optionList()));
                    return null;
                });
                case INTEGER -> Long.parseLong(v.strip());
                case NUMBER -> {
                    // BigDecimal, unlike Double.parseDouble, refuses NaN, Infinity and hex
                    double d = new java.math.BigDecimal(v.strip()).doubleValue();
                    if (Double.isInfinite(d)) throw new IllegalArgumentException();
                    yield d;
                }
                case BOOLEAN -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) throw new IllegalArgumentException();
                    yield Boolean.parseBoolean(v);
                }
                case REF, ID -> {
                    UUID id = Validator.parseUuid(v);
                    if (id == null) throw new IllegalArgumentException();
                    yield id;
                }
                default -> v;
            };
        } catch (IllegalArgumentException e) {
            errors.add(name, "invalid value '" + abbreviate(v) + "'");
            return null;
        }
    }

    private static List<Object> uuids(String name, String[] raw, Errors errors) {
        List<Object> out = new ArrayList<>();
        for (String v : raw) {
            UUID id = Validator.parseUuid(v);
            if (id != null) out.add(id);
            else errors.add(name, "is not a valid id: '" + abbreviate(v) + "'");
        }
        return out;
    }

    private List<ListQuery.Sort> sort(Kind kind, String spec, Errors errors) {
        List<ListQuery.Sort> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            out.add(new ListQuery.Sort("name", false, String.class));
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            boolean desc = p.startsWith("-");
            String path = desc || p.startsWith("+") ? p.substring(1) : p;
            if (Set.of("created_at", "updated_at", "version", "id").contains(path)) {
                out.add(new ListQuery.Sort(path, desc, switch (path) {
                    case "version" -> Long.class;
                    case "id" -> UUID.class;
                    default -> java.time.OffsetDateTime.class;
                }));
                continue;
            }
            var column = store.column(kind, path);
            if (column.isEmpty() || column.get().field().isJson()) {
                errors.add("sort", "unknown sort field '" + path + "'");
            } else {
                out.add(new ListQuery.Sort(column.get().name(), desc, switch (column.get().field().type) {
                    case INTEGER -> Long.class;
                    case NUMBER -> Double.class;
                    case BOOLEAN -> Boolean.class;
                    case REF, ID -> UUID.class;
                    default -> String.class;
                }));
            }
        }
        return out;
    }

    private static boolean hasControl(String s) {
        return s != null && s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String single(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    private static boolean booleanParam(Map<String, String[]> params, String name, boolean dflt, Errors errors) {
        String v = single(params, name);
        if (v == null || v.isBlank()) return dflt;
        if (v.strip().equalsIgnoreCase("true")) return true;
        if (v.strip().equalsIgnoreCase("false")) return false;
        errors.add(name, "must be true or false");
        return dflt;
    }

    private static int intParam(Map<String, String[]> params, String name, int dflt, int min, int max, Errors errors) {
        String v = single(params, name);
        if (v == null || v.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                errors.add(name, "must be between " + min + " and " + max);
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(name, "must be an integer");
            return dflt;
        }
    }
}
