package io.maestro.sources;

import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * "Use discovered value": {@code POST /api/v1/{collection}/{id}/drift/{field}/accept} sets a
 * field a person owns to what its source last observed and hands it back to the source, whose
 * later runs keep it current again (sources.md, rule 2). The write is the person's, with their rights.
 */
@RestController
@Tag(name = "sources", description = "Discovery connections, runs, provenance and drift")
public class DriftController {
    private final Kinds kinds;
    private final DriftService drift;
    private final CallerProvider callers;

    public DriftController(Kinds kinds, DriftService drift, CallerProvider callers) {
        this.kinds = kinds;
        this.drift = drift;
        this.callers = callers;
    }

    @PostMapping(path = "/api/v1/{collection}/{id}/drift/{field}/accept", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> accept(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                                      @PathVariable("field") String field) {
        Kind kind = kinds.find(collection).orElseThrow(() -> ProblemException.notFound("Collection"));
        return ResponseEntity.ok(drift.accept(kind, kind.id(id), field, callers.current()));
    }
}
