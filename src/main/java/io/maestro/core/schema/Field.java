package io.maestro.core.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One field of a kind's schema. A kind's schema is a tree of fields; where a field is stored
 * follows from where it sits:
 * <ul>
 *   <li>a scalar at the top level or inside a top-level {@link Type#OBJECT} is a typed column
 *       named by its path ({@code os.base} → {@code os_base}): filterable and sortable;</li>
 *   <li>a {@link Type#LIST}, {@link Type#FREEFORM} or {@link Type#ANY} there is a JSON column;
 *       everything inside it is validated but stored as JSON;</li>
 *   <li>{@link Type#REFS} is a relation (one relations table for every kind);</li>
 *   <li>{@link Type#TAGS} and {@link Type#SERVICES} live in their own shared tables.</li>
 * </ul>
 */
public final class Field {
    public enum Type {
        STRING, TEXT, INTEGER, NUMBER, BOOLEAN, OPTION, IPV4, HOSTNAME, URL, ID,
        /** the name of a catalog entry (services, providers), created in the catalog when new */
        CATALOG,
        /** an id of another record, stored as a column (e.g. {@code datacenter.id}) */
        REF,
        /** a list of ids of other records, stored as relations; may carry one attribute per link */
        REFS,
        /** write-only: encrypted on the way in, never returned ({@code has_secret} instead) */
        SECRET,
        OBJECT, LIST, FREEFORM, ANY, TAGS, SERVICES
    }

    public final String name;
    public final Type type;
    private boolean required;
    private int maxLength = 255;
    private Double min;
    private Double max;
    private String optionList;
    private List<String> refKinds = List.of();
    private String linkAttribute;
    private String linkAttributeOptions;
    private int maxItems = 500;
    private final Map<String, Field> children = new LinkedHashMap<>();
    private Field item;
    private boolean coerceNumbers;
    private Provenance provenance = Provenance.NONE;

    /**
     * Fields that say where a record comes from rather than what it is: never taken from a person's
     * input (the stored value is kept). {@code SOURCE}: set by a source's writes (source, external_id);
     * {@code STATUS}: kept on every write and moved by the reconciler alone (last_seen_at, stale, drift),
     * so that being seen again is not a change of the record.
     */
    public enum Provenance { NONE, SOURCE, STATUS }

    private Field(String name, Type type) {
        this.name = name;
        this.type = type;
    }

    public static Field string(String name) { return new Field(name, Type.STRING); }
    public static Field text(String name) { return new Field(name, Type.TEXT).maxLength(10_000); }
    public static Field integer(String name) { return new Field(name, Type.INTEGER); }
    public static Field number(String name) { return new Field(name, Type.NUMBER); }
    public static Field bool(String name) { return new Field(name, Type.BOOLEAN); }
    public static Field ipv4(String name) { return new Field(name, Type.IPV4); }
    public static Field hostname(String name) { return new Field(name, Type.HOSTNAME).maxLength(253); }
    public static Field url(String name) { return new Field(name, Type.URL).maxLength(2048); }
    public static Field secret(String name) { return new Field(name, Type.SECRET).maxLength(16_384); }
    public static Field freeform(String name) { return new Field(name, Type.FREEFORM); }
    public static Field any(String name) { return new Field(name, Type.ANY); }
    public static Field tags() { return new Field("tags", Type.TAGS); }
    /** The catalog services a record runs ({@code [{service_id | name, version, status}]}), entries of {@code catalogKind}. */
    public static Field services(String catalogKind) {
        Field f = new Field("services", Type.SERVICES);
        f.refKinds = List.of(catalogKind);
        return f;
    }

    public static Field option(String name, String optionList) {
        Field f = new Field(name, Type.OPTION);
        f.optionList = optionList;
        return f;
    }

    public static Field catalog(String name, String catalogKind) {
        Field f = new Field(name, Type.CATALOG);
        f.refKinds = List.of(catalogKind);
        return f;
    }

    public static Field ref(String name, String... kinds) {
        Field f = new Field(name, Type.REF);
        f.refKinds = List.of(kinds);
        return f;
    }

    public static Field refs(String name, String... kinds) {
        Field f = new Field(name, Type.REFS);
        f.refKinds = List.of(kinds);
        return f;
    }

    /** Links written as {@code [{target_id, <attribute>}]}, e.g. dependencies with a protocol. */
    public static Field links(String name, String attribute, String attributeOptions, String... kinds) {
        Field f = refs(name, kinds);
        f.linkAttribute = attribute;
        f.linkAttributeOptions = attributeOptions;
        return f;
    }

    public static Field object(String name, Field... children) {
        Field f = new Field(name, Type.OBJECT);
        Arrays.stream(children).forEach(c -> f.children.put(c.name, c));
        return f;
    }

    /** A list of objects with the given fields. */
    public static Field list(String name, Field... itemFields) {
        Field f = new Field(name, Type.LIST);
        f.item = object("item", itemFields);
        return f;
    }

    /** A list of scalars, each validated as {@code item}. */
    public static Field listOf(String name, Field item) {
        Field f = new Field(name, Type.LIST);
        f.item = item;
        return f;
    }

    public Field required() { this.required = true; return this; }
    public Field maxLength(int n) { this.maxLength = n; return this; }
    public Field range(double min, double max) { this.min = min; this.max = max; return this; }
    public Field maxItems(int n) { this.maxItems = n; return this; }
    /** Accept a JSON number for this string field (versions such as 8.0 or 12). */
    public Field acceptNumbers() { this.coerceNumbers = true; return this; }
    public boolean acceptsNumbers() { return coerceNumbers; }
    public Field provenance(Provenance p) { this.provenance = p; return this; }
    public Provenance provenance() { return provenance; }

    /** Whether the field says where a record comes from (itself, or an object made only of such fields): people never write it. */
    public boolean isProvenance() {
        return provenance != Provenance.NONE
                || (type == Type.OBJECT && !children.isEmpty() && children.values().stream().allMatch(c -> c.provenance != Provenance.NONE));
    }

    public boolean isRequired() { return required; }
    public int maxLength() { return maxLength; }
    public Double min() { return min; }
    public Double max() { return max; }
    public String optionList() { return optionList; }
    public List<String> refKinds() { return refKinds; }
    public String linkAttribute() { return linkAttribute; }
    public String linkAttributeOptions() { return linkAttributeOptions; }
    public int maxItems() { return maxItems; }
    public Map<String, Field> children() { return children; }
    public Field item() { return item; }

    public boolean isScalar() {
        return switch (type) {
            case STRING, TEXT, INTEGER, NUMBER, BOOLEAN, OPTION, IPV4, HOSTNAME, URL, ID, REF, CATALOG -> true;
            default -> false;
        };
    }

    /** Stored as a JSON column when it sits at column level. */
    public boolean isJson() {
        return type == Type.LIST || type == Type.FREEFORM || type == Type.ANY;
    }

    /** Column name for a path such as {@code os.base}. */
    public static String column(String path) {
        return path.replace('.', '_');
    }

    /** Every field stored in a column, with its dotted path, depth first. */
    public static List<Map.Entry<String, Field>> columnFields(Iterable<Field> fields) {
        List<Map.Entry<String, Field>> out = new ArrayList<>();
        collect("", fields, out);
        return out;
    }

    private static void collect(String prefix, Iterable<Field> fields, List<Map.Entry<String, Field>> out) {
        for (Field f : fields) {
            String path = prefix + f.name;
            if (f.type == Type.OBJECT) collect(path + ".", f.children.values(), out);
            else if (f.isScalar() || f.isJson()) out.add(Map.entry(path, f));
        }
    }
}
