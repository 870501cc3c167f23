package io.maestro.core.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kind's pages show besides what its schema says, declared by the kind itself
 * ({@code Kind.ui()}): the list columns people scan, the list filters, how fields are grouped into
 * tabs, labels of its fields, the keys of free-form objects that get their own input, sections
 * shown for one option family only, and inputs that suggest values from a picked record. A kind
 * without one still gets pages (name and its first fields, one tab).
 */
public final class KindUi {
    /** Pseudo field of a tab: the reverse relations (records that link to this one). */
    public static final String RELATED = "_related";

    public enum Cell { TEXT, ENV, OPTION, REF, TEAM, LIST, COUNT }

    /** A list column; the first links to the record. */
    public record Column(String path, String label, Cell cell, boolean sortable) {
    }

    /** A group of top-level field names; {@link #RELATED} is the records linking here. */
    public record Tab(String id, String label, List<String> fields) {
    }

    /** Input {@code path} suggests the values of list {@code list} of the record picked in {@code pickerPath}. */
    public record Suggest(String pickerPath, String list) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<String> filters = new ArrayList<>();
    private final List<Tab> tabs = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, List<String>> freeformKeys = new LinkedHashMap<>();
    private final Map<String, String> familySections = new LinkedHashMap<>();
    private final Map<String, Suggest> suggestions = new LinkedHashMap<>();

    public KindUi column(String path, String label, Cell cell, boolean sortable) {
        columns.add(new Column(path, label, cell, sortable));
        return this;
    }

    /** The owning team's column (team-owned kinds). */
    public KindUi teamColumn() {
        return column("team_id", "Team", Cell.TEAM, false);
    }

    /** Filters shown as selects, by API filter name (environment, os.base, team_id ...). */
    public KindUi filters(String... names) {
        filters.addAll(List.of(names));
        return this;
    }

    public KindUi tab(String id, String label, String... fields) {
        tabs.add(new Tab(id, label, List.of(fields)));
        return this;
    }

    /** The label of a field path ({@code os.base}, {@code storage.size_gb}) in this kind's pages. */
    public KindUi label(String path, String label) {
        labels.put(path, label);
        return this;
    }

    /** Keys of the free-form object {@code path} that get their own input; other keys stay editable as JSON. */
    public KindUi freeformKeys(String path, String... keys) {
        freeformKeys.put(path, List.of(keys));
        return this;
    }

    /** Section {@code path} is shown only while the record's option has {@code family} (a database's oracle section). */
    public KindUi familySection(String path, String family) {
        familySections.put(path, family);
        return this;
    }

    public KindUi suggest(String path, String pickerPath, String list) {
        suggestions.put(path, new Suggest(pickerPath, list));
        return this;
    }

    public List<Column> columns() { return List.copyOf(columns); }
    public List<String> filters() { return List.copyOf(filters); }
    public List<Tab> tabs() { return List.copyOf(tabs); }
    public Map<String, String> labels() { return Map.copyOf(labels); }
    public Map<String, List<String>> freeformKeys() { return Map.copyOf(freeformKeys); }
    public Map<String, String> familySections() { return Map.copyOf(familySections); }
    public Map<String, Suggest> suggestions() { return Map.copyOf(suggestions); }
}
