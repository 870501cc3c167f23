package io.maestro.insight;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a report (saved or being built): its groups and counts when it groups, else its records' columns. */
@Service
public class ReportRunner {
    /** A report's result lists at most this many records (a summary has no limit: it is one row per group). */
    public static final int MAX_ROWS = 100_000;
    private static final int PAGE = 1000;

    private final SummaryService summaries;
    private final RecordService records;
    private final Kinds kinds;

    public ReportRunner(SummaryService summaries, RecordService records, Kinds kinds) {
        this.summaries = summaries;
        this.records = records;
        this.kinds = kinds;
    }

    /** A report's answer: its columns (the group fields and count, or the report's columns) and rows. */
    public record Result(List<String> columns, List<Map<String, Object>> rows, long total, boolean truncated) {
    }

    public Result run(SavedReports.Report report, Caller caller) {
        return run(report, caller, MAX_ROWS);
    }

    /** The same with at most {@code maxRows} records listed (a page shows fewer than a download). */
    public Result run(SavedReports.Report report, Caller caller, int maxRows) {
        Kind kind = kinds.get(report.collection());
        Map<String, String[]> params = report.parameters();
        if (!report.groupBy().isEmpty()) {
            params.put("group_by", new String[]{String.join(",", report.groupBy())});
            SummaryService.Summary s = summaries.summarize(kind, params, caller);
            List<String> columns = new ArrayList<>(report.groupBy());
            columns.add("count");
            return new Result(columns, s.groups(), s.total(), false);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        params.remove("page");
        params.remove("cursor");
        params.put("size", new String[]{String.valueOf(Math.min(PAGE, maxRows))});
        long total = 0;
        int page = 0;
        while (rows.size() < maxRows) {
            RecordService.Listing l = records.list(kind, params, caller);
            total = l.total();
            for (Map<String, Object> doc : l.items()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String c : report.columns()) row.put(c, at(doc, c));
                rows.add(row);
            }
            if (l.items().size() < Math.min(PAGE, maxRows)) break;
            // a live list pages by cursor; an as_of list by page number
            if (l.next() != null) params.put("cursor", new String[]{l.next()});
            else params.put("page", new String[]{String.valueOf(++page)});
        }
        boolean truncated = rows.size() < total;
        return new Result(report.columns(), rows, total, truncated);
    }

    /** The value at a dotted path of a record's document ({@code os.base}). */
    public static Object at(Map<String, Object> doc, String path) {
        Object v = doc;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) return null;
            v = m.get(part);
        }
        return v;
    }

    /** A CSV cell: lists as their items separated by spaces (tags as key:value), objects as JSON. */
    public static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) {
                if (x instanceof Map<?, ?> m && m.containsKey("key")) parts.add(m.get("key") + (m.get("value") == null ? "" : ":" + m.get("value")));
                else if (x instanceof Map<?, ?> m && m.containsKey("target_id")) parts.add(String.valueOf(m.get("target_id")));
                else parts.add(x instanceof Map<?, ?> ? Json.write(x) : String.valueOf(x));
            }
            return String.join(" ", parts);
        }
        if (v instanceof Map<?, ?>) return Json.write(v);
        return String.valueOf(v);
    }

}
