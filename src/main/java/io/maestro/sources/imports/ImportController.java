package io.maestro.sources.imports;

import io.maestro.core.Ids;
import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/imports} (sources.md, File imports): upload a file, follow the import, apply a dry run's plan. */
@RestController
@RequestMapping(path = "/api/v1/imports", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sources", description = "Discovery connections, runs, file imports, provenance and drift")
public class ImportController {
    private final Imports imports;
    private final CallerProvider callers;

    private final long maxBytes;

    public ImportController(Imports imports, CallerProvider callers,
                            @org.springframework.beans.factory.annotation.Value("${maestro.import.max-bytes:268435456}") long maxBytes) {
        this.imports = imports;
        this.callers = callers;
        this.maxBytes = maxBytes;
    }

    /** The file is read as it arrives (a streamed format never holds it whole); past MAESTRO_IMPORT_MAX_BYTES it is refused with 413. */
    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestParam Map<String, String> params, jakarta.servlet.http.HttpServletRequest request)
            throws java.io.IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw new io.maestro.core.ProblemException(413, "Payload too large", "The file is larger than " + maxBytes + " bytes (MAESTRO_IMPORT_MAX_BYTES)");
        }
        Map<String, Object> created = imports.start(params, io.maestro.core.api.BulkFormats.limited(request.getInputStream(), maxBytes,
                "MAESTRO_IMPORT_MAX_BYTES"), callers.current());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/imports/" + created.get("id"))).body(created);
    }

    @GetMapping
    public Map<String, Object> list() {
        List<Map<String, Object>> items = imports.list(callers.current());
        return Map.of("items", items, "total", items.size());
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable("id") String id, @RequestParam(name = "plan_action", required = false) String action,
                                   @RequestParam(name = "plan_offset", defaultValue = "0") String offset,
                                   @RequestParam(name = "plan_size", defaultValue = "100") String size) {
        return imports.get(Ids.parse(id, "Import"), action, number("plan_offset", offset), number("plan_size", size), callers.current());
    }

    @PostMapping("/{id}/apply")
    public ResponseEntity<Map<String, Object>> apply(@PathVariable("id") String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(imports.apply(Ids.parse(id, "Import"), callers.current()));
    }

    private static int number(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw io.maestro.core.ProblemException.badField(name, "must be a whole number");
        }
    }
}
