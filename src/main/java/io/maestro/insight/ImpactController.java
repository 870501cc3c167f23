package io.maestro.insight;

import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/{collection}/{id}/impact?depth=&as_of=}: what stops working if this record fails. */
@RestController
@Tag(name = "insight", description = "Impact analysis, summaries, reports and data quality")
public class ImpactController {
    private final ImpactService impacts;
    private final Kinds kinds;
    private final CallerProvider callers;

    public ImpactController(ImpactService impacts, Kinds kinds, CallerProvider callers) {
        this.impacts = impacts;
        this.kinds = kinds;
        this.callers = callers;
    }

    @GetMapping("/api/v1/{collection}/{id}/impact")
    @Operation(summary = "Records that depend on this one, directly or transitively (depth 1-10, default 10), each once at its shortest depth"
            + " with the path explaining it; only records the caller may read; as_of answers for the inventory as it stood then")
    public Map<String, Object> impact(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                      @RequestParam(value = "depth", required = false) String depth,
                                      @RequestParam(value = "as_of", required = false) String asOf) {
        Kind kind = kinds.get(collection);
        int d = ImpactService.depth(depth);
        return body(impacts.of(kind, kind.id(id), d, AsOf.instant("as_of", asOf), callers.current()));
    }

    /** The JSON shape of an impact answer (insight.md). */
    public static Map<String, Object> body(ImpactService.Impact impact) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", impact.root().id());
        root.put("collection", impact.root().collection());
        root.put("name", impact.root().name());
        out.put("root", root);
        List<Map<String, Object>> impacted = impact.impacted().stream().map(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("collection", i.collection());
            m.put("name", i.name());
            m.put("depth", i.depth());
            m.put("via", i.via().stream().map(h -> Map.<String, Object>of("from", h.from(), "relation", h.relation())).toList());
            return m;
        }).toList();
        out.put("impacted", impacted);
        out.put("counts", impact.counts());
        out.put("truncated", impact.truncated());
        return out;
    }
}
