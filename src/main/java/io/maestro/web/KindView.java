package io.maestro.web;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pages of one kind show besides what its schema says: the columns people scan, the
 * filters of its list, and how its fields are grouped into tabs (as in the user guide).
 *
 * @param columns  list columns; the first links to the record
 * @param filters  list filters shown as selects (API filter names: environment, os.base, team_id ...)
 * @param tabs     groups of top-level field names; {@link #RELATED} is the tab of records linking here
 */
public record KindView(Kind kind, List<Column> columns, List<String> filters, List<Tab> tabs) {
    /** Pseudo field: the reverse relations (records that link to this one). */
    public static final String RELATED = "_related";

    public enum Cell { TEXT, ENV, OPTION, REF, TEAM, LIST, COUNT }

    public record Column(String path, String label, Cell cell, boolean sortable) {
    }

    public record Tab(String id, String label, List<String> fields) {
    }

    public String collection() {
        return kind.collection();
    }

    public String label() {
        return kind.label();
    }

    public String plural() {
        return kind.label() + "s";
    }

    /** Default view of a kind nobody described: name plus its first scalar fields, one tab. */
    static KindView generic(Kind kind) {
        List<Column> cols = new ArrayList<>();
        cols.add(new Column("name", "Name", Cell.TEXT, true));
        for (Field f : kind.fields()) {
            if (cols.size() >= 5) break;
            if (f.name.equals("name") || f.name.equals("description") || !f.isScalar() || f.type == Field.Type.REF) continue;
            cols.add(new Column(f.name, Labels.field(kind.collection(), f.name),
                    f.type == Field.Type.OPTION ? (f.name.equals("environment") ? Cell.ENV : Cell.OPTION) : Cell.TEXT, true));
        }
        if (!kind.global()) cols.add(new Column("team_id", "Team", Cell.TEAM, false));
        List<String> filters = new ArrayList<>();
        kind.fields().stream().filter(f -> f.type == Field.Type.OPTION).forEach(f -> filters.add(f.name));
        if (!kind.global()) filters.add("team_id");
        List<String> all = kind.fields().stream().filter(f -> !f.isProvenance()).map(f -> f.name).toList();
        return new KindView(kind, cols, filters, List.of(new Tab("general", "General", all), new Tab("related", "Related", List.of(RELATED))));
    }
}
