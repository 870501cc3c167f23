package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.options.Option;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import io.maestro.insight.PivotService;
import io.maestro.insight.ReportRunner;
import io.maestro.insight.SavedReports;
import io.maestro.insight.SummaryService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reports: a builder (which records, filters, up to three group fields or the columns to list),
 * its answer as a chart and a table of the same numbers, a CSV download, saved reports, and the
 * pivot (client → system → application → server) as an expandable tree. The builder's state is
 * its URL, so a report being built can be bookmarked; every answer comes from the insight services
 * the API uses ({@link ReportRunner}, {@link SavedReports}, {@link PivotService}), scoped alike.
 */
@Controller
public class ReportPages {
    /** Records a list report shows on the page; the CSV carries up to {@link ReportRunner#MAX_ROWS}. */
    static final int PAGE_ROWS = 200;
    /** Entries the pivot tree draws at most; the counts always cover everything. */
    static final int PIVOT_NODES = 2000;
    /** Parameters of the builder itself; every other parameter is a list filter. */
    private static final Set<String> OWN = Set.of("collection", "prev", "group_by", "columns", "chart", "more", "name", "measure", "team", "_csrf");
    private static final Set<String> UNGROUPED = Set.of("external_id", "last_seen_at", "stale_since", "missing_since", "source.id", "source.address");

    private final Pages pages;
    private final Views views;
    private final Charts charts;
    private final SummaryService summaries;
    private final SavedReports reports;
    private final ReportRunner runner;
    private final PivotService pivots;
    private final RecordService records;
    private final CallerProvider callers;
    private final Directory directory;

    ReportPages(Pages pages, Views views, Charts charts, SummaryService summaries, SavedReports reports, ReportRunner runner,
                PivotService pivots, RecordService records, CallerProvider callers, Directory directory) {
        this.pages = pages;
        this.views = views;
        this.charts = charts;
        this.summaries = summaries;
        this.reports = reports;
        this.runner = runner;
        this.pivots = pivots;
        this.records = records;
        this.callers = callers;
        this.directory = directory;
    }

    /** What the builder holds: the report's definition plus how to draw it. */
    public record Builder(String collection, List<String> groupBy, List<String> columns, Map<String, Object> filters, String more, String chart) {
        public Kind kind(Pages pages) {
            return pages.view(collection).kind();
        }

        public SavedReports.Report draft() {
            return new SavedReports.Report(null, null, 0, null, null, "draft", collection, filters, columns.isEmpty() ? List.of("name") : columns, groupBy);
        }

        /** The filters as name, value pairs (the save form's hidden inputs). */
        public List<String[]> pairs() {
            List<String[]> out = new ArrayList<>();
            filters.forEach((k, v) -> {
                if (v instanceof List<?> l) l.forEach(x -> out.add(new String[]{k, String.valueOf(x)}));
                else out.add(new String[]{k, String.valueOf(v)});
            });
            return out;
        }

        /** The builder's state as a query string (the download link, the bookmark). */
        public String query() {
            UriComponentsBuilder b = UriComponentsBuilder.newInstance().queryParam("collection", collection);
            groupBy.forEach(g -> b.queryParam("group_by", g));
            columns.forEach(c -> b.queryParam("columns", c));
            filters.forEach((k, v) -> {
                if (v instanceof List<?> l) l.forEach(x -> b.queryParam(k, x));
                else b.queryParam(k, v);
            });
            if (chart != null) b.queryParam("chart", chart);
            return b.build().encode().toUriString();
        }
    }

    /** A select of the builder: its parameter, label, choices and the chosen value. */
    public record Choice(String id, String param, String label, List<Node.Opt> options) {
    }

    public record Saved(String name, String href, String kind, String what, String team) {
    }

    /** A list report's answer: headers and rows of text. */
    public record Table(List<String> headers, List<List<String>> rows, long total, boolean cut) {
    }

    // ---- builder and answer

    @GetMapping("/reports")
    public String reports(HttpServletRequest request, Model model, HttpServletResponse response) {
        Caller caller = callers.current();
        Builder b = builder(request.getParameterMap());
        page(model, b, null, caller);
        if (!answer(model, b, caller)) response.setStatus(400);
        return "reports";
    }

    @GetMapping("/reports/download")
    public void download(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Builder b = builder(request.getParameterMap());
        b.kind(pages);
        csv(response, b.draft(), b.collection() + "-report.csv");
    }

    @PostMapping("/reports")
    public String save(HttpServletRequest request, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        Caller caller = callers.current();
        Builder b = builder(request.getParameterMap());
        Map<String, Object> body = definition(b, request.getParameter("name"));
        String team = request.getParameter("team");
        if (team != null && !team.isBlank()) body.put("team_id", team);
        try {
            SavedReports.Report r = reports.create(body, caller);
            redirect.addFlashAttribute("flash", "Report '" + r.name() + "' saved.");
            return "redirect:/reports/" + r.id() + (b.chart() == null ? "" : "?chart=" + Charts.enc(b.chart()));
        } catch (ProblemException e) {
            response.setStatus(e.status());
            page(model, b, null, caller);
            model.addAttribute("saveProblem", e.getMessage());
            model.addAttribute("saveName", body.get("name"));
            answer(model, b, caller);
            return "reports";
        }
    }

    /** A saved report; with the builder's parameters (its form was changed and run), the changed definition, not yet saved. */
    @GetMapping("/reports/{id}")
    public String saved(@PathVariable("id") String id, HttpServletRequest request, Model model, HttpServletResponse response) {
        Caller caller = callers.current();
        SavedReports.Report r = reports.get(io.maestro.core.Ids.parse(id, "Report"), caller);
        boolean edited = request.getParameter("collection") != null;
        Builder b = edited ? builder(request.getParameterMap()) : stored(r, request.getParameter("chart"));
        page(model, b, r, caller);
        model.addAttribute("edited", edited);
        if (!answer(model, b, caller)) response.setStatus(400);
        return "reports";
    }

    /** Saves the builder's definition (and name) over a saved report. */
    @PostMapping("/reports/{id}")
    public String change(@PathVariable("id") String id, HttpServletRequest request, Model model, RedirectAttributes redirect,
                         HttpServletResponse response) {
        Caller caller = callers.current();
        SavedReports.Report r = reports.get(io.maestro.core.Ids.parse(id, "Report"), caller);
        Builder b = builder(request.getParameterMap());
        Map<String, Object> body = definition(b, request.getParameter("name"));
        body.put("team_id", r.teamId().toString());
        try {
            SavedReports.Report changed = reports.update(r.id(), body, false, caller);
            redirect.addFlashAttribute("flash", "Report '" + changed.name() + "' saved.");
            return "redirect:/reports/" + r.id() + (b.chart() == null ? "" : "?chart=" + Charts.enc(b.chart()));
        } catch (ProblemException e) {
            response.setStatus(e.status());
            page(model, b, r, caller);
            model.addAttribute("saveProblem", e.getMessage());
            model.addAttribute("saveName", body.get("name"));
            answer(model, b, caller);
            return "reports";
        }
    }

    private static Builder stored(SavedReports.Report r, String chart) {
        return new Builder(r.collection(), r.groupBy(), r.groupBy().isEmpty() ? r.columns() : List.of(), new LinkedHashMap<>(r.filters()), "", chart);
    }

    /** A report's definition as the API takes it, from the builder. */
    private static Map<String, Object> definition(Builder b, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name);
        body.put("collection", b.collection());
        body.put("filters", b.filters());
        body.put("columns", b.columns().isEmpty() ? List.of("name") : b.columns());
        body.put("group_by", b.groupBy());
        return body;
    }

    @GetMapping("/reports/{id}/download")
    public void downloadSaved(@PathVariable("id") String id, HttpServletResponse response) throws IOException {
        SavedReports.Report r = reports.get(io.maestro.core.Ids.parse(id, "Report"), callers.current());
        csv(response, r, slug(r.name()) + ".csv");
    }

    @PostMapping("/reports/{id}/delete")
    public String delete(@PathVariable("id") String id, RedirectAttributes redirect) {
        Caller caller = callers.current();
        UUID uuid = io.maestro.core.Ids.parse(id, "Report");
        SavedReports.Report r = reports.get(uuid, caller);
        reports.delete(uuid, caller);
        redirect.addFlashAttribute("flash", "Report '" + r.name() + "' deleted.");
        return "redirect:/reports";
    }

    /** The builder's state from request parameters; a changed collection starts over (its fields differ). */
    private Builder builder(Map<String, String[]> params) {
        String collection = first(params, "collection");
        if (collection == null || views.find(collection).isEmpty()) collection = "servers";
        boolean switched = first(params, "prev") != null && !collection.equals(first(params, "prev"));
        List<String> groupBy = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        Map<String, Object> filters = new LinkedHashMap<>();
        String more = "";
        if (!switched) {
            for (String g : params.getOrDefault("group_by", new String[0])) if (!g.isBlank() && !groupBy.contains(g.strip())) groupBy.add(g.strip());
            for (String c : params.getOrDefault("columns", new String[0])) if (!c.isBlank() && !columns.contains(c.strip())) columns.add(c.strip());
            params.forEach((k, v) -> {
                if (OWN.contains(k)) return;
                List<String> kept = java.util.Arrays.stream(v).filter(s -> s != null && !s.isBlank()).map(String::strip).toList();
                if (!kept.isEmpty()) filters.put(k, kept.size() == 1 ? kept.get(0) : kept);
            });
            more = first(params, "more") == null ? "" : first(params, "more");
            // "More filters" is a query string: os.base=Linux&cpu[gte]=4
            MultiValueMap<String, String> extra = UriComponentsBuilder.newInstance().query(more.strip().replaceFirst("^\\?", "")).build().getQueryParams();
            extra.forEach((k, v) -> {
                String key = java.net.URLDecoder.decode(k, StandardCharsets.UTF_8);
                List<String> values = v.stream().filter(java.util.Objects::nonNull).map(s -> java.net.URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
                if (!key.isBlank() && !values.isEmpty()) filters.put(key, values.size() == 1 ? values.get(0) : values);
            });
        }
        if (params.get("collection") == null && groupBy.isEmpty()) groupBy.add("environment");
        String chart = first(params, "chart");
        return new Builder(collection, groupBy, columns, filters, more, chart == null || chart.isBlank() ? null : chart);
    }

    /** The builder form's choices, the saved reports, the page's title. */
    private void page(Model model, Builder b, SavedReports.Report saved, Caller caller) {
        KindView view = pages.view(b.collection());
        Kind kind = view.kind();
        model.addAttribute("b", b);
        model.addAttribute("view", view);
        model.addAttribute("saved", saved);
        model.addAttribute("title", saved == null ? "Reports" : saved.name());
        List<Node.Opt> kindsOpts = new ArrayList<>();
        for (KindView v : views.inventory()) kindsOpts.add(new Node.Opt(v.collection(), v.plural(), v.collection().equals(b.collection()), null));
        model.addAttribute("kinds", kindsOpts);
        // each once (the provenance fields are columns and named again by the summary); ids and instants of the sources
        // make one group per record, so the selects leave them out
        List<String> fields = new ArrayList<>(new java.util.LinkedHashSet<>(summaries.groupable(kind)));
        List<String> groupable = fields.stream().filter(g -> !UNGROUPED.contains(g)).toList();
        List<Choice> groups = new ArrayList<>();
        for (int i = 0; i < SummaryService.MAX_GROUPS; i++) {
            String chosen = i < b.groupBy().size() ? b.groupBy().get(i) : null;
            List<Node.Opt> opts = new ArrayList<>();
            for (String g : groupable) opts.add(new Node.Opt(g, label(kind.collection(), g), g.equals(chosen), null));
            if (chosen != null && !groupable.contains(chosen)) opts.add(new Node.Opt(chosen, chosen, true, null));
            groups.add(new Choice("rb-group-" + i, "group_by", i == 0 ? "Group by" : i == 1 ? "Then by" : "And by", opts));
        }
        model.addAttribute("groups", groups);
        List<Node.Opt> columns = new ArrayList<>();
        columns.add(new Node.Opt("name", "Name", b.columns().contains("name"), null));
        for (String g : fields) {
            if (g.equals("name")) continue;
            columns.add(new Node.Opt(g, label(kind.collection(), g), b.columns().contains(g), null));
        }
        model.addAttribute("columnOpts", columns);
        List<Choice> filterChoices = filterChoices(view, b, caller);
        model.addAttribute("filterChoices", filterChoices);
        model.addAttribute("q", b.filters().get("q") instanceof String s ? s : "");
        // filters the selects do not show go into "More filters", so nothing chosen is lost
        if (b.more().isBlank()) {
            UriComponentsBuilder rest = UriComponentsBuilder.newInstance();
            Set<String> shown = new java.util.HashSet<>(List.of("q"));
            filterChoices.forEach(c -> shown.add(c.param()));
            b.filters().forEach((k, v) -> {
                if (shown.contains(k)) return;
                if (v instanceof List<?> l) l.forEach(x -> rest.queryParam(k, x));
                else rest.queryParam(k, v);
            });
            String q = rest.build().encode().getQuery();
            model.addAttribute("more", q == null ? "" : java.net.URLDecoder.decode(q, StandardCharsets.UTF_8));
        } else {
            model.addAttribute("more", b.more());
        }
        List<Saved> list = new ArrayList<>();
        List<SavedReports.Report> all = reports.list(caller);
        Map<UUID, String> teams = directory.teamNames(all.stream().map(SavedReports.Report::teamId).distinct().toList());
        for (SavedReports.Report r : all) {
            String what = r.groupBy().isEmpty() ? "list of " + String.join(", ", r.columns())
                    : "by " + String.join(", ", r.groupBy().stream().map(g -> label(r.collection(), g)).toList());
            list.add(new Saved(r.name(), "/reports/" + r.id(), views.find(r.collection()).map(KindView::plural).orElse(r.collection()), what,
                    teams.getOrDefault(r.teamId(), "")));
        }
        model.addAttribute("savedReports", list);
        Map<UUID, String> writable = directory.teamsFor(caller);
        model.addAttribute("teams", writable.size() > 1 ? writable : Map.of());
        model.addAttribute("query", b.query());
    }

    /** Selects for the kind's option filters (environment, OS …) and its team: the list page's own filters. */
    private List<Choice> filterChoices(KindView view, Builder b, Caller caller) {
        List<Choice> out = new ArrayList<>();
        for (String param : view.filters()) {
            String selected = b.filters().get(param) instanceof String s ? s : null;
            List<Node.Opt> opts = new ArrayList<>();
            if (param.equals("team_id")) {
                Map<UUID, String> teams = directory.teamsFor(caller);
                if (teams.size() < 2 && selected == null) continue;
                teams.forEach((id, name) -> opts.add(new Node.Opt(id.toString(), name, id.toString().equals(selected), null)));
                out.add(new Choice("rb-f-team_id", param, "Team", opts));
                continue;
            }
            Field f = RecordPages.field(view.kind(), param);
            if (f == null || f.type != Field.Type.OPTION) continue;
            for (Option o : pages.optionsOf(f.optionList())) opts.add(new Node.Opt(o.value(), o.label(), o.value().equalsIgnoreCase(String.valueOf(selected)), null));
            out.add(new Choice("rb-f-" + param.replace('.', '-'), param, Labels.field(view.collection(), param), opts));
        }
        return out;
    }

    /** Runs the report being built: a chart and its table for a summary, a table of records for a list; false when refused. */
    private boolean answer(Model model, Builder b, Caller caller) {
        Kind kind = b.kind(pages);
        try {
            if (!b.groupBy().isEmpty()) {
                Map<String, String[]> params = new LinkedHashMap<>(b.draft().parameters());
                params.put("group_by", new String[]{String.join(",", b.groupBy())});
                SummaryService.Summary s = summaries.summarize(kind, params, caller);
                String title = pages.view(b.collection()).plural() + " by "
                        + String.join(" and ", b.groupBy().stream().map(g -> lower(label(kind.collection(), g))).toList());
                Charts.Chart chart = charts.chart("report-chart", title, kind, s, b.chart(), listHref(b), caller);
                model.addAttribute("chart", chart);
                model.addAttribute("chartTitle", title);
                List<String> headers = new ArrayList<>(b.groupBy().stream().map(g -> label(kind.collection(), g)).toList());
                headers.add("Count");
                List<List<String>> rows = new ArrayList<>();
                List<Map<String, String>> labels = charts.labels(kind, b.groupBy(), s.groups(), caller);
                for (int i = 0; i < s.groups().size(); i++) {
                    List<String> row = new ArrayList<>(labels.get(i).values());
                    row.add(String.valueOf(s.groups().get(i).get("count")));
                    rows.add(row);
                }
                model.addAttribute("table", new Table(headers, rows, s.total(), false));
            } else {
                for (String c : b.columns()) {
                    if (!reports.column(kind, c)) throw ProblemException.badField("columns", "unknown column '" + c + "' of " + kind.collection());
                }
                ReportRunner.Result r = runner.run(b.draft(), caller, PAGE_ROWS);
                List<String> headers = r.columns().stream().map(c -> Labels.field(kind.collection(), c)).toList();
                List<List<String>> rows = new ArrayList<>();
                for (Map<String, Object> row : r.rows()) rows.add(r.columns().stream().map(c -> ReportRunner.cell(row.get(c))).toList());
                model.addAttribute("table", new Table(headers, rows, r.total(), r.rows().size() < r.total()));
            }
        } catch (ProblemException e) {
            if (e.status() != 400) throw e;
            model.addAttribute("problem", e.getMessage());
            model.addAttribute("problems", e.errors());
            return false;
        }
        return true;
    }

    /** The list page with the report's filters, to which a chart's slice adds its value. */
    private static String listHref(Builder b) {
        UriComponentsBuilder u = UriComponentsBuilder.fromPath("/" + b.collection());
        b.filters().forEach((k, v) -> {
            if (v instanceof List<?> l) l.forEach(x -> u.queryParam(k, x));
            else u.queryParam(k, v);
        });
        return u.build().encode().toUriString();
    }

    /** A report's answer as CSV, as the API's {@code /reports/{id}/result?format=csv} gives it. */
    private void csv(HttpServletResponse response, SavedReports.Report report, String filename) throws IOException {
        // run first: a bad report answers with its problem, not half a file
        ReportRunner.Result result = runner.run(report, callers.current());
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/csv");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        CSVPrinter printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)), CSVFormat.RFC4180);
        printer.printRecord(result.columns());
        for (Map<String, Object> row : result.rows()) printer.printRecord(result.columns().stream().map(c -> ReportRunner.cell(row.get(c))).toList());
        printer.flush();
    }

    /** A group field's label; provenance fields say what they are about. */
    static String label(String collection, String field) {
        return switch (field) {
            case "source.type" -> "Source";
            case "source.name" -> "Source name";
            case "stale" -> "Stale";
            case "drift" -> "Drift";
            default -> Labels.field(collection, field);
        };
    }

    /** "Environment" → "environment", acronyms ("OS", "CPU (cores)") as they are. */
    static String lower(String label) {
        return label.length() > 1 && Character.isUpperCase(label.charAt(1)) ? label : Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }

    private static String slug(String name) {
        String s = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "report" : s;
    }

    private static String first(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    // ---- pivot

    /** One entry of the pivot tree: a client, system, application or server with the servers beneath it. */
    public record PivotNode(String level, String name, String href, long count, String env, String envClass, List<PivotNode> children, long hidden) {
    }

    @GetMapping("/reports/pivot")
    public String pivot(@RequestParam(value = "client_id", required = false) String clientId,
                        @RequestParam(value = "system_id", required = false) String systemId,
                        @RequestParam(value = "environment", required = false) String environment, Model model,
                        HttpServletResponse response) {
        Caller caller = callers.current();
        model.addAttribute("clients", options("clients", clientId, caller));
        model.addAttribute("systems", options("systems", systemId, caller));
        List<Node.Opt> envs = new ArrayList<>();
        pages.optionsOf("environment").forEach(o -> envs.add(new Node.Opt(o.value(), o.label(), o.value().equalsIgnoreCase(String.valueOf(environment)), null)));
        model.addAttribute("envs", envs);
        UriComponentsBuilder q = UriComponentsBuilder.newInstance();
        if (clientId != null && !clientId.isBlank()) q.queryParam("client_id", clientId.strip());
        if (systemId != null && !systemId.isBlank()) q.queryParam("system_id", systemId.strip());
        if (environment != null && !environment.isBlank()) q.queryParam("environment", environment.strip());
        model.addAttribute("query", q.build().encode().toUriString());
        try {
            Map<String, Object> tree = pivots.tree(pivots.filters(clientId, systemId, environment), caller);
            int[] budget = {PIVOT_NODES};
            model.addAttribute("tree", nodes(tree.get("clients"), List.of("clients", "systems", "applications", "servers"), 0, budget));
            model.addAttribute("servers", tree.get("count"));
            model.addAttribute("cut", budget[0] < 0);
        } catch (ProblemException e) {
            if (e.status() != 400) throw e;
            response.setStatus(400);
            model.addAttribute("problem", e.getMessage());
            model.addAttribute("tree", List.of());
        }
        return "pivot";
    }

    @GetMapping("/reports/pivot.csv")
    public void pivotCsv(@RequestParam(value = "client_id", required = false) String clientId,
                         @RequestParam(value = "system_id", required = false) String systemId,
                         @RequestParam(value = "environment", required = false) String environment, HttpServletResponse response) throws IOException {
        Caller caller = callers.current();
        PivotService.Filters filters = pivots.filters(clientId, systemId, environment);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("text/csv");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pivot.csv\"");
        CSVPrinter printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)), CSVFormat.RFC4180);
        printer.printRecord("client", "system", "application", "server", "environment");
        IOException[] failed = {null};
        pivots.paths(filters, caller, p -> {
            try {
                printer.printRecord(p.clientId() == null ? PivotService.NONE : p.client(), p.systemId() == null ? PivotService.NONE : p.system(),
                        p.applicationId() == null ? PivotService.NONE : p.application(), p.serverId() == null ? PivotService.NONE : p.server(),
                        p.environment() == null ? "" : p.environment());
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) throw failed[0];
        printer.flush();
    }

    /** The pivot's JSON levels as tree entries, at most {@code budget} of them (the counts stay whole). */
    private List<PivotNode> nodes(Object level, List<String> levels, int depth, int[] budget) {
        List<PivotNode> out = new ArrayList<>();
        if (!(level instanceof List<?> items)) return out;
        String collection = levels.get(depth);
        String label = views.find(collection).map(KindView::label).orElse(collection);
        for (Object o : items) {
            if (!(o instanceof Map<?, ?> m)) continue;
            if (--budget[0] < 0) continue;
            Object id = m.get("id");
            List<PivotNode> children = depth + 1 < levels.size() ? nodes(m.get(levels.get(depth + 1)), levels, depth + 1, budget) : List.of();
            long childHidden = depth + 1 < levels.size() && m.get(levels.get(depth + 1)) instanceof List<?> l ? l.size() - children.size() : 0;
            Object env = m.get("environment");
            out.add(new PivotNode(label, String.valueOf(m.get("name")), id == null ? null : "/" + collection + "/" + id,
                    ((Number) m.get("count")).longValue(), env == null ? null : pages.optionLabel("environment", env),
                    env == null ? null : Pages.envClass(env), children, childHidden));
        }
        return out;
    }

    private List<Node.Opt> options(String collection, String selected, Caller caller) {
        List<Node.Opt> out = new ArrayList<>();
        views.find(collection).ifPresent(v -> records.list(v.kind(), Map.of("size", new String[]{"500"}, "sort", new String[]{"name"}), caller).items()
                .forEach(m -> out.add(new Node.Opt(String.valueOf(m.get("id")), String.valueOf(m.get("name")),
                        String.valueOf(m.get("id")).equals(selected), null))));
        return out;
    }
}
