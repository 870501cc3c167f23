package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.views.SavedView;
import io.maestro.views.SavedViews;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Saved views: the page listing them (from the navigation), saving the current list as one,
 * replacing a view's filters and columns with the current list's, editing one (name, who sees
 * it, filters and sort, columns) and deleting one. Every change goes through {@link SavedViews}.
 */
@Controller
@RequestMapping("/views")
public class ViewPages {
    private final SavedViews views;
    private final CallerProvider callers;
    private final Pages pages;
    private final io.maestro.core.record.RecordService records;
    private final Directory directory;

    public ViewPages(SavedViews views, CallerProvider callers, Pages pages, io.maestro.core.record.RecordService records, Directory directory) {
        this.views = views;
        this.callers = callers;
        this.pages = pages;
        this.records = records;
        this.directory = directory;
    }

    /** A saved view as a link to its list, with who sees it and whether the caller may change and delete it. */
    public record Link(String id, String name, String href, String sharing, boolean changeable, String collection) {
    }

    static Link link(SavedView v, Caller caller) {
        StringBuilder q = new StringBuilder(v.query());
        if (v.columns() != null) {
            for (String c : v.columns().split(",")) {
                if (!q.isEmpty()) q.append('&');
                q.append(ColumnChoice.PARAM).append('=').append(URLEncoder.encode(c, StandardCharsets.UTF_8));
            }
        }
        String sharing = v.teamId() == null ? "only you" : "team " + v.team() + (v.ownerId().equals(caller.userId()) ? "" : ", by " + v.owner());
        return new Link(v.id().toString(), v.name(), "/" + v.collection() + (q.isEmpty() ? "" : "?" + q), sharing,
                SavedViews.mayChange(v, caller), v.collection());
    }

    /** The views of one kind, under its name. */
    public record Group(String label, String listHref, List<Link> views) {
    }

    @GetMapping
    public String list(Model model) {
        Caller caller = callers.current();
        Map<String, List<Link>> byKind = new LinkedHashMap<>();
        for (SavedView v : views.visible(null, caller)) byKind.computeIfAbsent(v.collection(), c -> new ArrayList<>()).add(link(v, caller));
        List<Group> groups = new ArrayList<>();
        byKind.forEach((c, links) -> groups.add(new Group(pages.view(c).plural(), "/" + c, links)));
        model.addAttribute("groups", groups);
        return "views";
    }

    @PostMapping
    public String save(@RequestParam Map<String, String> params, RedirectAttributes redirect, Model model, HttpServletResponse response) {
        Caller caller = callers.current();
        KindView view = pages.view(String.valueOf(params.get("collection")));
        String team = params.get("team_id");
        UUID teamId = null;
        try {
            teamId = team == null || team.isBlank() ? null : UUID.fromString(team.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("team_id", "is not a team");
        }
        String query = ListPageExtras.filterQuery(parse(params.get("query")));
        try {
            SavedView v = views.create(view.collection(), params.get("name"), query, params.get("columns"), teamId, caller);
            redirect.addFlashAttribute("flash", "View '" + v.name() + "' saved" + (v.shared() ? " for team " + v.team() : "") + ".");
            return "redirect:" + link(v, caller).href();
        } catch (ProblemException e) {
            String back = "/" + view.collection() + (params.get("query") == null || params.get("query").isBlank() ? "" : "?" + params.get("query"));
            redirect.addFlashAttribute("viewError", e.errors().isEmpty() ? e.getMessage()
                    : "View not saved: " + e.errors().get(0).field() + " " + e.errors().get(0).message());
            return "redirect:" + back;
        }
    }

    /** The list's Views panel: the view keeps its name and who sees it, and takes the list's filters, sort and columns. */
    @PostMapping("/{id}/update")
    public String updateFromList(@PathVariable("id") String id, @RequestParam Map<String, String> params, RedirectAttributes redirect) {
        Caller caller = callers.current();
        SavedView v = views.get(io.maestro.core.Ids.parse(id, "Saved view"), caller);
        String query = ListPageExtras.filterQuery(parse(params.get("query")));
        SavedView updated = views.update(v.id(), v.name(), query, params.get("columns"), v.teamId(), caller);
        redirect.addFlashAttribute("flash", "View '" + updated.name() + "' now shows this list's filters, sort and columns.");
        return "redirect:" + link(updated, caller).href();
    }

    @GetMapping("/{id}/edit")
    public String edit(@PathVariable("id") String id, Model model) {
        Caller caller = callers.current();
        SavedView v = views.get(io.maestro.core.Ids.parse(id, "Saved view"), caller);
        if (!SavedViews.mayChange(v, caller)) throw ProblemException.forbidden("Only its owner or an admin of its team changes a shared view");
        String[] cols = v.columns() == null ? null : v.columns().split(",");
        return editPage(model, v, editForm(v, v.name(), v.teamId() == null ? "" : v.teamId().toString(), v.query(), caller), cols);
    }

    /** Name, who sees it, the filters and sort as a query string (checked by listing with them) and the columns. */
    @PostMapping("/{id}/edit")
    public String edit(@PathVariable("id") String id, jakarta.servlet.http.HttpServletRequest request, Model model,
                       RedirectAttributes redirect, HttpServletResponse response) {
        Caller caller = callers.current();
        SavedView v = views.get(io.maestro.core.Ids.parse(id, "Saved view"), caller);
        KindView base = pages.view(v.collection());
        String name = request.getParameter("name");
        String queryText = request.getParameter("query") == null ? "" : request.getParameter("query").strip();
        String[] cols = request.getParameterValues(ColumnChoice.PARAM);
        // only the owner is offered the choice; for others it stays as it is
        String team = v.ownerId().equals(caller.userId()) ? request.getParameter("team_id") : (v.teamId() == null ? "" : v.teamId().toString());
        SimpleForm f = editForm(v, name, team, queryText, caller);
        UUID teamId = null;
        try {
            teamId = team == null || team.isBlank() ? null : UUID.fromString(team.strip());
        } catch (IllegalArgumentException e) {
            f.error("team_id", "is not a team");
        }
        Map<String, String[]> filters = parse(queryText.startsWith("?") ? queryText.substring(1) : queryText);
        String query = ListPageExtras.filterQuery(filters);
        if (!f.failed()) {
            try {
                SavedView updated = views.update(v.id(), name, query, columns(base, cols), teamId, caller, q -> refusedFilters(base, filters, caller));
                redirect.addFlashAttribute("flash", "View '" + updated.name() + "' saved.");
                return "redirect:/views";
            } catch (ProblemException e) {
                if (e.errors().isEmpty()) throw e;
                f.refused(e);
            }
        }
        response.setStatus(400);
        return editPage(model, v, f, cols == null ? new String[0] : cols);
    }

    /** What the list says of these filters: nothing, or one error at "query" (listing with them once, a single row). */
    private List<io.maestro.core.FieldError> refusedFilters(KindView base, Map<String, String[]> filters, Caller caller) {
        try {
            Map<String, String[]> probe = ListTools.filterParams(filters);
            probe.put("size", new String[]{"1"});
            records.list(base.kind(), probe, caller);
            return List.of();
        } catch (ProblemException e) {
            String why = e.errors().isEmpty() ? e.getMessage()
                    : String.join("; ", e.errors().stream().map(fe -> fe.field() + ": " + fe.message()).toList());
            return List.of(new io.maestro.core.FieldError("query", why));
        }
    }

    /** The chosen columns as stored: none when they are the kind's defaults (which then follow the kind). */
    private static String columns(KindView base, String[] chosen) {
        if (chosen == null || chosen.length == 0) return null;
        java.util.Set<String> picked = new java.util.LinkedHashSet<>(List.of(chosen));
        picked.add(base.columns().get(0).path());
        java.util.Set<String> defaults = new java.util.LinkedHashSet<>();
        base.columns().forEach(c -> defaults.add(c.path()));
        return picked.equals(defaults) ? null : String.join(",", chosen);
    }

    private SimpleForm editForm(SavedView v, String name, String team, String query, Caller caller) {
        SimpleForm f = new SimpleForm("");
        Node n = f.text("name", "Name", name);
        n.required = true;
        n.maxLength = 100;
        if (v.ownerId().equals(caller.userId())) {
            Map<String, String> choices = new LinkedHashMap<>();
            choices.put("", "Only me");
            directory.teamNames(caller.teamIds()).forEach((tid, tname) -> choices.put(tid.toString(), "Team " + tname));
            if (v.teamId() != null) choices.putIfAbsent(v.teamId().toString(), "Team " + v.team());
            f.select("team_id", "Seen by", choices, team == null ? "" : team);
        }
        Node q = f.text("query", "Filters and sort", query);
        q.hint = "As in the list's address after the ?, e.g. environment=Production&sort=-hostname. Empty: every record."
                + " Or open the view, change the list, and use Views › Update.";
        return f;
    }

    private String editPage(Model model, SavedView v, SimpleForm f, String[] cols) {
        KindView base = pages.view(v.collection());
        model.addAttribute("form", f);
        model.addAttribute("saved", v);
        model.addAttribute("view", base);
        model.addAttribute("sharing", v.teamId() == null ? null : "team " + v.team());
        model.addAttribute("owner", v.ownerId().equals(callers.current().userId()));
        model.addAttribute("columnChoices", ColumnChoice.choices(ColumnChoice.apply(base, cols), base));
        return "view-edit";
    }

    @PostMapping("/{id}/delete")
    public String delete(@PathVariable("id") String id, RedirectAttributes redirect) {
        Caller caller = callers.current();
        UUID uuid = io.maestro.core.Ids.parse(id, "Saved view");
        SavedView v = views.get(uuid, caller);
        views.delete(uuid, caller);
        redirect.addFlashAttribute("flash", "View '" + v.name() + "' deleted.");
        return "redirect:/views";
    }

    private static Map<String, String[]> parse(String query) {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (query == null || query.isBlank()) return out;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String val = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            String[] prev = out.get(k);
            String[] next = prev == null ? new String[]{val} : java.util.Arrays.copyOf(prev, prev.length + 1);
            next[next.length - 1] = val;
            out.put(k, next);
        }
        return out;
    }
}
