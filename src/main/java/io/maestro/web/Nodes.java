package io.maestro.web;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.options.Option;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import io.maestro.core.schema.KindUi;
import io.maestro.web.Node.Opt;
import io.maestro.web.Node.Ref;
import io.maestro.web.Node.Row;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@link Node} tree of a record for its form or detail page by walking the kind's
 * schema: every field's widget follows from its type (option → select, refs → picker, list →
 * repeatable rows ...). Names of related records are looked up in one batch per kind, through
 * the record service, so only records the caller may read get a name and a link.
 */
@Component
class Nodes {
    private final OptionsService options;
    private final RecordService records;
    private final Kinds kinds;
    private final Directory directory;

    /** Each kind's own page touches (free-form keys, sections, suggestions), read once. */
    private final Map<String, KindUi> uis = new java.util.HashMap<>();

    Nodes(OptionsService options, RecordService records, Kinds kinds, Directory directory) {
        this.options = options;
        this.records = records;
        this.kinds = kinds;
        this.directory = directory;
        kinds.all().forEach(k -> uis.put(k.collection(), k.ui() == null ? new KindUi() : k.ui()));
    }

    /** A tab of a record: its fields' nodes. */
    public record Section(String id, String label, List<Node> nodes, boolean related) {
        public boolean hasErrors() {
            return nodes.stream().anyMatch(Node::hasErrors);
        }

        /** A section whose only node is hidden (Oracle for a MySQL database). */
        public boolean hidden() {
            return !nodes.isEmpty() && nodes.stream().allMatch(n -> n.hidden);
        }

        public String family() {
            return nodes.size() == 1 ? nodes.get(0).family : null;
        }
    }

    /** One line of the error summary: what, where (an anchor), and the message. */
    public record Problem(String label, String href, String message) {
    }

    /** The built tree: sections, the catalogs its datalists need, the error summary. */
    public static final class Built {
        public final List<Section> sections = new ArrayList<>();
        public final Set<String> catalogs = new LinkedHashSet<>();
        public final List<Problem> problems = new ArrayList<>();
        final Map<String, Node> byName = new LinkedHashMap<>();
        final List<Ref> pending = new ArrayList<>();
        final Map<Ref, List<String>> pendingKinds = new LinkedHashMap<>();
        final List<FieldError> errors;
        /** Who the form is for: pickers offer only the teams and users they may see named. */
        Caller caller;
        final String collection;
        final Map<String, Object> record;
        /** How many repeatable rows the field being built sits in. */
        int rowDepth;

        Built(String collection, List<FieldError> errors, Map<String, Object> record) {
            this.collection = collection;
            this.errors = errors;
            this.record = record;
        }
    }

    Built build(KindView view, Map<String, Object> values, List<FieldError> errors, Caller caller) {
        Kind kind = view.kind();
        Built b = new Built(kind.collection(), errors == null ? List.of() : errors, values);
        b.caller = caller;
        Map<String, Field> byName = new LinkedHashMap<>();
        kind.fields().forEach(f -> byName.put(f.name, f));
        Set<String> placed = new LinkedHashSet<>();
        for (KindUi.Tab tab : view.tabs()) {
            List<Node> nodes = new ArrayList<>();
            for (String name : tab.fields()) {
                Field f = byName.get(name);
                if (f == null) continue;
                placed.add(name);
                nodes.add(node(b, f, f.name, f.name, values.get(f.name), "", values));
            }
            if (nodes.size() == 1 && nodes.get(0).label.equalsIgnoreCase(tab.label())) nodes.get(0).quiet = true;
            if (tab.fields().contains(KindUi.RELATED)) {
                b.sections.add(new Section(tab.id(), tab.label(), nodes, true));
            } else if (!nodes.isEmpty()) {
                b.sections.add(new Section(tab.id(), tab.label(), nodes, false));
            }
        }
        // Fields no tab mentions (added to a kind later) still show, in the first tab; provenance has its own block (provenance.html).
        for (Field f : kind.fields()) {
            if (placed.contains(f.name) || b.sections.isEmpty() || f.isProvenance()) continue;
            b.sections.get(0).nodes().add(node(b, f, f.name, f.name, values.get(f.name), "", values));
        }
        resolve(b, caller);
        summarize(b);
        return b;
    }

    // ---- one field

    private Node node(Built b, Field f, String name, String schemaPath, Object v, String parentLabel, Map<String, Object> siblings) {
        Node n = new Node();
        n.name = name;
        n.id = id(name);
        n.label = Labels.field(b.collection, schemaPath);
        n.fullLabel = parentLabel.isEmpty() ? n.label : parentLabel + " › " + n.label;
        n.required = f.isRequired();
        n.maxLength = f.maxLength();
        b.byName.put(name, n);
        n.errors.addAll(errorsAt(b, name, f.type == Type.REFS && f.linkAttribute() == null || f.type == Type.LIST && !isRowList(b, f)));
        switch (f.type) {
            case TEXT -> {
                n.widget = "textarea";
                n.value = text(v);
            }
            case INTEGER, NUMBER -> {
                n.widget = "text";
                n.inputType = "number";
                n.value = text(v);
            }
            case BOOLEAN -> {
                n.widget = "checkbox";
                n.checked = Boolean.TRUE.equals(v);
                n.display = n.checked ? "Yes" : "No";
            }
            case OPTION -> {
                select(n, f.optionList(), v);
                if (f.optionList().equals("environment") && v != null) n.badge = Pages.envClass(v);
            }
            case CATALOG -> {
                n.widget = "catalog";
                n.value = text(v);
                n.datalist = "dl-" + f.refKinds().get(0);
                b.catalogs.add(f.refKinds().get(0));
            }
            case SECRET -> {
                n.widget = "secret";
                n.hasSecret = Boolean.TRUE.equals(siblings.get("has_secret"));
            }
            case REF -> {
                if (f.refKinds().stream().noneMatch(k -> kinds.find(k).isPresent())) {
                    directorySelect(b, n, f, v);
                } else {
                    picker(b, n, f, v == null ? List.of() : List.of(v), false);
                }
            }
            case REFS -> {
                if (f.linkAttribute() == null) picker(b, n, f, v instanceof List<?> l ? l : List.of(), true);
                else links(b, n, f, v);
            }
            case OBJECT -> {
                n.widget = "object";
                Map<?, ?> m = v instanceof Map<?, ?> mm ? mm : Map.of();
                for (Field c : f.children().values()) {
                    n.children.add(node(b, c, name + "." + c.name, schemaPath + "." + c.name, m.get(c.name), n.fullLabel, cast(m)));
                }
                String family = ui(b).familySections().get(schemaPath);
                if (family != null) {
                    n.family = family;
                    n.hidden = !family.equals(engineFamily(b.record));
                }
            }
            case LIST -> list(b, n, f, schemaPath, v);
            case FREEFORM -> freeform(b, n, v, schemaPath);
            case ANY -> {
                n.widget = "textarea";
                n.value = v == null ? null : v instanceof String s ? s : Json.write(v);
            }
            case TAGS -> tags(b, n, v);
            case SERVICES -> services(b, n, v);
            default -> {
                n.widget = "text";
                n.value = text(v);
            }
        }
        KindUi.Suggest suggest = ui(b).suggestions().get(schemaPath);
        if (suggest != null && n.widget.equals("text")) {
            n.widget = "catalog";
            n.datalist = "dl-" + n.id;
            n.suggestFrom = id(suggest.pickerPath());
            n.suggestList = suggest.list();
        }
        if (n.display == null) n.display = n.value;
        if (!n.rows.isEmpty() || n.template != null) n.addLabel = "Add " + Labels.singular(n.label);
        return n;
    }

    private void select(Node n, String list, Object v) {
        n.widget = "select";
        String current = v == null ? null : v.toString();
        List<Opt> opts = new ArrayList<>();
        boolean found = false;
        for (Option o : options.all().getOrDefault(list, List.of())) {
            boolean sel = o.value().equals(current);
            found |= sel;
            opts.add(new Opt(o.value(), o.label(), sel, o.attrs().get("family")));
            if (sel) n.display = o.label();
        }
        // a value the list no longer has (or one just typed wrong) is kept, so it can be seen and fixed
        if (current != null && !found) opts.add(new Opt(current, current, true, null));
        n.options = opts;
        n.value = current;
    }

    private void directorySelect(Built b, Node n, Field f, Object v) {
        n.widget = "select";
        String current = v == null ? null : v.toString();
        List<Opt> opts = new ArrayList<>();
        if (f.refKinds().contains("teams")) {
            Map<UUID, String> teams = directory.teams(b.caller);
            teams.forEach((id, name) -> opts.add(new Opt(id.toString(), "Team " + name, id.toString().equals(current), null)));
        }
        if (f.refKinds().contains("users")) {
            directory.users(b.caller, 500).forEach((id, name) -> opts.add(new Opt(id.toString(), "User " + name, id.toString().equals(current), null)));
        }
        if (current != null && opts.stream().noneMatch(Opt::selected)) opts.add(new Opt(current, current, true, null));
        opts.stream().filter(Opt::selected).findFirst().ifPresent(o -> n.display = o.label());
        n.options = opts;
        n.value = current;
    }

    private void picker(Built b, Node n, Field f, List<?> ids, boolean multiple) {
        n.widget = "picker";
        n.multiple = multiple;
        n.kinds = String.join(",", f.refKinds());
        for (Object id : ids) {
            Object raw = id instanceof Map<?, ?> m ? m.get("target_id") : id;
            if (raw == null) continue;
            Ref r = new Ref(raw.toString());
            n.refs.add(r);
            b.pending.add(r);
            b.pendingKinds.put(r, f.refKinds());
        }
    }

    /** Links with an attribute (dependencies with a protocol): rows of a picker and a select. */
    private void links(Built b, Node n, Field f, Object v) {
        n.widget = "links";
        n.columns = List.of(Labels.field(b.collection, "target_id"), Labels.field(b.collection, f.linkAttribute()));
        List<?> items = v instanceof List<?> l ? l : List.of();
        for (int i = 0; i < items.size(); i++) {
            Map<?, ?> m = items.get(i) instanceof Map<?, ?> mm ? mm : Map.of("target_id", String.valueOf(items.get(i)));
            n.rows.add(linkRow(b, n, f, String.valueOf(i), m));
        }
        n.template = linkRow(b, n, f, "__i__", Map.of());
    }

    private Row linkRow(Built b, Node parent, Field f, String index, Map<?, ?> m) {
        String prefix = parent.name + "[" + index + "].";
        String rowLabel = parent.label + " " + rowNumber(index);
        Node target = new Node();
        target.name = prefix + "target_id";
        target.id = id(target.name);
        target.label = Labels.field(b.collection, "target_id");
        target.fullLabel = rowLabel + " › " + target.label;
        target.errors.addAll(errorsAt(b, target.name, false));
        target.errors.addAll(errorsAt(b, parent.name + "[" + index + "]", false));
        Object t = m.get("target_id");
        Field single = Field.ref("target_id", f.refKinds().toArray(String[]::new));
        if (!index.equals("__i__")) b.byName.put(target.name, target);
        picker(index.equals("__i__") ? new Built(b.collection, List.of(), b.record) : b, target, single, t == null ? List.of() : List.of(t), false);
        Node attr = new Node();
        attr.name = prefix + f.linkAttribute();
        attr.id = id(attr.name);
        attr.label = Labels.field(b.collection, f.linkAttribute());
        attr.fullLabel = rowLabel + " › " + attr.label;
        attr.errors.addAll(errorsAt(b, attr.name, false));
        if (!index.equals("__i__")) b.byName.put(attr.name, attr);
        select(attr, f.linkAttributeOptions(), m.get(f.linkAttribute()));
        if (attr.display == null) attr.display = attr.value;
        return new Row(index, List.of(target, attr));
    }

    private void list(Built b, Node n, Field f, String schemaPath, Object v) {
        List<?> items = v instanceof List<?> l ? l : List.of();
        if (!isRowList(b, f)) {
            // a list of names inside a row (PDBs of a CDB): one comma-separated input
            n.widget = "text";
            n.hint = "comma-separated";
            n.value = items.stream().map(String::valueOf).reduce((a, c) -> a + ", " + c).orElse(v instanceof String s ? s : null);
            return;
        }
        if (f.item().type == Type.OBJECT) {
            n.widget = "rows";
            for (Field c : f.item().children().values()) n.columns.add(Labels.field(b.collection, schemaPath + "." + c.name));
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> item = items.get(i) instanceof Map<?, ?> m ? cast(m) : Map.of();
                n.rows.add(objectRow(b, n, f, schemaPath, String.valueOf(i), item));
            }
            Built blank = new Built(b.collection, List.of(), b.record);
            blank.rowDepth = b.rowDepth;
            n.template = objectRow(blank, n, f, schemaPath, "__i__", Map.of());
        } else {
            n.widget = "values";
            n.columns.add(Labels.humanize(f.item().name));
            for (int i = 0; i < items.size(); i++) n.rows.add(valueRow(b, n, f, String.valueOf(i), items.get(i)));
            n.template = valueRow(new Built(b.collection, List.of(), b.record), n, f, "__i__", null);
        }
    }

    /** Lists edited as repeatable rows: lists of objects, and lists of names outside rows; names inside a row are one input. */
    private static boolean isRowList(Built b, Field f) {
        return f.item().type == Type.OBJECT || b.rowDepth == 0;
    }

    private Row objectRow(Built b, Node parent, Field f, String schemaPath, String index, Map<String, Object> item) {
        List<Node> cells = new ArrayList<>();
        String prefix = parent.name + "[" + index + "].";
        String rowLabel = parent.label + " " + rowNumber(index);
        b.rowDepth++;
        for (Field c : f.item().children().values()) {
            Node cell = node(b, c, prefix + c.name, schemaPath + "." + c.name, item.get(c.name), rowLabel, item);
            cell.fullLabel = rowLabel + " › " + cell.label;
            cells.add(cell);
        }
        b.rowDepth--;
        if (!index.equals("__i__")) cells.get(0).errors.addAll(0, errorsAt(b, parent.name + "[" + index + "]", false));
        return new Row(index, cells);
    }

    private Row valueRow(Built b, Node parent, Field f, String index, Object value) {
        Node cell = node(b, f.item(), parent.name + "[" + index + "]", parent.name, value, parent.label + " " + rowNumber(index), Map.of());
        cell.label = parent.label + " " + rowNumber(index);
        cell.fullLabel = cell.label;
        return new Row(index, List.of(cell));
    }

    private void freeform(Built b, Node n, Object v, String schemaPath) {
        n.widget = "freeform";
        Map<String, Object> m = new LinkedHashMap<>(v instanceof Map<?, ?> mm ? cast(mm) : Map.of());
        List<String> keys = new ArrayList<>(ui(b).freeformKeys().getOrDefault(schemaPath, List.of()));
        // other plain values get an input of their own too; nested ones stay in the JSON box
        m.forEach((k, val) -> {
            if (!keys.contains(k) && (val instanceof String || val instanceof Number || val instanceof Boolean) && k.matches("[A-Za-z0-9_-]{1,64}")) {
                keys.add(k);
            }
        });
        for (String k : keys) {
            Node c = node(b, Field.string(k).maxLength(10_000), n.name + "." + k, schemaPath + "." + k, m.remove(k), n.fullLabel, Map.of());
            c.fullLabel = n.fullLabel + " › " + c.label;
            n.children.add(c);
        }
        n.json = m.isEmpty() ? null : Json.write(m);
        if (v instanceof String s) n.json = s; // text sent back after it did not parse
    }

    private void tags(Built b, Node n, Object v) {
        n.widget = "tags";
        n.columns = List.of("Key", "Value");
        List<?> items = v instanceof List<?> l ? l : List.of();
        for (int i = 0; i < items.size(); i++) {
            Map<?, ?> m = items.get(i) instanceof Map<?, ?> mm ? mm : Map.of();
            n.rows.add(cellsRow(b, n, String.valueOf(i), m, List.of("key", "value")));
        }
        n.template = cellsRow(new Built(b.collection, List.of(), b.record), n, "__i__", Map.of(), List.of("key", "value"));
    }

    /** Server services typed by a person; entries added automatically (origin auto) are shown apart, read-only. */
    private void services(Built b, Node n, Object v) {
        n.widget = "services";
        n.columns = List.of("Service", "Version", "Status");
        b.catalogs.add(kinds.serviceCatalog().collection());
        List<?> items = v instanceof List<?> l ? l : List.of();
        int i = 0;
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> m)) continue;
            if ("auto".equals(m.get("origin"))) {
                Map<String, Object> a = new LinkedHashMap<>(cast(m));
                if (m.get("source_id") != null) {
                    Ref src = new Ref(m.get("source_id").toString());
                    b.pending.add(src);
                    b.pendingKinds.put(src, kinds.all().stream().filter(k -> k.autoService() != null).map(Kind::collection).toList());
                    a.put("source", src);
                }
                n.auto.add(a);
                continue;
            }
            n.rows.add(cellsRow(b, n, String.valueOf(i++), m, List.of("name", "version", "status")));
        }
        n.template = cellsRow(new Built(b.collection, List.of(), b.record), n, "__i__", Map.of(), List.of("name", "version", "status"));
    }

    private KindUi ui(Built b) {
        return uis.getOrDefault(b.collection, EMPTY_UI);
    }

    private static final KindUi EMPTY_UI = new KindUi();

    private Row cellsRow(Built b, Node parent, String index, Map<?, ?> m, List<String> cells) {
        List<Node> out = new ArrayList<>();
        for (String c : cells) {
            Field f = c.equals("status") ? Field.option("status", "service_status")
                    : parent.widget.equals("services") && c.equals("name") ? Field.catalog("name", kinds.serviceCatalog().collection())
                    : Field.string(c);
            Node cell = node(b, f, parent.name + "[" + index + "]." + c, parent.name + "." + c, m.get(c), "", Map.of());
            cell.label = parent.widget.equals("tags") ? (c.equals("key") ? "Tag key" : "Tag value")
                    : c.equals("name") ? "Service" : Labels.humanize(c);
            cell.fullLabel = parent.label + " " + rowNumber(index) + " › " + cell.label;
            out.add(cell);
        }
        if (!index.equals("__i__")) out.get(0).errors.addAll(0, errorsAt(b, parent.name + "[" + index + "]", false));
        return new Row(index, out);
    }

    // ---- names of related records, errors

    /** Looks up every referenced id once per candidate kind, limited to what the caller may read. */
    private void resolve(Built b, Caller caller) {
        Map<String, Set<UUID>> wanted = new LinkedHashMap<>();
        for (Ref r : b.pending) {
            UUID id = uuid(r.id);
            if (id == null) continue;
            for (String k : b.pendingKinds.get(r)) wanted.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(id);
        }
        Map<UUID, String[]> names = new LinkedHashMap<>();
        wanted.forEach((collection, ids) -> {
            Map<UUID, String> n = switch (collection) {
                case "teams" -> directory.teamNames(ids);
                case "users" -> directory.userNames(ids);
                default -> kinds.find(collection).map(k -> records.names(k, ids, caller)).orElse(Map.of());
            };
            n.forEach((id, name) -> names.putIfAbsent(id, new String[]{collection, name}));
        });
        for (Ref r : b.pending) {
            UUID id = uuid(r.id);
            String[] hit = id == null ? null : names.get(id);
            if (hit == null) continue;
            r.collection = hit[0];
            r.name = hit[1];
            r.kindLabel = kinds.find(hit[0]).map(Kind::label).orElse(hit[0].equals("teams") ? "Team" : "User");
        }
    }

    private void summarize(Built b) {
        for (FieldError e : b.errors) {
            Node target = null;
            String path = e.field();
            while (path != null && target == null) {
                target = b.byName.get(path);
                path = parent(path);
            }
            String label = target != null ? target.fullLabel : e.field();
            if (target != null && !e.field().equals(target.name) && !target.errors.contains(e.message())) {
                // reported deeper than any input (an unknown field, a row): show it on the nearest field
                target.errors.add(e.field().substring(target.name.length()).replaceFirst("^[.]", "") + ": " + e.message());
            }
            b.problems.add(new Problem(label, target != null ? "#" + target.id : null, e.message()));
        }
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut <= 0 ? null : path.substring(0, cut);
    }

    /** Messages for exactly this path, or also for its items ({@code server_ids[2]}) when {@code items}. */
    private static List<String> errorsAt(Built b, String name, boolean items) {
        List<String> out = new ArrayList<>();
        for (FieldError e : b.errors) {
            if (e.field().equals(name)) out.add(e.message());
            else if (items && e.field().startsWith(name + "[")) out.add(e.message());
        }
        return out;
    }

    // ---- small helpers

    static String id(String name) {
        return "f-" + name.replace("[", "-").replace("]", "").replace('.', '-').replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String rowNumber(String index) {
        return index.equals("__i__") ? "" : String.valueOf(Integer.parseInt(index) + 1);
    }

    /** The engine family of a database ("oracle", "mysql"), from the db_engine option list. */
    private String engineFamily(Map<String, Object> record) {
        Object engine = record == null ? null : record.get("engine");
        return engine == null ? null : options.find("db_engine", engine.toString()).map(o -> o.attrs().get("family")).orElse(null);
    }

    static String text(Object v) {
        if (v == null) return null;
        if (v instanceof Double d && d == Math.floor(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) return String.valueOf(d.longValue());
        if (v instanceof BigDecimal d) return d.stripTrailingZeros().toPlainString();
        if (v instanceof Map || v instanceof List) return Json.write(v);
        return v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
