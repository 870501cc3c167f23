package io.maestro.web;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import io.maestro.graph.GraphService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Graphs: the records around one record, drawn with Cytoscape (graph.js) and listed hop by hop in
 * a table that works without scripts and for screen readers. The same walk as the graph API.
 */
@Controller
public class GraphPages {
    private final Pages pages;
    private final GraphService graphs;
    private final RecordService records;
    private final CallerProvider callers;
    private final Views views;

    GraphPages(Pages pages, GraphService graphs, RecordService records, CallerProvider callers, Views views) {
        this.pages = pages;
        this.graphs = graphs;
        this.records = records;
        this.callers = callers;
        this.views = views;
    }

    /** A node as the page shows it: its kind's label and the link to its page. */
    public record Shown(String id, String kind, String kindLabel, String name, String href, int depth, List<String> via) {
    }

    /** Where graphs start: the systems (the guide's groups of apps, databases and load balancers). */
    @GetMapping("/graph")
    public String start(Model model) {
        Kind systems = pages.view("systems").kind();
        var listing = records.list(systems, Map.of("size", new String[]{"100"}), callers.current());
        model.addAttribute("systems", listing.items());
        model.addAttribute("total", listing.total());
        return "graph-start";
    }

    @GetMapping("/{collection:[a-z]+}/{id}/graph")
    public String graph(@PathVariable("collection") String collection, @PathVariable("id") String id,
                        @RequestParam(value = "depth", defaultValue = "2") String depth, Model model) {
        KindView view = pages.view(collection);
        Caller caller = callers.current();
        int hops = GraphService.depth(depth);
        GraphService.Graph g = graphs.around(view.kind(), view.kind().id(id), hops, caller);
        Map<UUID, GraphService.Node> byId = new LinkedHashMap<>();
        g.nodes().forEach(n -> byId.put(n.id(), n));
        List<Shown> shown = new ArrayList<>();
        for (GraphService.Node n : g.nodes()) {
            // How the walk reached it: its links to nodes one hop nearer the root.
            List<String> via = new ArrayList<>();
            for (GraphService.Edge e : g.edges()) {
                UUID other = e.source().equals(n.id()) ? e.target() : e.target().equals(n.id()) ? e.source() : null;
                GraphService.Node o = other == null ? null : byId.get(other);
                if (o == null || o.depth() >= n.depth()) continue;
                String owner = e.source().equals(n.id()) ? n.kind() : o.kind();
                via.add(o.name() + " (" + Labels.field(owner, e.field()) + ")");
            }
            shown.add(new Shown(n.id().toString(), n.kind(), label(n.kind()), n.name(), "/" + n.kind() + "/" + n.id(), n.depth(), via));
        }
        Map<String, String> legend = new LinkedHashMap<>();
        views.all().stream().filter(v -> g.nodes().stream().anyMatch(n -> n.kind().equals(v.collection())))
                .forEach(v -> legend.put(v.collection(), v.plural()));
        model.addAttribute("legend", legend);
        model.addAttribute("view", view);
        model.addAttribute("title", g.root().name());
        model.addAttribute("rootHref", "/" + collection + "/" + g.root().id());
        model.addAttribute("depth", hops);
        model.addAttribute("nodes", shown);
        model.addAttribute("edgeCount", g.edges().size());
        model.addAttribute("truncated", g.truncated());
        model.addAttribute("graphJson", Json.write(Map.of(
                "nodes", shown.stream().map(s -> Map.of("id", s.id(), "kind", s.kind(), "label", s.name(), "href", s.href(), "depth", s.depth())).toList(),
                "edges", g.edges().stream().map(e -> Map.of("source", e.source().toString(), "target", e.target().toString(), "field", e.field())).toList())));
        return "graph";
    }

    private String label(String collection) {
        return views.find(collection).map(v -> v.kind().label()).orElse(collection);
    }
}
