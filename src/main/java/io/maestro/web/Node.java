package io.maestro.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One field as the templates see it, for a form or a detail page: which widget, the input name
 * (its path in the JSON body, e.g. {@code storage[1].size_gb}), the value as text, choices,
 * selected related records, child fields or rows, and the errors reported for it.
 */
public final class Node {
    public String widget;
    public String name;
    public String id;
    public String label;
    /** Label with its parents, for the error summary ("Storage 2 › Size (GB)"). */
    public String fullLabel;
    public boolean required;
    public String value;
    /** What a detail page shows (an option's label, a formatted number). */
    public String display;
    public boolean checked;
    public int maxLength;
    public String inputType = "text";
    public String hint;
    /** CSS class of a badge for the value (environments). */
    public String badge;
    public List<Opt> options = List.of();
    /** Selected related records (pickers) or links shown on a detail page. */
    public List<Ref> refs = new ArrayList<>();
    /** Collections a picker searches, comma separated. */
    public String kinds;
    public boolean multiple;
    /** Link attribute of a links field (dependencies: protocol). */
    public Node attribute;
    public String datalist;
    /** Suggestions come from the record chosen in the picker with this id, its list {@link #suggestList}. */
    public String suggestFrom;
    public String suggestList;
    public List<Node> children = new ArrayList<>();
    public List<Row> rows = new ArrayList<>();
    /** A blank row with {@code __i__} for the index, cloned in the browser by "Add". */
    public Row template;
    public List<String> columns = new ArrayList<>();
    public List<String> errors = new ArrayList<>();
    public boolean hasSecret;
    /** Database sections: the engine family ("oracle", "mysql") that shows this section. */
    public String family;
    public boolean hidden;
    /** Service entries added automatically (read-only in the form). */
    public List<Map<String, Object>> auto = new ArrayList<>();
    /** The group's own title repeats its section's: read by screen readers only. */
    public boolean quiet;
    /** Text of a rows group's "Add" button ("Add tag"). */
    public String addLabel;
    /** Freeform: the other keys as JSON text. */
    public String json;

    public boolean hasErrors() {
        if (!errors.isEmpty()) return true;
        for (Node c : children) if (c.hasErrors()) return true;
        for (Row r : rows) for (Node c : r.cells()) if (c.hasErrors()) return true;
        return attribute != null && attribute.hasErrors();
    }

    /** Whether a detail page has anything to show for it. */
    public boolean isEmpty() {
        return switch (widget) {
            case "object", "freeform" -> children.stream().allMatch(Node::isEmpty) && (json == null || json.isBlank());
            case "rows", "values", "tags", "links" -> rows.isEmpty();
            case "services" -> rows.isEmpty() && auto.isEmpty();
            case "picker" -> refs.isEmpty();
            case "checkbox" -> false;
            case "secret" -> !hasSecret;
            default -> value == null || value.isBlank();
        };
    }

    /** One repeatable row: its index in the input names, and its cells. */
    public record Row(String index, List<Node> cells) {
    }

    public record Opt(String value, String label, boolean selected, String family) {
    }

    /** A related record: its link, or its bare id when it is unknown or not readable. */
    public static final class Ref {
        public final String id;
        public String name;
        public String collection;
        public String kindLabel;
        public String note;

        public Ref(String id) {
            this.id = id;
        }

        public boolean isKnown() {
            return collection != null;
        }

        public String getHref() {
            return collection == null || collection.equals("teams") || collection.equals("users") ? null : "/" + collection + "/" + id;
        }

        public String getText() {
            return name != null ? name : id;
        }
    }
}
