package io.maestro.web;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi.Cell;
import io.maestro.core.schema.KindUi.Column;
import io.maestro.core.schema.KindUi.Tab;

import java.util.ArrayList;
import java.util.List;

/**
 * What the pages of one kind show besides what its schema says: the columns people scan, the
 * filters of its list, and how its fields are grouped into tabs, as the kind declares them
 * ({@code Kind.ui()}) or generic.
 *
 * @param columns  list columns; the first links to the record
 * @param filters  list filters shown as selects (API filter names: environment, os.base, team_id ...)
 * @param tabs     groups of top-level field names; {@link #RELATED} is the tab of records linking here
 */
public record KindView(Kind kind, List<Column> columns, List<String> filters, List<Tab> tabs) {

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
        return new KindView(kind, cols, filters, List.of(new Tab("general", "General", all), new Tab("related", "Related", List.of(io.maestro.core.schema.KindUi.RELATED))));
    }
}
