package io.maestro.insight;

import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kinds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/{collection}/summary?group_by=environment,os.base&<list filters>}. The paths
 * are written out per collection: {@code /api/v1/servers/{id}} would otherwise win over
 * {@code /api/v1/{collection}/summary} (Spring ranks equally specific patterns by their text, and
 * "servers/{id}" sorts first), answering 404 for an id "summary".
 */
@RestController
@Tag(name = "insight")
public class SummaryController {
    private final SummaryService summaries;
    private final Kinds kinds;
    private final CallerProvider callers;

    public SummaryController(SummaryService summaries, Kinds kinds, CallerProvider callers) {
        this.summaries = summaries;
        this.kinds = kinds;
        this.callers = callers;
    }

    @GetMapping({"/api/v1/servers/summary", "/api/v1/applications/summary", "/api/v1/databases/summary", "/api/v1/loadbalancers/summary",
            "/api/v1/datacenters/summary", "/api/v1/systems/summary", "/api/v1/clients/summary", "/api/v1/services/summary",
            "/api/v1/providers/summary", "/api/v1/{collection}/summary"})
    @Operation(summary = "Counts of the records a list with the same filters would return, per value of up to 3 group_by fields"
            + " (any filterable scalar, team_id, datacenter.id, source.type, stale); as_of works")
    public Map<String, Object> summary(HttpServletRequest request) {
        String path = request.getRequestURI();
        String collection = path.substring("/api/v1/".length(), path.lastIndexOf('/'));
        SummaryService.Summary s = summaries.summarize(kinds.get(collection), request.getParameterMap(), callers.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("group_by", s.groupBy());
        body.put("groups", s.groups());
        body.put("total", s.total());
        return body;
    }
}
