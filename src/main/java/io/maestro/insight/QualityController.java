package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** {@code GET /api/v1/quality?collection=&team_id=} and {@code GET /api/v1/systems/{id}/quality}. */
@RestController
@Tag(name = "insight")
public class QualityController {
    private final QualityService quality;
    private final CallerProvider callers;

    public QualityController(QualityService quality, CallerProvider callers) {
        this.quality = quality;
        this.callers = callers;
    }

    @GetMapping("/api/v1/quality")
    @Operation(summary = "Completeness against the expected fields, duplicates, stale, drift, orphans and the worst records of a collection"
            + " (default servers), of one team when team_id is given; only records the caller may read")
    public Map<String, Object> quality(@RequestParam(value = "collection", defaultValue = "servers") String collection,
                                       @RequestParam(value = "team_id", required = false) String teamId) {
        return quality.of(quality.kind(collection), team(teamId), callers.current());
    }

    @GetMapping("/api/v1/systems/{id}/quality")
    @Operation(summary = "The quality of a system's members (its applications, databases and load balancers)")
    public Map<String, Object> system(@PathVariable("id") String id) {
        return quality.ofSystem(io.maestro.core.Ids.parse(id, "System"), callers.current());
    }

    private static UUID team(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("team_id", "is not a valid id");
        }
    }
}
