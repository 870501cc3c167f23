package io.maestro.sources;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.FieldOwners;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * "Use discovered value": {@code POST /api/v1/{collection}/{id}/drift/{field}/accept} sets a
 * field a person owns to what its source last observed and hands it back to the source, whose
 * later runs keep it current again (sources.md, rule 2). The write is the person's, with their rights.
 */
@RestController
@Tag(name = "sources", description = "Discovery connections, runs, provenance and drift")
public class DriftController {
    private final Kinds kinds;
    private final FieldOwners owners;
    private final RecordWriter writer;
    private final RecordService records;
    private final CallerProvider callers;
    private final TransactionTemplate tx;

    public DriftController(Kinds kinds, FieldOwners owners, RecordWriter writer, RecordService records, CallerProvider callers,
                           PlatformTransactionManager txManager) {
        this.kinds = kinds;
        this.owners = owners;
        this.writer = writer;
        this.records = records;
        this.callers = callers;
        this.tx = new TransactionTemplate(txManager);
    }

    @PostMapping(path = "/api/v1/{collection}/{id}/drift/{field}/accept", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> accept(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                                      @PathVariable("field") String field) {
        Kind kind = kinds.find(collection).orElseThrow(() -> ProblemException.notFound("Collection"));
        UUID uuid = kind.id(id);
        Caller caller = callers.current();
        Map<String, Object> doc = tx.execute(status -> {
            records.get(kind, uuid, caller); // 404 for what the caller may not read
            FieldOwners.Owned owned = owners.of(java.util.List.of(uuid)).getOrDefault(uuid, Map.of()).get(field);
            if (owned == null) throw ProblemException.notFound("Drift of field " + field);
            Map<String, Object> patch = new LinkedHashMap<>();
            Map<String, Object> at = patch;
            String[] parts = field.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                Map<String, Object> child = new LinkedHashMap<>();
                at.put(parts[i], child);
                at = child;
            }
            // a merge patch replaces lists whole; null removes the value, as the source reports none
            at.put(parts[parts.length - 1], owned.observed());
            Map<String, Object> written = writer.patch(kind, uuid, patch, caller).record();
            owners.setOwner(uuid, field, FieldOwners.SOURCE);
            return written;
        });
        return ResponseEntity.ok(records.get(kind, uuid, caller));
    }
}
