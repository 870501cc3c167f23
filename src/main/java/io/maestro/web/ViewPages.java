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

/** Saved views: the page listing them (from the navigation), saving the current list as one, deleting one. */
@Controller
@RequestMapping("/views")
public class ViewPages {
    private final SavedViews views;
    private final CallerProvider callers;
    private final Pages pages;

    public ViewPages(SavedViews views, CallerProvider callers, Pages pages) {
        this.views = views;
        this.callers = callers;
        this.pages = pages;
    }

    /** A saved view as a link to its list, with who sees it and whether the caller may delete it. */
    public record Link(String id, String name, String href, String sharing, boolean deletable, String collection) {
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
        boolean deletable = v.ownerId().equals(caller.userId()) || (v.teamId() != null && caller.isTeamAdmin(v.teamId()));
        return new Link(v.id().toString(), v.name(), "/" + v.collection() + (q.isEmpty() ? "" : "?" + q), sharing, deletable, v.collection());
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

    @PostMapping("/{id}/delete")
    public String delete(@PathVariable("id") String id, RedirectAttributes redirect) {
        Caller caller = callers.current();
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Saved view");
        }
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
