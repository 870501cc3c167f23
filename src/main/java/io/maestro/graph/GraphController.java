package io.maestro.graph;

import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/v1/{collection}/{id}/graph?depth=}: what a record is connected to, as nodes and edges. */
@RestController
@Tag(name = "graph", description = "The records around one record: relations both ways, datacenter placement, services")
public class GraphController {
    private final GraphService graphs;
    private final Kinds kinds;
    private final CallerProvider callers;

    public GraphController(GraphService graphs, Kinds kinds, CallerProvider callers) {
        this.graphs = graphs;
        this.kinds = kinds;
        this.callers = callers;
    }

    @GetMapping("/api/v1/{collection}/{id}/graph")
    @Operation(summary = "Records linked to this one, up to `depth` hops (1-3, default 2), only those the caller may read")
    public Map<String, Object> graph(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                     @RequestParam(value = "depth", defaultValue = "2") String depth) {
        Kind kind = kinds.get(collection);
        return body(graphs.around(kind, kind.id(id), GraphService.depth(depth), callers.current()));
    }

    /** The JSON shape of a graph: nodes with kind and name, edges by the owning side's field. */
    public static Map<String, Object> body(GraphService.Graph g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root", g.root().id());
        out.put("nodes", g.nodes().stream().map(n -> Map.of("id", n.id(), "kind", n.kind(), "name", n.name(), "depth", n.depth())).toList());
        out.put("edges", g.edges().stream().map(e -> Map.of("source", e.source(), "target", e.target(), "field", e.field())).toList());
        out.put("truncated", g.truncated());
        return out;
    }
}
