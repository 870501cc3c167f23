package io.maestro.web;

import io.maestro.core.Ids;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.sources.Connections;
import io.maestro.sources.Runs;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Settings › Connections (sources.md, UI): the caller's teams' discovery connections with their
 * last run, a form, Test and Run now, and a run page whose progress polls itself (htmx) until the
 * run ends. The sources services decide every right; these pages only show their answers.
 */
@Controller
@RequestMapping("/connections")
public class ConnectionPages {
    /** Statuses of a run that is not over yet: its page keeps polling. */
    static final Set<String> ACTIVE = Set.of("queued", "running");
    private static final List<String> RESOURCES = List.of("servers", "databases", "loadbalancers");

    private final Connections connections;
    private final Runs runs;
    private final RecordService records;
    private final Kinds kinds;
    private final Directory directory;
    private final CallerProvider callers;

    public ConnectionPages(Connections connections, Runs runs, RecordService records, Kinds kinds, Directory directory, CallerProvider callers) {
        this.connections = connections;
        this.runs = runs;
        this.records = records;
        this.kinds = kinds;
        this.directory = directory;
        this.callers = callers;
    }

    @GetMapping
    public String list(Model model) {
        Caller caller = callers.current();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> c : connections.list(caller)) {
            Map<String, Object> row = new LinkedHashMap<>(c);
            List<Map<String, Object>> history = runs.list(UUID.fromString((String) c.get("id")), caller);
            Map<String, Object> last = history.isEmpty() ? null : history.get(0);
            row.put("last_run", last);
            row.put("last_run_age", last == null ? null : age((String) (last.get("finished_at") != null ? last.get("finished_at") : last.get("created_at"))));
            rows.add(row);
        }
        model.addAttribute("connections", rows);
        model.addAttribute("section", "connections");
        return "connections";
    }

    @GetMapping("/new")
    public String newConnection(Model model) {
        Caller caller = callers.current();
        return page(model, form(Map.of(), caller, true), "New connection", "/connections/new", "Create connection");
    }

    @PostMapping("/new")
    public String create(@RequestParam Map<String, String> params, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        Caller caller = callers.current();
        try {
            Map<String, Object> c = connections.create(body(params), caller);
            redirect.addFlashAttribute("flash", "Connection created. Test it, then run it.");
            return "redirect:/connections/" + c.get("id");
        } catch (ProblemException e) {
            if (e.errors().isEmpty()) throw e;
            response.setStatus(e.status());
            SimpleForm f = form(params, caller, true);
            f.refused(e, ALIASES);
            return page(model, f, "New connection", "/connections/new", "Create connection");
        }
    }

    @GetMapping("/{id}")
    public String show(@PathVariable("id") String id, Model model) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "Connection");
        Map<String, Object> c = connections.doc(connections.readable(uuid, caller));
        model.addAttribute("connection", c);
        model.addAttribute("datacenter", datacenters(caller).getOrDefault((String) c.get("datacenter_id"), (String) c.get("datacenter_id")));
        model.addAttribute("teamName", directory.teamNames(List.of(UUID.fromString((String) c.get("team_id")))).get(UUID.fromString((String) c.get("team_id"))));
        model.addAttribute("runs", runs.list(uuid, caller));
        model.addAttribute("section", "connections");
        return "connection";
    }

    @GetMapping("/{id}/edit")
    public String edit(@PathVariable("id") String id, Model model) {
        Caller caller = callers.current();
        Map<String, Object> c = connections.doc(connections.readable(Ids.parse(id, "Connection"), caller));
        return page(model, form(params(c), caller, false), "Edit " + c.get("name"), "/connections/" + id + "/edit", "Save connection");
    }

    @PostMapping("/{id}/edit")
    public String update(@PathVariable("id") String id, @RequestParam Map<String, String> params, Model model, HttpServletResponse response,
                         RedirectAttributes redirect) {
        Caller caller = callers.current();
        try {
            connections.update(Ids.parse(id, "Connection"), body(params), false, caller);
            redirect.addFlashAttribute("flash", "Connection saved.");
            return "redirect:/connections/" + id;
        } catch (ProblemException e) {
            if (e.errors().isEmpty()) throw e;
            response.setStatus(e.status());
            SimpleForm f = form(params, caller, false);
            f.refused(e, ALIASES);
            return page(model, f, "Edit " + params.get("name"), "/connections/" + id + "/edit", "Save connection");
        }
    }

    @PostMapping("/{id}/test")
    public String test(@PathVariable("id") String id, RedirectAttributes redirect) {
        Map<String, Object> check = connections.test(Ids.parse(id, "Connection"), callers.current());
        redirect.addFlashAttribute(Boolean.TRUE.equals(check.get("ok")) ? "flash" : "failure",
                (Boolean.TRUE.equals(check.get("ok")) ? "Test passed: " : "Test failed: ") + check.get("detail"));
        return "redirect:/connections/" + id;
    }

    @PostMapping("/{id}/runs")
    public String run(@PathVariable("id") String id, RedirectAttributes redirect) {
        UUID uuid = Ids.parse(id, "Connection");
        try {
            Map<String, Object> run = runs.start(uuid, "manual", callers.current());
            return "redirect:/connections/" + id + "/runs/" + run.get("id");
        } catch (ProblemException e) {
            if (e.status() != 409) throw e;
            redirect.addFlashAttribute("failure", e.getMessage());
            Object running = e.extra().get("running_id");
            return running == null ? "redirect:/connections/" + id : "redirect:/connections/" + id + "/runs/" + running;
        }
    }

    @PostMapping("/{id}/delete")
    public String delete(@PathVariable("id") String id, RedirectAttributes redirect) {
        connections.delete(Ids.parse(id, "Connection"), callers.current());
        redirect.addFlashAttribute("flash", "Connection deleted. The records it discovered stay.");
        return "redirect:/connections";
    }

    @GetMapping("/{id}/runs/{run}")
    public String runPage(@PathVariable("id") String id, @PathVariable("run") String run, Model model) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "Connection");
        model.addAttribute("connection", connections.doc(connections.readable(uuid, caller)));
        model.addAttribute("run", runView(runs.get(uuid, Ids.parse(run, "Run"), caller)));
        model.addAttribute("section", "connections");
        return "connection-run";
    }

    /** The live part of the run page: htmx swaps it every second while the run is active. */
    @GetMapping("/{id}/runs/{run}/progress")
    public String progress(@PathVariable("id") String id, @PathVariable("run") String run, Model model) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "Connection");
        model.addAttribute("connection", connections.doc(connections.readable(uuid, caller)));
        model.addAttribute("run", runView(runs.get(uuid, Ids.parse(run, "Run"), caller)));
        return "connection-run :: progress";
    }

    @PostMapping("/{id}/runs/{run}/cancel")
    public String cancel(@PathVariable("id") String id, @PathVariable("run") String run, RedirectAttributes redirect) {
        runs.cancel(Ids.parse(id, "Connection"), Ids.parse(run, "Run"), callers.current());
        redirect.addFlashAttribute("flash", "Cancel requested: the run stops at its next page and marks nothing stale.");
        return "redirect:/connections/" + id + "/runs/" + run;
    }

    // ---- form

    /** Field names of the API body as the form names them. */
    private static final Map<String, String> ALIASES = Map.of("credentials.access_key_id", "access_key_id",
            "credentials.secret_access_key", "secret_access_key", "credentials", "access_key_id", "regions[0]", "regions",
            "resources[0]", "resources_servers", "resources", "resources_servers");

    private SimpleForm form(Map<String, String> params, Caller caller, boolean creating) {
        SimpleForm f = new SimpleForm("");
        f.text("name", "Name", params.get("name")).required = true;
        Map<String, String> teams = new LinkedHashMap<>();
        directory.teamsFor(caller).forEach((id, name) -> teams.put(id.toString(), name));
        f.select("team_id", "Team", teams, params.get("team_id")).hint = "The team that owns the connection and every record it discovers.";
        Map<String, String> dcs = new LinkedHashMap<>();
        dcs.put("", "Choose a datacenter");
        dcs.putAll(datacenters(caller));
        Node dc = f.select("datacenter_id", "Datacenter", dcs, params.getOrDefault("datacenter_id", ""));
        dc.required = true;
        dc.hint = "Discovered records belong to this datacenter; its region and zone come from AWS.";
        f.select("provider", "Provider", Map.of("aws", "Amazon Web Services"), params.getOrDefault("provider", "aws"));
        Node regions = f.text("regions", "Regions", params.get("regions"));
        regions.required = true;
        regions.hint = "Comma-separated, e.g. us-east-1, eu-west-1.";
        for (String r : RESOURCES) {
            f.checkbox("resources_" + r, "Discover " + r, params.isEmpty() ? "servers".equals(r) : params.containsKey("resources_" + r));
        }
        f.text("access_key_id", "Access key id", params.get("access_key_id")).required = true;
        Node secret = f.password("secret_access_key", "Secret access key");
        secret.required = creating;
        secret.hint = creating ? "Stored encrypted, never shown again." : "Leave empty to keep the stored secret.";
        Node endpoint = f.text("endpoint_url", "Endpoint URL", params.get("endpoint_url"));
        endpoint.hint = "Empty for the real AWS; an AWS-compatible endpoint only where the operator allowed it.";
        Node schedule = f.text("schedule", "Schedule", params.get("schedule"));
        schedule.hint = "How often it runs, e.g. PT15M or P1D (at least PT1M). Empty: only when run by hand.";
        Node stale = f.text("stale_after", "Stale after", params.getOrDefault("stale_after", creating ? "P3D" : null));
        stale.hint = "How long a record may go unseen by complete runs before it is marked stale, e.g. P3D.";
        f.checkbox("enabled", "Enabled", params.isEmpty() || params.containsKey("enabled"));
        return f;
    }

    private static String page(Model model, SimpleForm f, String title, String action, String submit) {
        model.addAttribute("section", "connections");
        return f.page(model, title, "/connections", "Connections", action, submit);
    }

    /** The API body from the form: a secret left empty is {@code ""}, which keeps the stored one. */
    private static Map<String, Object> body(Map<String, String> params) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", SimpleForm.input(params, "name"));
        body.put("provider", SimpleForm.input(params, "provider"));
        if (SimpleForm.input(params, "team_id") != null) body.put("team_id", SimpleForm.input(params, "team_id"));
        body.put("datacenter_id", SimpleForm.input(params, "datacenter_id"));
        String regions = SimpleForm.input(params, "regions");
        body.put("regions", regions == null ? null : Arrays.stream(regions.split("[,\\s]+")).filter(s -> !s.isBlank()).toList());
        body.put("resources", RESOURCES.stream().filter(r -> params.containsKey("resources_" + r)).toList());
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("access_key_id", SimpleForm.input(params, "access_key_id"));
        String secret = params.get("secret_access_key");
        credentials.put("secret_access_key", secret == null ? "" : secret);
        body.put("credentials", credentials);
        body.put("endpoint_url", SimpleForm.input(params, "endpoint_url"));
        body.put("schedule", SimpleForm.input(params, "schedule"));
        if (SimpleForm.input(params, "stale_after") != null) body.put("stale_after", SimpleForm.input(params, "stale_after"));
        body.put("enabled", params.containsKey("enabled"));
        return body;
    }

    /** A stored connection as the form's inputs. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> params(Map<String, Object> c) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", (String) c.get("name"));
        p.put("team_id", (String) c.get("team_id"));
        p.put("datacenter_id", (String) c.get("datacenter_id"));
        p.put("provider", (String) c.get("provider"));
        p.put("regions", String.join(", ", (List<String>) c.get("regions")));
        for (String r : (List<String>) c.get("resources")) p.put("resources_" + r, "on");
        p.put("access_key_id", (String) ((Map<String, Object>) c.get("credentials")).get("access_key_id"));
        if (c.get("endpoint_url") != null) p.put("endpoint_url", (String) c.get("endpoint_url"));
        if (c.get("schedule") != null) p.put("schedule", (String) c.get("schedule"));
        p.put("stale_after", (String) c.get("stale_after"));
        if (Boolean.TRUE.equals(c.get("enabled"))) p.put("enabled", "on");
        return p;
    }

    private Map<String, String> datacenters(Caller caller) {
        return datacenters(records, kinds, caller);
    }

    /** Datacenters the caller may read, id → name (the pickers of connections and imports). */
    static Map<String, String> datacenters(RecordService records, Kinds kinds, Caller caller) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> d : records.list(kinds.get("datacenters"), Map.of("size", new String[] {"1000"}, "sort", new String[] {"name"}), caller).items()) {
            out.put((String) d.get("id"), (String) d.get("name"));
        }
        return out;
    }

    /** How far a run or import is, 0-100: done when it is over. */
    static long percent(boolean active, long done, long total) {
        return !active ? 100 : total <= 0 ? 0 : Math.min(100, done * 100 / total);
    }

    /** A run with what its page shows: the share done (0-100) and whether it is still going. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runView(Map<String, Object> run) {
        Map<String, Object> view = new LinkedHashMap<>(run);
        Map<String, Object> progress = run.get("progress") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        long done = progress.get("done") instanceof Number n ? n.longValue() : 0;
        long total = progress.get("total") instanceof Number n ? n.longValue() : 0;
        boolean active = ACTIVE.contains(run.get("status"));
        view.put("active", active);
        view.put("percent", percent(active, done, total));
        view.put("done", done);
        view.put("total", total);
        view.put("phase", progress.get("phase"));
        return view;
    }

    /** "3 min ago" from an ISO-8601 instant. */
    static String age(String instant) {
        if (instant == null) return null;
        Duration d = Duration.between(OffsetDateTime.parse(instant), OffsetDateTime.now());
        if (d.toMinutes() < 1) return "just now";
        if (d.toHours() < 1) return d.toMinutes() + " min ago";
        if (d.toDays() < 1) return d.toHours() + " h ago";
        return d.toDays() + " d ago";
    }
}
