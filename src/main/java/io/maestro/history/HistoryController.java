package io.maestro.history;

import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** A record's change log, the change feed across kinds, and restore. */
@RestController
@Tag(name = "history", description = "Who changed what, when; the inventory at any instant")
public class HistoryController {
    private final HistoryQueries queries;
    private final Kinds kinds;
    private final RecordService records;
    private final CallerProvider callers;

    public HistoryController(HistoryQueries queries, Kinds kinds, RecordService records, CallerProvider callers) {
        this.queries = queries;
        this.kinds = kinds;
        this.records = records;
        this.callers = callers;
    }

    @GetMapping("/api/v1/{collection}/{id}/history")
    @Operation(summary = "Changes of one record, newest first (kept after it is deleted)")
    public Map<String, Object> recordHistory(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                             @RequestParam(value = "page", defaultValue = "0") String page,
                                             @RequestParam(value = "size", defaultValue = "50") String size) {
        Kind kind = kinds.get(collection);
        return queries.ofRecord(kind, kind.id(id), number("page", page, 0, 1_000_000), number("size", size, 1, 1000), callers.current());
    }

    @GetMapping("/api/v1/history")
    @Operation(summary = "The change feed across kinds, newest first; follow `next` for older entries")
    public Map<String, Object> feed(@RequestParam Map<String, String> params) {
        for (String p : params.keySet()) {
            if (!java.util.Set.of("since", "until", "kind", "actor", "action", "cursor", "size").contains(p)) {
                throw ProblemException.badField(p, "unknown parameter");
            }
        }
        var since = AsOf.instant("since", params.get("since"));
        var until = AsOf.instant("until", params.get("until"));
        if (since != null && until != null && until.isBefore(since)) throw ProblemException.badField("until", "must not be before since");
        String kind = params.get("kind");
        if (kind != null) kinds.get(kind);
        String action = params.get("action");
        if (action != null && !java.util.Set.of("create", "update", "delete").contains(action)) {
            throw ProblemException.badField("action", "must be create, update or delete");
        }
        Long cursor = params.get("cursor") == null ? null : (long) number("cursor", params.get("cursor"), 1, Long.MAX_VALUE);
        return queries.feed(since, until, kind, params.get("actor"), action, cursor,
                (int) number("size", params.getOrDefault("size", "100"), 1, 1000), callers.current());
    }

    @PostMapping("/api/v1/{collection}/{id}/restore")
    @Operation(summary = "Bring a record back to its state at as_of, as a new change (re-creates it if deleted)")
    public ResponseEntity<Map<String, Object>> restore(@PathVariable("collection") String collection, @PathVariable("id") String id,
                                                       @RequestParam(value = "as_of", required = false) String asOf) {
        Kind kind = kinds.get(collection);
        RecordService.Written w = records.restore(kind, kind.id(id), AsOf.instant("as_of", asOf), callers.current());
        return ResponseEntity.ok().eTag("\"" + w.version() + "\"").body(w.record());
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ProblemException.badField(name, "must be an integer between " + min + " and " + max);
        }
    }
}
