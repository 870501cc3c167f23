package io.maestro.web;

import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.options.Option;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sign-in page, dashboard, global search and the pickers' search, all through the record service. */
@Controller
public class HomePages {
    private static final int PICK_LIMIT = 20;

    private final Views views;
    private final Kinds kinds;
    private final RecordService records;
    private final CallerProvider callers;
    private final Pages pages;
    private final io.maestro.history.HistoryQueries history;
    private final Charts charts;

    public HomePages(Views views, Kinds kinds, RecordService records, CallerProvider callers, Pages pages,
                     io.maestro.history.HistoryQueries history, Charts charts) {
        this.charts = charts;
        this.history = history;
        this.views = views;
        this.kinds = kinds;
        this.records = records;
        this.callers = callers;
        this.pages = pages;
    }

    @org.springframework.beans.factory.annotation.Autowired
    private io.maestro.identity.SsoSettings sso;

    @GetMapping("/login")
    public String login(Model model) {
        model.addAttribute("sso", sso.enabled() ? sso.name() : null);
        model.addAttribute("localLogin", sso.localLogin());
        return "login";
    }

    // ---- dashboard

    public record Count(String label, String href, long count) {
    }

    public record EnvRow(String kind, String collection, List<Count> counts, long total) {
    }

    public record ProviderRow(String provider, long datacenters, long servers, String href) {
    }

    @GetMapping("/")
    public String dashboard(Model model) {
        Caller caller = callers.current();
        List<Count> kindCounts = new ArrayList<>();
        for (KindView v : views.all()) {
            kindCounts.add(new Count(v.plural(), "/" + v.collection(), total(v.kind(), Map.of(), caller)));
        }
        model.addAttribute("kindCounts", kindCounts);

        List<Option> envs = pages.optionsOf("environment");
        List<EnvRow> envRows = new ArrayList<>();
        for (KindView v : views.inventory()) {
            if (RecordPages.field(v.kind(), "environment") == null) continue;
            List<Count> counts = new ArrayList<>();
            long sum = 0;
            for (Option env : envs) {
                long n = total(v.kind(), Map.of("environment", new String[]{env.value()}), caller);
                sum += n;
                counts.add(new Count(env.label(), "/" + v.collection() + "?environment=" + env.value(), n));
            }
            envRows.add(new EnvRow(v.plural(), v.collection(), counts, sum));
        }
        model.addAttribute("envs", envs);
        Map<String, String> envClasses = new LinkedHashMap<>();
        envs.forEach(e -> envClasses.put(e.value(), Pages.envClass(e.value())));
        model.addAttribute("envClasses", envClasses);
        model.addAttribute("envRows", envRows);
        model.addAttribute("providers", providers(caller));
        model.addAttribute("recent", recent(caller));
        model.addAttribute("duplicates", duplicates(caller));
        model.addAttribute("serverCharts", charts.servers(caller));
        model.addAttribute("serverChartHeads", List.of("Environment", "OS", "Datacenter"));
        return "dashboard";
    }

    /** Records sharing a hostname, IP or name with another of their team. */
    public record Duplicate(String kind, String field, String value, List<Hit> records) {
    }

    private List<Duplicate> duplicates(Caller caller) {
        List<Duplicate> out = new ArrayList<>();
        for (KindView v : views.all()) {
            if (v.kind().duplicateRules().isEmpty()) continue;
            for (RecordService.DuplicateGroup g : records.duplicateGroups(v.kind(), caller, 10)) {
                List<Hit> hits = new ArrayList<>();
                g.records().forEach((id, name) -> hits.add(new Hit(name, "/" + v.collection() + "/" + id, null, null, null)));
                out.add(new Duplicate(v.label(), Labels.field(v.collection(), g.field()), String.valueOf(g.value()), hits));
            }
        }
        return out;
    }

    public record Recent(String at, String iso, String actor, String action, String kind, String name, String href) {
    }

    /** The latest changes the caller may see, with the records' current names (deleted ones keep their id). */
    private List<Recent> recent(Caller caller) {
        Object items = history.feed(null, null, null, null, null, null, 12, caller).get("items");
        if (!(items instanceof List<?> list)) return List.of();
        Map<String, java.util.Set<java.util.UUID>> ids = new LinkedHashMap<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> e) ids.computeIfAbsent(String.valueOf(e.get("kind")), k -> new java.util.LinkedHashSet<>())
                    .add(java.util.UUID.fromString(String.valueOf(e.get("id"))));
        }
        Map<java.util.UUID, String> names = new LinkedHashMap<>();
        ids.forEach((c, set) -> kinds.find(c).ifPresent(k -> names.putAll(records.names(k, set, caller))));
        List<Recent> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> e)) continue;
            String c = String.valueOf(e.get("kind"));
            java.util.UUID id = java.util.UUID.fromString(String.valueOf(e.get("id")));
            String name = names.get(id);
            String label = kinds.find(c).map(Kind::label).orElse(c);
            out.add(new Recent(Pages.when(e.get("at")), String.valueOf(e.get("at")), String.valueOf(e.get("actor")),
                    String.valueOf(e.get("action")), label, name != null ? name : id + " (deleted)", name != null ? "/" + c + "/" + id : null));
        }
        return out;
    }

    /** Datacenters and servers per provider: servers count through their datacenter. */
    private List<ProviderRow> providers(Caller caller) {
        Kind datacenters = kinds.find("datacenters").orElse(null);
        Kind servers = kinds.find("servers").orElse(null);
        if (datacenters == null || servers == null) return List.of();
        Map<String, List<String>> byProvider = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map<String, Object> dc : records.list(datacenters, Map.of("size", new String[]{"1000"}), caller).items()) {
            String provider = dc.get("provider") == null ? "(none)" : dc.get("provider").toString();
            byProvider.computeIfAbsent(provider, k -> new ArrayList<>()).add(String.valueOf(dc.get("id")));
        }
        List<ProviderRow> out = new ArrayList<>();
        byProvider.forEach((provider, ids) -> out.add(new ProviderRow(provider, ids.size(),
                total(servers, Map.of("datacenter.id", ids.toArray(String[]::new)), caller),
                provider.equals("(none)") ? "/datacenters" : "/datacenters?provider=" + java.net.URLEncoder.encode(provider, java.nio.charset.StandardCharsets.UTF_8))));
        return out;
    }

    private long total(Kind kind, Map<String, String[]> filter, Caller caller) {
        Map<String, String[]> params = new LinkedHashMap<>(filter);
        params.put("size", new String[]{"1"});
        return records.list(kind, params, caller).total();
    }

    // ---- search

    public record Hit(String name, String href, String detail, String envClass, String env) {
    }

    public record Group(String label, String collection, long total, List<Hit> hits, String moreHref) {
    }

    @GetMapping("/search")
    public String search(@RequestParam(value = "q", required = false) String q, Model model) {
        Caller caller = callers.current();
        String query = q == null ? "" : q.strip();
        List<Group> groups = new ArrayList<>();
        if (!query.isEmpty() && query.length() <= 200) {
            for (KindView v : views.all()) {
                RecordService.Listing l = records.list(v.kind(), Map.of("q", new String[]{query}, "size", new String[]{"10"}), caller);
                if (l.total() == 0) continue;
                groups.add(new Group(v.plural(), v.collection(), l.total(), l.items().stream().map(m -> hit(v.kind(), m)).toList(),
                        "/" + v.collection() + "?q=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        model.addAttribute("q", query);
        model.addAttribute("groups", groups);
        model.addAttribute("tooLong", query.length() > 200);
        model.addAttribute("title", query.isEmpty() ? "Search" : "Search: " + query);
        return "search";
    }

    private Hit hit(Kind kind, Map<String, Object> m) {
        List<String> detail = new ArrayList<>();
        for (String path : List.of("hostname", "ipv4_private", "ipv4_public", "engine", "provider", "service", "language")) {
            Object v = Pages.at(m, path);
            if (v != null && !v.equals(m.get("name"))) detail.add(v.toString());
        }
        Object env = m.get("environment");
        return new Hit(String.valueOf(m.get("name")), "/" + kind.collection() + "/" + m.get("id"), String.join(" · ", detail),
                env == null ? null : Pages.envClass(env), env == null ? null : pages.optionLabel("environment", env));
    }

    // ---- picker search

    public record Pick(String id, String name, String kindLabel, String detail) {
    }

    /** Up to 20 records of the given kinds matching {@code q}: what a picker offers while typing. */
    @GetMapping("/pick")
    public String pick(@RequestParam("kinds") String kindsParam, @RequestParam(value = "q", required = false) String q, Model model) {
        Caller caller = callers.current();
        List<Pick> picks = new ArrayList<>();
        String query = q == null ? "" : q.strip();
        if (query.length() > 200) query = query.substring(0, 200);
        for (String c : kindsParam.split(",")) {
            Kind kind = kinds.find(c.strip()).orElse(null);
            if (kind == null || picks.size() >= PICK_LIMIT) continue;
            Map<String, String[]> params = new LinkedHashMap<>();
            params.put("size", new String[]{String.valueOf(PICK_LIMIT - picks.size())});
            if (!query.isEmpty()) params.put("q", new String[]{query});
            for (Map<String, Object> m : records.list(kind, params, caller).items()) {
                List<String> detail = new ArrayList<>();
                for (String path : List.of("hostname", "ipv4_private", "engine", "provider", "environment")) {
                    Object v = Pages.at(m, path);
                    if (v != null && !v.equals(m.get("name")) && fieldExists(kind, path)) detail.add(v.toString());
                }
                picks.add(new Pick(String.valueOf(m.get("id")), String.valueOf(m.get("name")), kind.label(), String.join(" · ", detail)));
            }
        }
        model.addAttribute("picks", picks);
        return "fragments :: picks";
    }

    /**
     * Values a record offers to inputs elsewhere (a datacenter's regions or zones, for a server's
     * placement), as datalist options; nothing when the record is not readable.
     */
    @GetMapping("/pick/suggest")
    public String suggest(@RequestParam("kind") String kindName, @RequestParam("id") String id, @RequestParam("list") String list,
                          Model model) {
        Caller caller = callers.current();
        List<String[]> values = new ArrayList<>();
        Kind kind = kinds.find(kindName).orElse(null);
        java.util.UUID uuid = null;
        try {
            uuid = java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            // no such record: no suggestions
        }
        if (kind != null && uuid != null && RecordPages.field(kind, list) != null) {
            try {
                if (records.get(kind, uuid, caller).get(list) instanceof List<?> items) {
                    for (Object o : items) {
                        if (o instanceof Map<?, ?> m) values.add(new String[]{String.valueOf(m.get("name")), m.get("region") == null ? "" : String.valueOf(m.get("region"))});
                        else if (o != null) values.add(new String[]{o.toString(), ""});
                    }
                }
            } catch (io.maestro.core.ProblemException e) {
                // not readable: no suggestions
            }
        }
        model.addAttribute("values", values);
        return "fragments :: suggestions";
    }

    private static boolean fieldExists(Kind kind, String path) {
        Field f = RecordPages.field(kind, path);
        return f != null;
    }
}
