package io.maestro.insight;

import io.maestro.core.Json;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
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

    /**
     * The answer is written as it is read from the walk (insight.md's shape), not built as maps
     * first: a busy server's answer holds hundreds of records, each with its path.
     */
    @GetMapping("/api/v1/{collection}/{id}/impact")
    @Operation(summary = "Records that depend on this one, directly or transitively (depth 1-10, default 10), each once at its shortest depth"
            + " with the path explaining it; only records the caller may read; as_of answers for the inventory as it stood then")
    public void impact(@PathVariable("collection") String collection, @PathVariable("id") String id,
                       @RequestParam(value = "depth", required = false) String depth,
                       @RequestParam(value = "as_of", required = false) String asOf,
                       HttpServletResponse response) throws IOException {
        Kind kind = kinds.get(collection);
        int d = ImpactService.depth(depth);
        ImpactService.Impact impact = impacts.of(kind, kind.id(id), d, AsOf.instant("as_of", asOf), callers.current());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator out = Json.mapper().createGenerator(response.getOutputStream())) {
            out.writeStartObject();
            out.writeName("root");
            out.writeStartObject();
            out.writeStringProperty("id", impact.root().id().toString());
            out.writeStringProperty("collection", impact.root().collection());
            out.writeStringProperty("name", impact.root().name());
            out.writeEndObject();
            out.writeName("impacted");
            out.writeStartArray();
            for (ImpactService.Impacted i : impact.impacted()) {
                out.writeStartObject();
                out.writeStringProperty("id", i.id().toString());
                out.writeStringProperty("collection", i.collection());
                out.writeStringProperty("name", i.name());
                out.writeNumberProperty("depth", i.depth());
                out.writeName("via");
                out.writeStartArray();
                for (ImpactService.Hop h : i.via()) {
                    out.writeStartObject();
                    out.writeStringProperty("from", h.from().toString());
                    out.writeStringProperty("relation", h.relation());
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeName("counts");
            out.writeStartObject();
            for (Map.Entry<String, Long> c : impact.counts().entrySet()) out.writeNumberProperty(c.getKey(), c.getValue());
            out.writeEndObject();
            out.writeBooleanProperty("truncated", impact.truncated());
            out.writeEndObject();
        }
    }
}
