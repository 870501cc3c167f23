package io.maestro.web;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * List, detail, form and delete pages of every kind, driven by the kinds' schemas and the
 * per-kind {@link KindView}. Every read and write goes through {@link RecordService} with the
 * signed-in caller: the same validation, access rules, warnings and errors as the API.
 */
@Controller
@org.springframework.web.bind.annotation.RequestMapping("/{collection:(?!css$|js$|img$)[a-z]+}")
public class RecordPages {
    private final Pages pages;
    private final Nodes nodes;
    private final RecordService records;
    private final CallerProvider callers;
    private final Kinds kinds;
    private final Directory directory;
    private final io.maestro.history.HistoryQueries history;
    private final Shares shares;
    private final io.maestro.core.access.AccessPolicy access;

    public RecordPages(Pages pages, Nodes nodes, RecordService records, CallerProvider callers, Kinds kinds, Directory directory,
                       io.maestro.history.HistoryQueries history, Shares shares, io.maestro.core.access.AccessPolicy access) {
        this.access = access;
        this.history = history;
        this.shares = shares;
        this.pages = pages;
        this.nodes = nodes;
        this.records = records;
        this.callers = callers;
        this.kinds = kinds;
        this.directory = directory;
    }

    private ListPageExtras listExtras;

    /** The list tools' part of the list page (column chooser, saved views); set apart from the constructor. */
    @org.springframework.beans.factory.annotation.Autowired
    void listExtras(ListPageExtras extras) {
        this.listExtras = extras;
    }

    // ---- list

    /** One cell of a list row: text, an optional link, an optional badge class. */
    public record Cell(String text, String href, String badge) {
    }

    public record ListRow(String id, List<Cell> cells) {
    }

    /** A filter select: its parameter, label, choices and the chosen value. */
    public record Filter(String param, String label, List<Node.Opt> options, String selected) {
    }

    /** A sortable column header: its link and the current direction (ascending, descending or none). */
    public record Header(String label, String href, String sort) {
    }

    @GetMapping
    public String list(@PathVariable("collection") String collection, HttpServletRequest request, Model model) {
        KindView base = pages.view(collection);
        KindView view = ColumnChoice.apply(base, request.getParameterValues(ColumnChoice.PARAM));
        Kind kind = view.kind();
        Caller caller = callers.current();
        Map<String, String[]> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            String[] kept = java.util.Arrays.stream(v).filter(s -> s != null && !s.isBlank()).toArray(String[]::new);
            if (kept.length > 0) params.put(k, kept);
        });
        model.addAttribute("view", view);
        model.addAttribute("q", first(params, "q"));
        RecordService.Listing listing = null;
        java.time.OffsetDateTime asOf = null;
        try {
            asOf = TimeTravel.instant(first(params, "as_of"));
            Map<String, String[]> query = new LinkedHashMap<>(params);
            query.remove(ColumnChoice.PARAM);
            TimeTravel.normalise(query);
            listing = records.list(kind, query, caller);
        } catch (ProblemException e) {
            model.addAttribute("listError", e.getMessage());
            model.addAttribute("listErrors", e.errors());
        }
        List<Map<String, Object>> items = listing == null ? List.of() : listing.items();
        model.addAttribute("rows", ListPageExtras.asOfLinks(rows(view, items, caller), asOf));
        model.addAttribute("headers", headers(view, params, request));
        model.addAttribute("filters", filters(view, params, caller));
        model.addAttribute("extraFilters", extraFilters(view, params, request));
        int page = listing == null ? 0 : listing.page();
        int size = listing == null ? 50 : listing.size();
        long to = (long) page * size + items.size();
        // the pages after the first skip the COUNT (total=false): they show "51–100", not "of N",
        // but the last page knows the total without one
        boolean counted = listing == null || listing.total() != null || (listing.next() == null && !items.isEmpty());
        long total = listing == null ? 0 : listing.total() != null ? listing.total() : to;
        model.addAttribute("total", total);
        model.addAttribute("counted", counted);
        model.addAttribute("from", items.isEmpty() ? 0 : (long) page * size + 1);
        model.addAttribute("to", to);
        Map<String, String[]> counting = new LinkedHashMap<>(params);
        counting.remove("total");
        Map<String, String[]> uncounted = new LinkedHashMap<>(counting);
        uncounted.put("total", new String[]{"false"});
        model.addAttribute("prev", page > 0 ? link(request, page > 1 ? uncounted : counting, "page", String.valueOf(page - 1)) : null);
        model.addAttribute("next", listing != null && listing.next() != null ? link(request, uncounted, "page", String.valueOf(page + 1)) : null);
        model.addAttribute("sort", first(params, "sort"));
        model.addAttribute("size", first(params, "size"));
        model.addAttribute("canCreate", canWrite(kind, caller) && asOf == null);
        ListPageExtras.add(model, request, asOf, first(params, "as_of"), canWrite(kind, caller));
        listExtras.views(model, view, base, params, caller);
        return "list";
    }

    private List<ListRow> rows(KindView view, List<Map<String, Object>> items, Caller caller) {
        // names of the records and teams the columns show, one lookup per kind
        Map<String, Set<UUID>> refIds = new LinkedHashMap<>();
        Set<UUID> teams = new LinkedHashSet<>();
        for (Map<String, Object> item : items) {
            for (KindUi.Column c : view.columns()) {
                Object v = Pages.at(item, c.path());
                if (v == null) continue;
                if (c.cell() == KindUi.Cell.TEAM) teams.add(UUID.fromString(v.toString()));
                if (c.cell() == KindUi.Cell.REF) {
                    Field f = field(view.kind(), c.path());
                    if (f != null) refIds.computeIfAbsent(f.refKinds().get(0), k -> new LinkedHashSet<>()).add(UUID.fromString(v.toString()));
                }
            }
        }
        Map<UUID, String> names = new LinkedHashMap<>();
        refIds.forEach((c, ids) -> kinds.find(c).ifPresent(k -> names.putAll(records.names(k, ids, caller))));
        Map<UUID, String> teamNames = directory.teamNames(teams);
        List<ListRow> out = new ArrayList<>();
        for (Map<String, Object> item : items) {
            String id = String.valueOf(item.get("id"));
            String href = "/" + view.collection() + "/" + id;
            List<Cell> cells = new ArrayList<>();
            boolean firstCol = true;
            for (KindUi.Column c : view.columns()) {
                Object v = Pages.at(item, c.path());
                Cell cell = switch (c.cell()) {
                    case ENV -> new Cell(v == null ? null : pages.optionLabel("environment", v), null, v == null ? null : Pages.envClass(v));
                    case OPTION -> {
                        Field f = field(view.kind(), c.path());
                        yield new Cell(f != null && f.optionList() != null ? pages.optionLabel(f.optionList(), v) : Nodes.text(v), null, null);
                    }
                    case REF -> {
                        Field f = field(view.kind(), c.path());
                        String name = v == null ? null : names.get(UUID.fromString(v.toString()));
                        yield new Cell(v == null ? null : name != null ? name : v.toString(),
                                name != null && f != null ? "/" + f.refKinds().get(0) + "/" + v : null, null);
                    }
                    case TEAM -> new Cell(v == null ? null : teamNames.getOrDefault(UUID.fromString(v.toString()), v.toString()), null, null);
                    case LIST -> new Cell(v instanceof List<?> l ? String.join(", ", l.stream().map(Nodes::text).toList()) : Nodes.text(v), null, null);
                    case COUNT -> new Cell(Nodes.text(v), v == null ? null : countHref(view.kind(), c.path(), id), null);
                    default -> new Cell(shorten(Nodes.text(v)), null, null);
                };
                if (firstCol) {
                    cell = new Cell(cell.text() == null || cell.text().isBlank() ? "(no name)" : cell.text(), href, null);
                    firstCol = false;
                }
                cells.add(cell);
            }
            out.add(new ListRow(id, cells));
        }
        return out;
    }

    private List<Header> headers(KindView view, Map<String, String[]> params, HttpServletRequest request) {
        String sort = first(params, "sort");
        List<Header> out = new ArrayList<>();
        for (KindUi.Column c : view.columns()) {
            if (!c.sortable()) {
                out.add(new Header(c.label(), null, null));
                continue;
            }
            String dir = c.path().equals(sort) ? "ascending" : ("-" + c.path()).equals(sort) ? "descending" : null;
            String next = "ascending".equals(dir) ? "-" + c.path() : c.path();
            out.add(new Header(c.label(), link(request, params, "sort", next), dir));
        }
        return out;
    }

    private List<Filter> filters(KindView view, Map<String, String[]> params, Caller caller) {
        List<Filter> out = new ArrayList<>();
        for (String param : view.filters()) {
            String selected = first(params, param);
            List<Node.Opt> opts = new ArrayList<>();
            String label;
            if (param.equals("team_id")) {
                Map<UUID, String> teams = directory.teamsFor(caller);
                if (teams.size() < 2 && selected == null) continue;
                teams.forEach((id, name) -> opts.add(new Node.Opt(id.toString(), name, id.toString().equals(selected), null)));
                label = "Team";
            } else {
                Field f = field(view.kind(), param);
                if (f == null) continue;
                label = Labels.field(view.collection(), param);
                if (f.type == Field.Type.OPTION) {
                    Node n = new Node();
                    nodesSelect(n, f.optionList(), selected);
                    opts.addAll(n.options);
                } else if (f.type == Field.Type.REF && kinds.find(f.refKinds().get(0)).isPresent()) {
                    Kind target = kinds.get(f.refKinds().get(0));
                    RecordService.Listing l = records.list(target, Map.of("size", new String[]{"200"}), caller);
                    if (l.items().isEmpty() && selected == null) continue;
                    l.items().forEach(m -> opts.add(new Node.Opt(String.valueOf(m.get("id")), String.valueOf(m.get("name")),
                            String.valueOf(m.get("id")).equals(selected), null)));
                    if (selected != null && opts.stream().noneMatch(Node.Opt::selected)) opts.add(new Node.Opt(selected, selected, true, null));
                } else {
                    continue;
                }
            }
            out.add(new Filter(param, label, opts, selected));
        }
        return out;
    }

    private void nodesSelect(Node n, String list, String selected) {
        List<Node.Opt> opts = new ArrayList<>();
        pages.optionsOf(list).forEach(o -> opts.add(new Node.Opt(o.value(), o.label(), o.value().equalsIgnoreCase(String.valueOf(selected)), null)));
        n.options = opts;
    }

    /** Filters in the URL that the filter bar has no select for (system_ids=..., tag=...): shown with a remove link. */
    private List<Cell> extraFilters(KindView view, Map<String, String[]> params, HttpServletRequest request) {
        List<Cell> out = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>(view.filters());
        shown.addAll(List.of("q", "sort", "page", "size", "as_of", ColumnChoice.PARAM));
        params.forEach((k, v) -> {
            if (shown.contains(k)) return;
            for (String value : v) out.add(new Cell(Labels.field(view.collection(), k) + ": " + describe(k, value), link(request, params, k, null), null));
        });
        return out;
    }

    /** A filter value as people read it: the name of a record for an id, else the value. */
    private String describe(String param, String value) {
        try {
            UUID id = UUID.fromString(value);
            Caller caller = callers.current();
            for (Kind k : kinds.all()) {
                String name = records.names(k, List.of(id), caller).get(id);
                if (name != null) return name;
            }
        } catch (IllegalArgumentException e) {
            // not an id
        }
        return value;
    }

    // ---- detail

    /** A duplicate warning: what is the same, and links to the records that share it. */
    public record Warning(String message, List<Node.Ref> conflicts) {
    }

    /** Records that link to this one, from one collection, with how they link. */
    public record Related(String collection, String label, List<Node.Ref> records, String listHref) {
    }

    @GetMapping("/{id}")
    public String detail(@PathVariable("collection") String collection, @PathVariable("id") String id,
                         @RequestParam(value = "as_of", required = false) String asOf, Model model) {
        KindView view = pages.view(collection);
        java.time.OffsetDateTime at = TimeTravel.instant(asOf);
        if (at != null) model.addAttribute("asOf", TimeTravel.shown(at));
        return detail(model, view, view.kind().id(id), callers.current(), null, at);
    }

    private String detail(Model model, KindView view, UUID uuid, Caller caller, SimpleForm shareForm) {
        return detail(model, view, uuid, caller, shareForm, null);
    }

    /**
     * The detail page; {@code shareForm} is the Access tab's form as it was sent, when it was refused;
     * {@code asOf}: the record as it stood then, read-only (no buttons that change it).
     */
    private String detail(Model model, KindView view, UUID uuid, Caller caller, SimpleForm shareForm, java.time.OffsetDateTime asOf) {
        Kind kind = view.kind();
        Map<String, Object> doc = asOf == null ? records.get(kind, uuid, caller) : records.getAsOf(kind, uuid, asOf, caller);
        Nodes.Built built = nodes.build(view, doc, null, caller);
        RecordService.Rights current = asOf == null ? rights(kind, doc, caller) : currentRights(kind, uuid, caller);
        RecordService.Rights rights = asOf == null ? current : new RecordService.Rights(false, false);
        model.addAttribute("mayRestore", current.change());
        model.addAttribute("view", view);
        model.addAttribute("doc", doc);
        model.addAttribute("built", built);
        header(model, kind, doc);
        model.addAttribute("warnings", warnings(kind, doc, caller));
        model.addAttribute("related", related(kind, doc));
        model.addAttribute("rights", rights);
        model.addAttribute("access", asOf == null ? shares.tab(kind, uuid, caller, rights.administer(), shareForm) : null);
        model.addAttribute("history", history(kind, uuid, caller));
        return "detail";
    }

    /** One share added, changed ({@code level}) or removed ({@code op=remove}) on the Access tab. */
    @PostMapping("/{id}/access")
    public String share(@PathVariable("collection") String collection, @PathVariable("id") String id,
                        @RequestParam Map<String, String> params, Model model, RedirectAttributes redirect,
                        HttpServletResponse response) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        UUID uuid = view.kind().id(id);
        SimpleForm refused = shares.apply(view.kind(), uuid, params, caller);
        if (refused == null) {
            redirect.addFlashAttribute("flash", "Access saved.");
            return "redirect:/" + collection + "/" + uuid + "#p-access";
        }
        response.setStatus(400);
        return detail(model, view, uuid, caller, refused);
    }

    /** One change of a record's history, as people read it: each field with its old and new value. */
    public record Change(String at, String iso, String actor, String action, List<String> changes, List<Diff> diffs, long version) {
    }

    /** One field of a change; {@code null} values are shown as a dash. */
    public record Diff(String field, String label, String oldValue, String newValue) {
    }

    /** The latest 50 changes of a record (the same reads as GET /{collection}/{id}/history). */
    private List<Change> history(Kind kind, UUID id, Caller caller) {
        List<Change> out = new ArrayList<>();
        Object items = history.ofRecord(kind, id, 0, 50, caller).get("items");
        if (!(items instanceof List<?> list)) return out;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> e)) continue;
            List<String> lines = new ArrayList<>();
            List<Diff> diffs = new ArrayList<>();
            if (e.get("changes") instanceof List<?> changes) {
                for (Object c : changes) {
                    if (!(c instanceof Map<?, ?> ch)) continue;
                    String before = shorten(Nodes.text(ch.get("old")) == null ? "—" : Nodes.text(ch.get("old")));
                    String after = shorten(Nodes.text(ch.get("new")) == null ? "—" : Nodes.text(ch.get("new")));
                    lines.add(ch.get("field") + ": " + before + " → " + after);
                    String field = String.valueOf(ch.get("field"));
                    diffs.add(new Diff(field, Labels.field(kind.collection(), field), before, after));
                }
            }
            out.add(new Change(Pages.when(e.get("at")), String.valueOf(e.get("at")), String.valueOf(e.get("actor")),
                    String.valueOf(e.get("action")), lines, diffs, e.get("version") instanceof Number n ? n.longValue() : 0));
        }
        return out;
    }

    private void header(Model model, Kind kind, Map<String, Object> doc) {
        model.addAttribute("title", doc.get("name") == null ? kind.label() : String.valueOf(doc.get("name")));
        Object env = doc.get("environment");
        model.addAttribute("env", env == null ? null : pages.optionLabel("environment", env));
        model.addAttribute("envClass", Pages.envClass(env));
        Object team = doc.get("team_id");
        if (team != null) {
            UUID t = UUID.fromString(team.toString());
            model.addAttribute("teamName", directory.teamNames(List.of(t)).getOrDefault(t, team.toString()));
        }
        model.addAttribute("updated", Pages.when(doc.get("updated_at")));
    }

    private List<Warning> warnings(Kind kind, Map<String, Object> doc, Caller caller) {
        List<Warning> out = new ArrayList<>();
        if (!(doc.get("warnings") instanceof List<?> list)) return out;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> w)) continue;
            List<UUID> ids = w.get("conflicts") instanceof List<?> c ? c.stream().map(x -> UUID.fromString(x.toString())).toList() : List.of();
            Map<UUID, String> names = records.names(kind, ids, caller);
            List<Node.Ref> refs = new ArrayList<>();
            for (UUID cid : ids) {
                Node.Ref r = new Node.Ref(cid.toString());
                r.collection = kind.collection();
                r.name = names.getOrDefault(cid, cid.toString());
                refs.add(r);
            }
            String field = Labels.field(kind.collection(), String.valueOf(w.get("field")));
            out.add(new Warning("Another " + kind.label().toLowerCase() + " in this team has the same " + field.toLowerCase()
                    + " (" + Pages.at(Map.of("d", doc), "d." + w.get("field")) + "):", refs));
        }
        return out;
    }

    private List<Related> related(Kind kind, Map<String, Object> doc) {
        List<Related> out = new ArrayList<>();
        for (Kind other : kinds.all()) {
            if (!(doc.get(other.collection()) instanceof List<?> list)) continue;
            List<Node.Ref> refs = new ArrayList<>();
            Set<String> via = new LinkedHashSet<>();
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m)) continue;
                Node.Ref r = new Node.Ref(String.valueOf(m.get("id")));
                r.collection = other.collection();
                r.name = String.valueOf(m.get("name"));
                if (m.get("via") instanceof List<?> v) {
                    List<String> labels = v.stream().map(x -> Labels.field(other.collection(), x.toString()).toLowerCase()).toList();
                    v.forEach(x -> via.add(x.toString()));
                    r.note = "as " + String.join(", ", labels);
                }
                refs.add(r);
            }
            String field = via.size() == 1 ? via.iterator().next() : refField(other, kind);
            String listHref = field == null ? null : "/" + other.collection() + "?" + field + "=" + doc.get("id");
            out.add(new Related(other.collection(), other.label() + "s", refs, refs.isEmpty() ? null : listHref));
        }
        for (Kind.Count c : kind.counts()) {
            String href = doc.get(c.name()) == null ? null : countHref(kind, c.name(), doc.get("id"));
            if (href != null) out.add(0, new Related(c.kind(), kinds.get(c.kind()).label() + "s", List.of(), href));
        }
        return out;
    }

    /** The list a count stands for: the counted kind filtered by its reference to this record (a datacenter's servers). */
    private String countHref(Kind kind, String count, Object id) {
        for (Kind.Count c : kind.counts()) {
            Kind counted = kinds.find(c.kind()).orElse(null);
            if (!c.name().equals(count) || counted == null) continue;
            return Field.columnFields(counted.fields()).stream().filter(e -> Field.column(e.getKey()).equals(c.column())).findFirst()
                    .map(e -> "/" + counted.collection() + "?" + e.getKey() + "=" + id).orElse(null);
        }
        return null;
    }

    /** The relation field of {@code other} that points at {@code kind}, when there is exactly one. */
    private static String refField(Kind other, Kind kind) {
        List<String> fields = other.fields().stream()
                .filter(f -> f.type == Field.Type.REFS && f.refKinds().contains(kind.collection())).map(f -> f.name).toList();
        return fields.size() == 1 ? fields.get(0) : null;
    }

    // ---- forms

    @GetMapping("/new")
    public String create(@PathVariable("collection") String collection, Model model) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        requireWrite(view.kind(), caller);
        form(model, view, new LinkedHashMap<>(), List.of(), null, caller, null);
        return "form";
    }

    @PostMapping("/new")
    public String create(@PathVariable("collection") String collection, HttpServletRequest request, Model model,
                         RedirectAttributes redirect, HttpServletResponse response) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        FormInput input = FormInput.of(request.getParameterMap());
        Map<String, Object> body = input.body(view.kind());
        try {
            RecordService.Written w = records.create(view.kind(), body, caller);
            redirect.addFlashAttribute("flash", view.label() + " created.");
            return "redirect:/" + collection + "/" + w.record().get("id");
        } catch (ProblemException e) {
            response.setStatus(e.status());
            form(model, view, body, errors(e, input), e, caller, null);
            return "form";
        }
    }

    @GetMapping("/{id}/edit")
    public String edit(@PathVariable("collection") String collection, @PathVariable("id") String id, Model model) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        requireWrite(view.kind(), caller);
        Map<String, Object> doc = records.get(view.kind(), view.kind().id(id), caller);
        if (!rights(view.kind(), doc, caller).change()) {
            throw ProblemException.forbidden("You may read but not change this " + view.label().toLowerCase());
        }
        form(model, view, doc, List.of(), null, caller, doc);
        return "form";
    }

    @PostMapping("/{id}/edit")
    public String update(@PathVariable("collection") String collection, @PathVariable("id") String id, HttpServletRequest request,
                         Model model, RedirectAttributes redirect, HttpServletResponse response) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        UUID uuid = view.kind().id(id);
        FormInput input = FormInput.of(request.getParameterMap());
        Map<String, Object> body = input.body(view.kind());
        try {
            records.replace(view.kind(), uuid, body, input.version(), caller);
            redirect.addFlashAttribute("flash", view.label() + " saved.");
            return "redirect:/" + collection + "/" + uuid;
        } catch (ProblemException e) {
            response.setStatus(e.status());
            Map<String, Object> doc = new LinkedHashMap<>(body);
            doc.put("id", uuid.toString());
            doc.put("version", input.version());
            form(model, view, doc, errors(e, input), e, caller, doc);
            return "form";
        }
    }

    /** The service's field errors, with the form's own wording where the browser's text could not become JSON. */
    private static List<FieldError> errors(ProblemException e, FormInput input) {
        List<FieldError> out = new ArrayList<>();
        for (FieldError fe : e.errors()) {
            String own = input.parseErrors.get(fe.field());
            out.add(own != null ? new FieldError(fe.field(), own) : fe);
        }
        return out;
    }

    private void form(Model model, KindView view, Map<String, Object> values, List<FieldError> errors, ProblemException problem,
                      Caller caller, Map<String, Object> existing) {
        Nodes.Built built = nodes.build(view, values, errors, caller);
        model.addAttribute("view", view);
        model.addAttribute("built", built);
        model.addAttribute("editing", existing != null);
        model.addAttribute("recordId", existing == null ? null : existing.get("id"));
        model.addAttribute("version", existing == null ? null : existing.get("version"));
        model.addAttribute("title", existing == null ? "New " + view.label().toLowerCase()
                : "Edit " + (existing.get("name") == null ? view.label().toLowerCase() : existing.get("name")));
        model.addAttribute("datalists", pages.catalogNames(built.catalogs, caller));
        if (FieldChecks.checks(view.kind())) {
            model.addAttribute("checkUrl", "/" + view.collection() + "/check" + (existing == null ? "" : "?_id=" + existing.get("id")));
            model.addAttribute("checkFields", FieldChecks.fields(view.kind()));
        }
        if (problem != null) {
            model.addAttribute("problem", problem.getMessage());
            model.addAttribute("problemStatus", problem.status());
            Object existingId = problem.extra().get("existing_id");
            if (existingId != null) model.addAttribute("existingHref", "/" + view.collection() + "/" + existingId);
        }
        // a team select only where there is a choice
        if (!view.kind().global()) {
            Map<UUID, String> teams = directory.teamsFor(caller);
            Object current = values.get("team_id") != null ? values.get("team_id") : caller.defaultTeamId();
            if (teams.size() > 1 || (current != null && teams.keySet().stream().noneMatch(t -> t.toString().equals(current)))) {
                Node team = new Node();
                team.widget = "select";
                team.name = "team_id";
                team.id = "f-team_id";
                team.label = "Team";
                List<Node.Opt> opts = new ArrayList<>();
                teams.forEach((id, name) -> opts.add(new Node.Opt(id.toString(), name, id.toString().equals(String.valueOf(current)), null)));
                team.options = opts;
                team.errors.addAll(errors.stream().filter(e -> e.field().equals("team_id")).map(FieldError::message).toList());
                model.addAttribute("teamNode", team);
            }
        }
    }

    // ---- delete

    @GetMapping("/{id}/delete")
    public String confirmDelete(@PathVariable("collection") String collection, @PathVariable("id") String id, Model model) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        Map<String, Object> doc = records.get(view.kind(), view.kind().id(id), caller);
        if (!rights(view.kind(), doc, caller).administer()) {
            throw ProblemException.forbidden("Only admins of the owning team may delete this " + view.label().toLowerCase());
        }
        deletePage(model, view, doc);
        return "delete";
    }

    @PostMapping("/{id}/delete")
    public String delete(@PathVariable("collection") String collection, @PathVariable("id") String id,
                         @RequestParam(value = "detach", defaultValue = "false") boolean detach,
                         Model model, RedirectAttributes redirect, HttpServletResponse response) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        UUID uuid = view.kind().id(id);
        Map<String, Object> doc = records.get(view.kind(), uuid, caller);
        try {
            records.delete(view.kind(), uuid, null, detach, caller);
        } catch (ProblemException e) {
            if (e.status() == 404) throw e;
            response.setStatus(e.status());
            deletePage(model, view, doc);
            model.addAttribute("problem", e.getMessage());
            model.addAttribute("canDetach", e.status() == 409 && e.extra().containsKey("usages"));
            return "delete";
        }
        redirect.addFlashAttribute("flash", view.label() + " '" + doc.get("name") + "' deleted.");
        return "redirect:/" + collection;
    }

    private void deletePage(Model model, KindView view, Map<String, Object> doc) {
        model.addAttribute("view", view);
        model.addAttribute("doc", doc);
        model.addAttribute("title", "Delete " + doc.get("name"));
        model.addAttribute("related", related(view.kind(), doc).stream().filter(r -> !r.records().isEmpty()).toList());
    }

    // ---- helpers

    /**
     * What the caller may do with the record as it now is (a historical view restores into it); a
     * record deleted since may be brought back by whoever may create in its kind.
     */
    private RecordService.Rights currentRights(Kind kind, UUID id, Caller caller) {
        try {
            return rights(kind, records.get(kind, id, caller), caller);
        } catch (ProblemException e) {
            if (e.status() != 404) throw e;
            return new RecordService.Rights(canWrite(kind, caller), false);
        }
    }

    /** What the caller may do with this record, by the record service's own rules: the buttons follow it. */
    private RecordService.Rights rights(Kind kind, Map<String, Object> doc, Caller caller) {
        Object team = doc.get("team_id");
        return records.rights(kind, UUID.fromString(String.valueOf(doc.get("id"))), team == null ? null : UUID.fromString(team.toString()), caller);
    }

    /** Catalogs (services, providers) are changed by global admins only; team records by their members. */
    private boolean canWrite(Kind kind, Caller caller) {
        return access.mayWriteKind(kind, caller);
    }

    /** A form nobody could save is not offered: catalogs to people who are not global admins, anything to read-only callers. */
    private void requireWrite(Kind kind, Caller caller) {
        if (!canWrite(kind, caller)) {
            throw ProblemException.forbidden(kind.global() ? "Only global admins change the " + kind.collection() + " catalog"
                    : "You may only read");
        }
    }

    static Field field(Kind kind, String path) {
        Iterable<Field> level = kind.fields();
        Field found = null;
        for (String part : path.split("\\.")) {
            found = null;
            for (Field f : level) if (f.name.equals(part)) found = f;
            if (found == null) return null;
            level = found.children().values();
        }
        return found;
    }

    static String first(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    /** The current list URL with one parameter replaced (null removes it); changing filters or sort goes back to page 0. */
    static String link(HttpServletRequest request, Map<String, String[]> params, String name, String value) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath(request.getRequestURI());
        params.forEach((k, v) -> {
            if (k.equals(name) || (k.equals("page") && !name.equals("page"))) return;
            for (String s : v) b.queryParam(k, s);
        });
        if (value != null) b.queryParam(name, value);
        return b.build().encode().toUriString(); // values taken literally: braces are text, not URI template variables
    }

    private static String shorten(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
