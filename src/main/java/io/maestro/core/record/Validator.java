package io.maestro.core.record;

import io.maestro.core.access.SecretCodec;
import io.maestro.core.options.OptionsService;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a request body (plain JSON values) into a {@link Draft} by walking the kind's schema.
 * Every problem is collected with its path; nothing stops at the first one.
 */
@Component
public class Validator {
    static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    static final Set<String> URL_SCHEMES = Set.of("http", "https", "ftp", "sftp", "ssh", "git", "mailto");
    private static final int MAX_FREEFORM_CHARS = 65_536;

    private final OptionsService options;
    private final SecretCodec secrets;

    public Validator(OptionsService options, SecretCodec secrets) {
        this.options = options;
        this.secrets = secrets;
    }

    /** State of one validation: errors, refs to resolve, and the stored record for write-only secrets. */
    static final class Context {
        final Errors errors;
        final List<PendingRef> refs = new ArrayList<>();
        final Map<String, Object> stored;
        final Set<String> ignored;
        /** Where sealed secrets are bound (see SecretCodec): the kind, and the record when its id is known. */
        String collection;
        UUID recordId;

        /** The record the validated input is for, when its id is known before it is stored. */
        Context forRecord(UUID id) {
            this.recordId = id;
            return this;
        }

        Context(Errors errors, Map<String, Object> stored, Set<String> ignored) {
            this.errors = errors;
            this.stored = stored == null ? Map.of() : stored;
            this.ignored = ignored;
        }
    }

    /**
     * Validates {@code input} for {@code kind}; problems go to the context's errors.
     */
    Draft validate(Kind kind, Map<String, Object> input, Context ctx) {
        Draft draft = new Draft();
        ctx.collection = kind.collection();
        walk("", kind.fields(), input, draft, ctx, true);
        return draft;
    }

    /**
     * @param stored the record's current column values by path (for kept secrets), or null on create
     * @param ignored top-level names accepted and ignored (read-only fields a client may send back)
     */
    Context context(Errors errors, Map<String, Object> stored, Set<String> ignored) {
        return new Context(errors, stored, ignored);
    }

    private void walk(String prefix, Collection<Field> fields, Map<String, Object> in, Draft draft, Context ctx, boolean top) {
        Set<String> known = new HashSet<>();
        for (Field f : fields) {
            known.add(f.name);
            String path = prefix + f.name;
            Object v = in.get(f.name);
            switch (f.type) {
                case OBJECT -> {
                    if (v != null && !(v instanceof Map) && f.isProvenance() && !Provenance.sourceWriting()) v = null; // never read from people
                    if (v != null && !(v instanceof Map)) {
                        ctx.errors.add(path, "must be an object");
                        continue;
                    }
                    @SuppressWarnings("unchecked") Map<String, Object> m = v == null ? Map.of() : (Map<String, Object>) v;
                    walk(path + ".", f.children().values(), m, draft, ctx, false);
                }
                case REFS -> draft.links.put(path, links(path, f, v, ctx));
                case TAGS -> tags(path, v, draft, ctx);
                case SERVICES -> draft.services = services(path, f, v, ctx);
                default -> draft.values.put(path, f.provenance() == Field.Provenance.NONE ? value(path, f, v, ctx, true) : provenance(path, f, v, ctx));
            }
        }
        for (String key : in.keySet()) {
            if (known.contains(key) || (top && ctx.ignored.contains(key))) continue;
            ctx.errors.add(prefix + key, "unknown field");
        }
    }

    /**
     * A provenance field: a source's own value when a source writes one of its fields, else the
     * stored value (people's input is ignored: a GET body sent back changes nothing), else the default.
     */
    private Object provenance(String path, Field f, Object v, Context ctx) {
        if (f.provenance() == Field.Provenance.SOURCE && Provenance.sourceWriting() && v != null) {
            Object clean = value(path, f, v, ctx, true);
            if (clean != null) return clean;
        }
        return Provenance.onWrite(path, f, ctx.stored.get(path));
    }

    /** Validates one value; returns the clean Java value to store (null when absent). */
    Object value(String path, Field f, Object v, Context ctx, boolean columnLevel) {
        if (v instanceof String s && f.type != Type.SECRET && f.type != Type.FREEFORM && f.type != Type.ANY) {
            // Only free text may be sent empty (stored as absent, null). Anywhere else "" or blanks
            // are a client that sent a string where a number, list, address... belongs: say so.
            if (s.isBlank() && f.type != Type.STRING && f.type != Type.TEXT) return fail(path, "must be " + expected(f) + ", not an empty string", ctx);
            v = s.strip();
            if (((String) v).isEmpty()) v = null;
        }
        if (f.type == Type.SECRET && "".equals(v)) v = null; // an empty password field is no secret (see keepStoredSecret)
        if (v == null) {
            if (f.isRequired()) ctx.errors.add(path, "is required");
            return null;
        }
        switch (f.type) {
            case STRING, TEXT, HOSTNAME, IPV4, URL, SECRET, CATALOG -> {
                if (f.acceptsNumbers() && v instanceof Number n) v = plainNumber(n);
                if (!(v instanceof String s)) return typeError(path, "a string", ctx);
                if (s.length() > f.maxLength()) return fail(path, "must be at most " + f.maxLength() + " characters", ctx);
                if (f.type != Type.SECRET && f.type != Type.TEXT && s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    return fail(path, "must not contain control characters", ctx);
                }
                if (f.type == Type.CATALOG) {
                    ctx.refs.add(new PendingRef(path, null, s, f.refKinds()));
                    return s;
                }
                if (f.type == Type.IPV4 && !IPV4.matcher(s).matches()) return fail(path, "must be a valid IPv4 address", ctx);
                if (f.type == Type.HOSTNAME && !validHostname(s)) {
                    return fail(path, "must be a valid hostname (RFC 1123: letters, digits and hyphens, labels of 1-63 characters)", ctx);
                }
                if (f.type == Type.URL && !validUrl(s)) return fail(path, "must be an absolute http(s), ftp, ssh or mailto URL", ctx);
                return f.type == Type.SECRET ? secrets.seal(s, ctx.collection, ctx.recordId, column(path)) : s;
            }
            case OPTION -> {
                if (!(v instanceof String s)) return typeError(path, "a string", ctx);
                return options.canonical(f.optionList(), s).orElseGet(() -> fail(path,
                        "unknown value '" + abbreviate(s) + "'; allowed: " + options.allowedValues(f.optionList()), ctx));
            }
            case INTEGER -> {
                if (!(v instanceof Number n) || !isIntegral(n)) return typeError(path, "an integer", ctx);
                BigDecimal d = new BigDecimal(n.toString());
                if (!inRange(f, d)) return rangeError(path, f, ctx);
                return d.longValueExact();
            }
            case NUMBER -> {
                if (!(v instanceof Number n)) return typeError(path, "a number", ctx);
                BigDecimal d = new BigDecimal(n.toString());
                if (!inRange(f, d)) return rangeError(path, f, ctx);
                return d.doubleValue();
            }
            case BOOLEAN -> {
                if (!(v instanceof Boolean)) return typeError(path, "true or false", ctx);
                return v;
            }
            case ID, REF -> {
                UUID id = uuid(path, v, ctx);
                if (id != null && f.type == Type.REF) ctx.refs.add(new PendingRef(path, id, null, f.refKinds()));
                return id;
            }
            case LIST -> {
                return list(path, f, v, ctx, columnLevel);
            }
            case FREEFORM, ANY -> {
                if (f.type == Type.FREEFORM && !(v instanceof Map)) return typeError(path, "an object", ctx);
                if (io.maestro.core.Json.write(v).length() > MAX_FREEFORM_CHARS) {
                    return fail(path, "is too large (at most " + MAX_FREEFORM_CHARS + " characters of JSON)", ctx);
                }
                return v;
            }
            case OBJECT -> {
                if (!(v instanceof Map<?, ?> m)) return typeError(path, "an object", ctx);
                Map<String, Object> out = new LinkedHashMap<>();
                for (Field c : f.children().values()) {
                    Object cv = value(path + "." + c.name, c, m.get(c.name), ctx, false);
                    if (cv != null) out.put(c.name, cv);
                }
                for (Object key : m.keySet()) {
                    if (!f.children().containsKey(String.valueOf(key)) && !isReadOnlyItemKey(f, String.valueOf(key))) {
                        ctx.errors.add(path + "." + key, "unknown field");
                    }
                }
                return out;
            }
            default -> throw new IllegalStateException("no validation for " + f.type);
        }
    }

    private Object list(String path, Field f, Object v, Context ctx, boolean columnLevel) {
        if (!(v instanceof List<?> items)) return typeError(path, "an array", ctx);
        if (items.size() > f.maxItems()) return fail(path, "must have at most " + f.maxItems() + " entries", ctx);
        List<Object> out = new ArrayList<>();
        boolean hasSecret = f.item().type == Type.OBJECT
                && f.item().children().values().stream().anyMatch(c -> c.type == Type.SECRET);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String itemPath = path + "[" + i + "]";
            if (item == null) {
                ctx.errors.add(itemPath, "must not be null");
                out.add(null);
                continue;
            }
            int errorsBefore = ctx.errors.size();
            Object clean = value(itemPath, f.item(), item, ctx, false);
            if (hasSecret && clean instanceof Map<?, ?> cm && item instanceof Map<?, ?> raw) {
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) cm;
                if (columnLevel) keepStoredSecret(path, m, raw, ctx);
            }
            // A rejected item keeps its place (as null) so that later checks name the right index;
            // a list with nulls is never stored, because its errors reject the write.
            if (clean != null || ctx.errors.size() > errorsBefore) out.add(clean);
        }
        return out;
    }

    /**
     * An auth entry sent back without its secret, or with an empty one (a form's untouched
     * password field), keeps the stored one (matched by name); an explicit null removes it.
     */
    private void keepStoredSecret(String columnPath, Map<String, Object> clean, Map<?, ?> raw, Context ctx) {
        Object sent = raw.get("secret");
        if (sent != null ? !"".equals(sent) : raw.containsKey("secret")) return;
        Object name = clean.get("name");
        if (name == null || !(ctx.stored.get(columnPath) instanceof List<?> list)) return;
        for (Object o : list) {
            if (o instanceof Map<?, ?> old && name.equals(old.get("name")) && old.get("secret") != null) {
                clean.put("secret", old.get("secret"));
                return;
            }
        }
    }

    private List<Draft.Link> links(String path, Field f, Object v, Context ctx) {
        List<Draft.Link> out = new ArrayList<>();
        if (v == null) return out;
        if (!(v instanceof List<?> items)) {
            typeError(path, f.linkAttribute() == null ? "an array of ids" : "an array of objects", ctx);
            return out;
        }
        if (items.size() > f.maxItems()) {
            fail(path, "must have at most " + f.maxItems() + " entries", ctx);
            return out;
        }
        Set<UUID> seen = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            Object item = items.get(i);
            Object idValue = item;
            String attribute = null;
            if (f.linkAttribute() != null) {
                if (!(item instanceof Map<?, ?> m)) {
                    typeError(itemPath, "an object with target_id", ctx);
                    continue;
                }
                for (Object key : m.keySet()) {
                    if (!"target_id".equals(key) && !f.linkAttribute().equals(key) && !"target_kind".equals(key)) {
                        ctx.errors.add(itemPath + "." + key, "unknown field");
                    }
                }
                idValue = m.get("target_id");
                if (idValue == null) {
                    ctx.errors.add(itemPath + ".target_id", "is required");
                    continue;
                }
                itemPath = itemPath + ".target_id";
                Object attr = m.get(f.linkAttribute());
                if (attr != null) {
                    Field af = Field.option(f.linkAttribute(), f.linkAttributeOptions());
                    attribute = (String) value(path + "[" + i + "]." + f.linkAttribute(), af, attr, ctx, false);
                }
            }
            UUID id = uuid(itemPath, idValue, ctx);
            if (id == null || !seen.add(id)) continue;
            ctx.refs.add(new PendingRef(itemPath, id, null, f.refKinds()));
            out.add(new Draft.Link(id, null, attribute));
        }
        return out;
    }

    private void tags(String path, Object v, Draft draft, Context ctx) {
        if (v == null) return;
        if (!(v instanceof List<?> items)) {
            typeError(path, "an array of {key, value}", ctx);
            return;
        }
        if (items.size() > 100) {
            fail(path, "must have at most 100 entries", ctx);
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                typeError(itemPath, "an object {key, value}", ctx);
                continue;
            }
            for (Object key : m.keySet()) {
                if (!"key".equals(key) && !"value".equals(key)) ctx.errors.add(itemPath + "." + key, "unknown field");
            }
            Object key = value(itemPath + ".key", Field.string("key").maxLength(128).required(), m.get("key"), ctx, false);
            Object value = value(itemPath + ".value", Field.string("value"), m.get("value"), ctx, false);
            if (key != null && ((String) key).contains(":")) {
                ctx.errors.add(itemPath + ".key", "must not contain ':'");
            } else if (key != null && seen.add(key + "\u0000" + value)) {
                draft.tags.add(new Draft.Tag((String) key, (String) value));
            }
        }
    }

    /** Hand-made service entries of a server: [{service_id | name, version, status}]; auto entries are skipped. */
    private List<Draft.ServiceEntry> services(String path, Field f, Object v, Context ctx) {
        List<Draft.ServiceEntry> out = new ArrayList<>();
        if (v == null) return out;
        if (!(v instanceof List<?> items)) {
            typeError(path, "an array", ctx);
            return out;
        }
        if (items.size() > 200) {
            fail(path, "must have at most 200 entries", ctx);
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                typeError(itemPath, "an object", ctx);
                continue;
            }
            if ("auto".equals(m.get("origin"))) continue;
            for (Object key : m.keySet()) {
                if (!Set.of("service_id", "name", "version", "status", "origin").contains(String.valueOf(key))) {
                    ctx.errors.add(itemPath + "." + key, "unknown field");
                }
            }
            Object origin = m.get("origin");
            if (origin != null && !"manual".equals(origin)) ctx.errors.add(itemPath + ".origin", "must be manual or auto");
            UUID serviceId = null;
            String name = null;
            if (m.get("service_id") != null) {
                serviceId = uuid(itemPath + ".service_id", m.get("service_id"), ctx);
                if (serviceId != null) ctx.refs.add(new PendingRef(itemPath + ".service_id", serviceId, null, f.refKinds()));
            } else {
                name = (String) value(itemPath + ".name", Field.string("name").required(), m.get("name"), ctx, false);
                if (name != null) ctx.refs.add(new PendingRef(itemPath + ".name", null, name, f.refKinds()));
            }
            String version = (String) value(itemPath + ".version", Field.string("version").maxLength(64).acceptNumbers(), m.get("version"), ctx, false);
            String status = (String) value(itemPath + ".status", Field.option("status", "service_status"), m.get("status"), ctx, false);
            out.add(new Draft.ServiceEntry(serviceId, name, version, status));
        }
        return out;
    }

    // ---- helpers

    private boolean isReadOnlyItemKey(Field objectField, String key) {
        return "has_secret".equals(key) && objectField.children().values().stream().anyMatch(c -> c.type == Type.SECRET);
    }

    static UUID uuid(String path, Object v, Context ctx) {
        return uuid(path, v, ctx.errors);
    }

    /** A UUID in its canonical 8-4-4-4-12 form, or null with an error at {@code path}. */
    static UUID uuid(String path, Object v, Errors errors) {
        if (!(v instanceof String s)) {
            errors.add(path, "must be an id (string)");
            return null;
        }
        UUID id = parseUuid(s);
        if (id == null) errors.add(path, "is not a valid id");
        return id;
    }

    /** {@link UUID#fromString} also takes forms such as {@code 1-1-1-1-1}; an id must be canonical. */
    public static UUID parseUuid(String s) {
        try {
            UUID id = UUID.fromString(s.strip());
            return id.toString().equalsIgnoreCase(s.strip()) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean validHostname(String s) {
        if (s.length() > 253 || s.endsWith(".")) return false;
        for (String label : s.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) return false;
        }
        return true;
    }

    static boolean validUrl(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() && uri.getScheme() != null && URL_SCHEMES.contains(uri.getScheme().toLowerCase())
                    && (uri.getScheme().equalsIgnoreCase("mailto") || (uri.getHost() != null && !uri.getHost().isBlank()));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof BigInteger || n instanceof Short) return true;
        try {
            return new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean inRange(Field f, BigDecimal d) {
        double min = f.min() == null ? -1e15 : f.min();
        double max = f.max() == null ? 1e15 : f.max();
        return d.compareTo(BigDecimal.valueOf(min)) >= 0 && d.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    private static String plainNumber(Number n) {
        return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }

    private static Object rangeError(String path, Field f, Context ctx) {
        double min = f.min() == null ? -1e15 : f.min();
        double max = f.max() == null ? 1e15 : f.max();
        return fail(path, "must be between " + plainNumber(min) + " and " + plainNumber(max), ctx);
    }

    /** The column a value path is stored in: {@code auth[0].secret} is in {@code auth}. */
    static String column(String path) {
        return path.split("[\\[.]", 2)[0];
    }

    /** What a field of this type holds, for "must be ..." messages. */
    private static String expected(Field f) {
        return switch (f.type) {
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case LIST -> "an array";
            case OBJECT, FREEFORM -> "an object";
            case IPV4 -> "an IPv4 address";
            case HOSTNAME -> "a hostname";
            case URL -> "a URL";
            case OPTION -> "one of the allowed values";
            case ID, REF -> "an id";
            case CATALOG -> "a name";
            default -> "a value";
        };
    }

    private static Object typeError(String path, String expected, Context ctx) {
        return fail(path, "must be " + expected, ctx);
    }

    private static <T> T fail(String path, String message, Context ctx) {
        ctx.errors.add(path, message);
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String plainNumber(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
