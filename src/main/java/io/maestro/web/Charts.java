package io.maestro.web;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import io.maestro.insight.SummaryService;
import org.springframework.stereotype.Component;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Charts of summaries (the reports and the dashboard): the group values as people read them
 * (option labels, team and record names, "(none)" for a missing value) and the spec charts.js
 * draws. Every chart goes out with its numbers as a table too, built from the same rows.
 */
@Component
class Charts {
    static final String NONE = "(none)";

    private final Pages pages;
    private final Kinds kinds;
    private final RecordService records;
    private final Directory directory;
    private final SummaryService summaries;

    Charts(Pages pages, Kinds kinds, RecordService records, Directory directory, SummaryService summaries) {
        this.pages = pages;
        this.kinds = kinds;
        this.records = records;
        this.directory = directory;
        this.summaries = summaries;
    }

    /** One bar or slice: what it counts, the list it opens (null when a list cannot show it), how many. */
    public record Slice(String label, String href, long count) {
    }

    /**
     * A chart with its table: {@code spec} for charts.js, {@code slices} for one grouping, or a
     * cross table ({@code columns} × {@code rows}) for two.
     */
    public record Chart(String id, String title, String spec, String type, List<Slice> slices, long total,
                        List<String> columns, List<CrossRow> rows, List<Long> columnTotals) {
        public boolean cross() {
            return columns != null;
        }
    }

    public record CrossRow(String label, List<Long> counts, long total) {
    }

    /** A summary's groups with their values as labels, keyed by group field. */
    List<Map<String, String>> labels(Kind kind, List<String> fields, List<Map<String, Object>> groups, Caller caller) {
        Map<String, Map<String, String>> names = new HashMap<>();
        for (String field : fields) {
            Set<Object> values = new LinkedHashSet<>();
            for (Map<String, Object> g : groups) if (g.get(field) != null) values.add(g.get(field));
            names.put(field, names(kind, field, values, caller));
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, Object> g : groups) {
            Map<String, String> row = new LinkedHashMap<>();
            for (String field : fields) {
                Object v = g.get(field);
                row.put(field, v == null ? NONE : names.get(field).getOrDefault(String.valueOf(v), String.valueOf(v)));
            }
            out.add(row);
        }
        return out;
    }

    /** How the values of a group field read: option labels, team and record names, yes/no. */
    private Map<String, String> names(Kind kind, String field, Set<Object> values, Caller caller) {
        Map<String, String> out = new HashMap<>();
        if (values.isEmpty()) return out;
        if (field.equals("team_id")) {
            directory.teamNames(ids(values)).forEach((id, name) -> out.put(id.toString(), name));
            return out;
        }
        Field f = RecordPages.field(kind, field);
        if (f != null && f.type == Field.Type.REF && !f.refKinds().isEmpty()) {
            kinds.find(f.refKinds().get(0)).ifPresent(target ->
                    records.names(target, ids(values), caller).forEach((id, name) -> out.put(id.toString(), name)));
            return out;
        }
        for (Object v : values) {
            String text = v instanceof Boolean b ? (b ? "yes" : "no")
                    : f != null && f.optionList() != null ? pages.optionLabel(f.optionList(), v) : String.valueOf(v);
            out.put(String.valueOf(v), text);
        }
        return out;
    }

    private static List<UUID> ids(Set<Object> values) {
        List<UUID> out = new ArrayList<>();
        for (Object v : values) {
            try {
                out.add(UUID.fromString(String.valueOf(v)));
            } catch (IllegalArgumentException e) {
                // not an id: shown as it is
            }
        }
        return out;
    }

    /**
     * The chart of a summary: bars or a pie for one grouping, stacked bars for two; null for none or
     * three (a table says it better). {@code listHref} is the list with the summary's filters, to
     * which a slice adds its value.
     */
    Chart chart(String id, String title, Kind kind, SummaryService.Summary summary, String type, String listHref, Caller caller) {
        List<String> fields = summary.groupBy();
        if (fields.isEmpty() || fields.size() > 2) return null;
        List<Map<String, String>> labels = labels(kind, fields, summary.groups(), caller);
        if (fields.size() == 1) {
            String field = fields.get(0);
            List<Slice> slices = new ArrayList<>();
            for (int i = 0; i < summary.groups().size(); i++) {
                Object v = summary.groups().get(i).get(field);
                String href = v == null || listHref == null ? null
                        : listHref + (listHref.contains("?") ? "&" : "?") + enc(field) + "=" + enc(String.valueOf(v));
                slices.add(new Slice(labels.get(i).get(field), href, count(summary.groups().get(i))));
            }
            String t = "pie".equals(type) ? "pie" : "bar";
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", t);
            spec.put("labels", slices.stream().map(Slice::label).toList());
            spec.put("series", List.of(Map.of("name", "Count", "data", slices.stream().map(Slice::count).toList())));
            return new Chart(id, title, Json.write(spec), t, slices, summary.total(), null, null, null);
        }
        // two groupings: a bar per value of the first, stacked by the second
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        Map<String, Long> cells = new HashMap<>();
        for (int i = 0; i < summary.groups().size(); i++) {
            String a = labels.get(i).get(fields.get(0));
            String b = labels.get(i).get(fields.get(1));
            if (!first.contains(a)) first.add(a);
            if (!second.contains(b)) second.add(b);
            cells.merge(a + "\u0000" + b, count(summary.groups().get(i)), Long::sum);
        }
        List<CrossRow> rows = new ArrayList<>();
        for (String a : first) {
            List<Long> counts = second.stream().map(b -> cells.getOrDefault(a + "\u0000" + b, 0L)).toList();
            rows.add(new CrossRow(a, counts, counts.stream().mapToLong(Long::longValue).sum()));
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (int j = 0; j < second.size(); j++) {
            int col = j;
            series.add(Map.of("name", second.get(j), "data", rows.stream().map(r -> r.counts().get(col)).toList()));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "stacked");
        spec.put("labels", first);
        spec.put("series", series);
        List<Long> totals = new ArrayList<>();
        for (int j = 0; j < second.size(); j++) {
            int col = j;
            totals.add(rows.stream().mapToLong(r -> r.counts().get(col)).sum());
        }
        return new Chart(id, title, Json.write(spec), "stacked", null, summary.total(), second, rows, totals);
    }

    /** The dashboard's charts: servers by environment, by OS and by datacenter, each a summary the caller may see. */
    List<Chart> servers(Caller caller) {
        Kind servers = kinds.find("servers").orElse(null);
        if (servers == null) return List.of();
        List<Chart> out = new ArrayList<>();
        for (String[] c : List.of(new String[]{"environment", "Servers by environment", "bar"}, new String[]{"os.base", "Servers by OS", "pie"},
                new String[]{"datacenter.id", "Servers by datacenter", "bar"})) {
            SummaryService.Summary s = summaries.summarize(servers, Map.of("group_by", new String[]{c[0]}), caller);
            if (s.total() == 0) return List.of();
            out.add(chart("chart-servers-" + c[0].replace('.', '-'), c[1], servers, s, c[2], "/servers", caller));
        }
        return out;
    }

    private static long count(Map<String, Object> group) {
        return ((Number) Objects.requireNonNull(group.get("count"))).longValue();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
