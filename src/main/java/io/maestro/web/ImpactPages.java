package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.AsOf;
import io.maestro.insight.ImpactService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A record's Impact tab (and the same as a page of its own): what stops working if the record
 * fails, as a tree (each record under the one its path reaches it from) and as a table, live or
 * as of an instant. The answer is the impact API's own ({@link ImpactService}), so what the
 * caller may not read is neither shown nor counted here either.
 */
@Controller
public class ImpactPages {
    /** Rows the table and tree show at most; the counts always cover everything (a datacenter may hurt thousands). */
    static final int SHOWN = 1000;
    /** The most records whose failure together one page answers (a selection of a list). */
    static final int MAX_ROOTS = 1000;
    private static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Pages pages;
    private final ImpactService impacts;
    private final CallerProvider callers;
    private final Views views;
    private final ListTools listTools;

    ImpactPages(Pages pages, ImpactService impacts, CallerProvider callers, Views views, ListTools listTools) {
        this.listTools = listTools;
        this.pages = pages;
        this.impacts = impacts;
        this.callers = callers;
        this.views = views;
    }

    /** One step of an explanation, nearest first: how the record before depends on this one ("runs on" db01). */
    public record Step(String how, String name, String href) {
    }

    /** An impacted record as the page shows it, with the records it reaches in turn (the tree). */
    public record Item(String id, String kindLabel, String name, String href, int depth, List<Step> path, List<Item> children) {
    }

    public record KindCount(String label, long count) {
    }

    @GetMapping("/{collection:[a-z]+}/{id}/impact")
    public String impact(@PathVariable("collection") String collection, @PathVariable("id") String id,
                         @RequestParam(value = "as_of", required = false) String asOf,
                         @RequestParam(value = "depth", required = false) String depth, Model model,
                         jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        KindView view = pages.view(collection);
        UUID uuid = view.kind().id(id);
        model.addAttribute("view", view);
        model.addAttribute("recordHref", "/" + collection + "/" + uuid);
        model.addAttribute("impactHref", "/" + collection + "/" + uuid + "/impact");
        form(model, depth, asOf);
        OffsetDateTime at;
        int hops;
        try {
            at = instant(asOf);
            hops = ImpactService.depth(depth);
            model.addAttribute("asOfValue", pickerValue(at));
        } catch (ProblemException e) {
            // the form stays, with what was typed and why it was refused (htmx only swaps in a 2xx answer)
            if (request.getHeader("HX-Request") == null) response.setStatus(e.status());
            model.addAttribute("problem", e.getMessage());
            model.addAttribute("title", view.label());
            return "impact";
        }
        ImpactService.Impact impact;
        try {
            impact = impacts.of(view.kind(), uuid, hops, at, callers.current());
        } catch (ProblemException e) {
            // a record that did not exist yet at that instant: say so in place; else (not readable) the usual 404
            if (at == null || e.status() != 404) throw e;
            model.addAttribute("problem", "This " + view.label().toLowerCase() + " did not exist at " + at + ".");
            model.addAttribute("title", view.label());
            return "impact";
        }
        model.addAttribute("title", impact.root().name());
        model.addAttribute("asOf", at == null ? null : at.toString());
        model.addAttribute("asOfText", at == null ? null : Pages.when(at.toInstant().toString()));
        show(model, impact);
        return "impact";
    }

    /**
     * The impact of a list's selection (the ticked rows, or every record its filter matches): what
     * stops working if they all fail together. A POST because a selection may hold thousands of
     * ids; the page's own as-of form posts them again.
     */
    @PostMapping("/{collection:[a-z]+}/impact")
    public String selection(@PathVariable("collection") String collection, Model model,
                            jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        KindView view = pages.view(collection);
        Map<String, String[]> form = request.getParameterMap();
        String asOf = RecordPages.first(form, "as_of");
        String depth = RecordPages.first(form, "depth");
        model.addAttribute("view", view);
        model.addAttribute("impactHref", "/" + collection + "/impact");
        form(model, depth, asOf);
        model.addAttribute("title", "the selected " + view.plural().toLowerCase());
        model.addAttribute("selection", List.of());
        Caller caller = callers.current();
        ImpactService.SelectionImpact impact;
        OffsetDateTime at;
        try {
            List<UUID> ids = listTools.selection(view.kind(), form, caller);
            if (ids.size() > MAX_ROOTS) throw ProblemException.badField("id", "Choose at most " + MAX_ROOTS + " " + view.plural().toLowerCase()
                    + " for their impact; narrow the filter");
            model.addAttribute("selection", ids);
            at = instant(asOf);
            model.addAttribute("asOfValue", pickerValue(at));
            impact = impacts.ofSelection(view.kind(), ids, ImpactService.depth(depth), at, caller);
        } catch (ProblemException e) {
            if (request.getHeader("HX-Request") == null) response.setStatus(e.status());
            model.addAttribute("problem", e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
            return "impact";
        }
        int n = impact.roots().size();
        String names = n == 1 ? impact.roots().get(0).name() : n + " " + view.plural().toLowerCase();
        model.addAttribute("title", names);
        model.addAttribute("rootName", names);
        model.addAttribute("rootsPlural", n > 1);
        model.addAttribute("asOf", at == null ? null : at.toString());
        model.addAttribute("asOfText", at == null ? null : Pages.when(at.toInstant().toString()));
        show(model, impact.roots(), impact.impacted(), impact.counts(), impact.truncated());
        return "impact";
    }

    /** The as-of and hops form as typed (until the values are read). */
    private static void form(Model model, String depth, String asOf) {
        model.addAttribute("depths", java.util.stream.IntStream.rangeClosed(1, ImpactService.MAX_DEPTH).boxed().toList());
        model.addAttribute("depth", depth == null || depth.isBlank() ? ImpactService.MAX_DEPTH : depth);
        model.addAttribute("asOfValue", asOf == null ? "" : asOf.strip());
    }

    private void show(Model model, ImpactService.Impact impact) {
        show(model, List.of(impact.root()), impact.impacted(), impact.counts(), impact.truncated());
        model.addAttribute("rootName", impact.root().name());
        model.addAttribute("apiHref", "/api/v1/" + impact.root().collection() + "/" + impact.root().id() + "/impact");
    }

    /** The tree (each record under the one its path reaches it from; several roots are its first level), table and counts. */
    private void show(Model model, List<ImpactService.Root> roots, List<ImpactService.Impacted> impacted, Map<String, Long> byKind,
                      boolean truncated) {
        Map<UUID, String> names = new HashMap<>();
        Map<UUID, String> kindsOf = new HashMap<>();
        for (ImpactService.Root r : roots) {
            names.put(r.id(), r.name());
            kindsOf.put(r.id(), r.collection());
        }
        for (ImpactService.Impacted i : impacted) {
            names.put(i.id(), i.name());
            kindsOf.put(i.id(), i.collection());
        }
        List<ImpactService.Impacted> shown = impacted.subList(0, Math.min(SHOWN, impacted.size()));
        Map<UUID, List<Item>> children = new LinkedHashMap<>();
        List<Item> rows = new ArrayList<>();
        // nearest first: a record's children are all one hop further, so they are made before it is linked in
        for (int i = shown.size() - 1; i >= 0; i--) {
            ImpactService.Impacted r = shown.get(i);
            List<Step> path = new ArrayList<>();
            List<ImpactService.Hop> via = r.via();
            // read back from the record to the root: "depends on ledger, which runs on db01"
            for (int h = via.size() - 1; h >= 0; h--) {
                UUID from = via.get(h).from();
                path.add(new Step(how(via.get(h).relation()), name(names.get(from)), href(kindsOf.get(from), from)));
            }
            Item item = new Item(r.id().toString(), label(r.collection()), name(r.name()), href(r.collection(), r.id()), r.depth(),
                    path, children.getOrDefault(r.id(), List.of()));
            rows.add(0, item);
            children.computeIfAbsent(via.get(via.size() - 1).from(), k -> new ArrayList<>()).add(0, item);
        }
        List<Item> tree;
        if (roots.size() == 1) {
            tree = children.getOrDefault(roots.get(0).id(), List.of());
        } else {
            tree = new ArrayList<>();
            for (ImpactService.Root r : roots) {
                List<Item> below = children.get(r.id());
                if (below != null) tree.add(new Item(r.id().toString(), label(r.collection()), name(r.name()), href(r.collection(), r.id()), 0, List.of(), below));
            }
        }
        List<KindCount> counts = new ArrayList<>();
        byKind.forEach((c, n) -> counts.add(new KindCount(views.find(c).map(v -> n == 1 ? v.label() : v.plural()).orElse(c), n)));
        model.addAttribute("tree", tree);
        model.addAttribute("rows", rows);
        model.addAttribute("counts", counts);
        model.addAttribute("total", impacted.size());
        model.addAttribute("cut", impacted.size() > SHOWN);
        model.addAttribute("shownMax", SHOWN);
        model.addAttribute("truncated", truncated);
    }

    /** The picker's local date-time ({@code 2026-11-24T14:00}, read as UTC) or any instant the API takes. */
    static OffsetDateTime instant(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        if (v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}")) v += ":00Z";
        else if (v.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?")) v += "Z";
        return AsOf.instant("as_of", v);
    }

    /** An instant as the date-time picker shows it (UTC, to the second). */
    static String pickerValue(OffsetDateTime at) {
        return at == null ? "" : LOCAL_INPUT.format(at.withOffsetSameInstant(java.time.ZoneOffset.UTC));
    }

    /** How a record depends on the one a hop nearer the root, by the relation that carries the failure. */
    static String how(String relation) {
        return switch (relation) {
            case "server_ids" -> "runs on";
            case "target_ids" -> "targets";
            case "dependencies" -> "depends on";
            case "system_ids" -> "contains";
            case "client_ids" -> "is served by";
            case "datacenter.id" -> "is hosted in";
            default -> Labels.humanize(relation).toLowerCase();
        };
    }

    private String label(String collection) {
        return views.find(collection).map(KindView::label).orElse(collection);
    }

    private static String href(String collection, UUID id) {
        return collection == null ? null : "/" + collection + "/" + id;
    }

    private static String name(String name) {
        return name == null || name.isBlank() ? "(no name)" : name;
    }
}
