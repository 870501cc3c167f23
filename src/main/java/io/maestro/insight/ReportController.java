package io.maestro.insight;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
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
    private final PivotService pivots;
    private final SavedReports reports;
    private final ReportRunner runner;
    private final CallerProvider callers;

    public ReportController(PivotService pivots, SavedReports reports, ReportRunner runner, CallerProvider callers) {
        this.pivots = pivots;
        this.reports = reports;
        this.runner = runner;
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
        ReportRunner.Result result = runner.run(report, caller);
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
            for (String c : result.columns()) cells.add(ReportRunner.cell(row.get(c)));
            printer.printRecord(cells);
        }
        printer.flush();
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
