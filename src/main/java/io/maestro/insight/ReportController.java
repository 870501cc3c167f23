package io.maestro.insight;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The pivot report and saved reports: {@code /api/v1/reports/pivot}, {@code /api/v1/reports[/{id}[/result]]}. */
@RestController
@Tag(name = "insight")
public class ReportController {
    /** A saved report's result lists at most this many records (a summary has no limit: it is one row per group). */
    static final int MAX_ROWS = 100_000;
    private static final int PAGE = 1000;

    private final PivotService pivots;
    private final SavedReports reports;
    private final SummaryService summaries;
    private final RecordService records;
    private final Kinds kinds;
    private final CallerProvider callers;

    public ReportController(PivotService pivots, SavedReports reports, SummaryService summaries, RecordService records, Kinds kinds,
                            CallerProvider callers) {
        this.pivots = pivots;
        this.reports = reports;
        this.summaries = summaries;
        this.records = records;
        this.kinds = kinds;
        this.callers = callers;
    }

    @GetMapping("/api/v1/reports/pivot")
    @Operation(summary = "Client → system → application → server: a tree with server counts (json) or one row per path (csv); (none) where a level is missing")
    public void pivot(@RequestParam(value = "client_id", required = false) String clientId,
                      @RequestParam(value = "system_id", required = false) String systemId,
                      @RequestParam(value = "environment", required = false) String environment,
                      @RequestParam(value = "format", defaultValue = "json") String format, HttpServletResponse response) throws IOException {
        boolean csv = csv(format);
        PivotService.Filters filters = pivots.filters(clientId, systemId, environment);
        Caller caller = callers.current();
        if (!csv) {
            json(response, pivots.tree(filters, caller));
            return;
        }
        CSVPrinter printer = csvResponse(response, "pivot.csv");
        printer.printRecord("client", "system", "application", "server", "environment");
        IOException[] failed = {null};
        pivots.paths(filters, caller, p -> {
            try {
                printer.printRecord(none(p.clientId(), p.client()), none(p.systemId(), p.system()), none(p.applicationId(), p.application()),
                        none(p.serverId(), p.server()), p.environment() == null ? "" : p.environment());
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) throw failed[0];
        printer.flush();
    }

    private static String none(UUID id, String name) {
        return id == null ? PivotService.NONE : name;
    }

    @GetMapping(path = "/api/v1/reports", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Saved reports of the caller's teams")
    public Map<String, Object> list() {
        List<Map<String, Object>> items = reports.list(callers.current()).stream().map(SavedReports.Report::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        return body;
    }

    @PostMapping(path = "/api/v1/reports", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Save a report: {name, collection, filters: {list parameters}, columns: [...], group_by: [...], team_id}")
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        SavedReports.Report r = reports.create(Json.parse(body), callers.current());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(r.id()).toUri())
                .eTag("\"" + r.version() + "\"").body(r.json());
    }

    @GetMapping(path = "/api/v1/reports/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> get(@PathVariable("id") String id) {
        return reports.get(id(id), callers.current()).json();
    }

    @PutMapping(path = "/api/v1/reports/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> replace(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return reports.update(id(id), Json.parse(body), false, callers.current()).json();
    }

    @PatchMapping(path = "/api/v1/reports/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return reports.update(id(id), Json.parse(body), true, callers.current()).json();
    }

    @DeleteMapping("/api/v1/reports/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        reports.delete(id(id), callers.current());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping("/api/v1/reports/{id}/result")
    @Operation(summary = "Runs a saved report: its groups and counts when it groups, else its records' columns; json or csv")
    public void result(@PathVariable("id") String id, @RequestParam(value = "format", defaultValue = "json") String format,
                       HttpServletResponse response) throws IOException {
        boolean csv = csv(format);
        Caller caller = callers.current();
        SavedReports.Report report = reports.get(id(id), caller);
        Result result = run(report, caller);
        if (!csv) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("report", report.json());
            body.put("columns", result.columns());
            body.put("rows", result.rows());
            body.put("total", result.total());
            body.put("truncated", result.truncated());
            json(response, body);
            return;
        }
        CSVPrinter printer = csvResponse(response, "report.csv");
        printer.printRecord(result.columns());
        for (Map<String, Object> row : result.rows()) {
            List<String> cells = new ArrayList<>();
            for (String c : result.columns()) cells.add(cell(row.get(c)));
            printer.printRecord(cells);
        }
        printer.flush();
    }

    /** A report's answer: its columns (the group fields and count, or the report's columns) and rows. */
    public record Result(List<String> columns, List<Map<String, Object>> rows, long total, boolean truncated) {
    }

    public Result run(SavedReports.Report report, Caller caller) {
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
        params.put("size", new String[]{String.valueOf(PAGE)});
        long total = 0;
        int page = 0;
        while (rows.size() < MAX_ROWS) {
            RecordService.Listing l = records.list(kind, params, caller);
            total = l.total();
            for (Map<String, Object> doc : l.items()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String c : report.columns()) row.put(c, at(doc, c));
                rows.add(row);
            }
            if (l.items().size() < PAGE) break;
            // a live list pages by cursor; an as_of list by page number
            if (l.next() != null) params.put("cursor", new String[]{l.next()});
            else params.put("page", new String[]{String.valueOf(++page)});
        }
        boolean truncated = rows.size() < total;
        return new Result(report.columns(), rows, total, truncated);
    }

    /** The value at a dotted path of a record's document ({@code os.base}). */
    static Object at(Map<String, Object> doc, String path) {
        Object v = doc;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) return null;
            v = m.get(part);
        }
        return v;
    }

    /** A CSV cell: lists as their items separated by spaces (tags as key:value), objects as JSON. */
    static String cell(Object v) {
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

    private static boolean csv(String format) {
        return switch (format) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw ProblemException.badField("format", "must be json or csv");
        };
    }

    private static UUID id(String text) {
        return io.maestro.core.Ids.parse(text, "Report");
    }

    private static void json(HttpServletResponse response, Object body) throws IOException {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Json.mapper().writeValue(response.getOutputStream(), body);
    }

    private static CSVPrinter csvResponse(HttpServletResponse response, String filename) throws IOException {
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/csv");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        Writer out = new java.io.BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        return new CSVPrinter(out, CSVFormat.RFC4180);
    }
}
