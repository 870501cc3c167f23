package io.maestro.web;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The column chooser of the lists: the kind's usual columns plus every other scalar field (nested
 * ones by dotted path); the first column (the link to the record) always stays. Chosen in the
 * URL as {@code col=path} repeated, so a list with its columns is a link like any other filter.
 */
final class ColumnChoice {
    static final String PARAM = "col";

    private ColumnChoice() {
    }

    /** Every column a list of this kind can show, the usual ones first. */
    static List<KindUi.Column> candidates(KindView view) {
        Map<String, KindUi.Column> out = new LinkedHashMap<>();
        view.columns().forEach(c -> out.put(c.path(), c));
        collect(view.kind(), "", view.kind().fields(), out);
        if (!view.kind().global()) out.putIfAbsent("team_id", new KindUi.Column("team_id", "Team", KindUi.Cell.TEAM, false));
        return new ArrayList<>(out.values());
    }

    private static void collect(Kind kind, String prefix, Iterable<Field> fields, Map<String, KindUi.Column> out) {
        for (Field f : fields) {
            String path = prefix + f.name;
            if (f.type == Field.Type.OBJECT) {
                if (prefix.isEmpty()) collect(kind, path + ".", f.children().values(), out);
                continue;
            }
            if (!f.isScalar() || out.containsKey(path) || f.name.equals("description")) continue;
            KindUi.Cell cell = switch (f.type) {
                case OPTION -> path.equals("environment") ? KindUi.Cell.ENV : KindUi.Cell.OPTION;
                case REF -> KindUi.Cell.REF;
                default -> KindUi.Cell.TEXT;
            };
            out.put(path, new KindUi.Column(path, Labels.field(kind.collection(), path), cell, f.type != Field.Type.REF));
        }
    }

    /** The view with the chosen columns (unknown paths ignored), or as it is when none are chosen. */
    static KindView apply(KindView view, String[] chosen) {
        if (chosen == null || chosen.length == 0) return view;
        Map<String, KindUi.Column> all = new LinkedHashMap<>();
        candidates(view).forEach(c -> all.put(c.path(), c));
        List<KindUi.Column> cols = new ArrayList<>();
        KindUi.Column first = view.columns().get(0);
        cols.add(first);
        for (String path : chosen) {
            for (String p : path.split(",")) {
                KindUi.Column c = all.get(p.strip());
                if (c != null && !cols.contains(c)) cols.add(c);
            }
        }
        return new KindView(view.kind(), cols, view.filters(), view.tabs());
    }

    /** One checkbox of the chooser. */
    record Choice(String path, String label, boolean shown, boolean fixed) {
    }

    static List<Choice> choices(KindView shown, KindView base) {
        List<Choice> out = new ArrayList<>();
        for (KindUi.Column c : candidates(base)) {
            boolean isShown = shown.columns().stream().anyMatch(s -> s.path().equals(c.path()));
            out.add(new Choice(c.path(), c.label(), isShown, c.path().equals(base.columns().get(0).path())));
        }
        return out;
    }
}
