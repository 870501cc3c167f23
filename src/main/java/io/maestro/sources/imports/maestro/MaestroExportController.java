package io.maestro.sources.imports.maestro;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.Renderer;
import io.maestro.sources.imports.Imports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/export} (sources.md, File imports): every record of every kind the caller may
 * read, in one JSON file that {@code POST /imports?format=maestro} takes back. Kinds come in
 * {@link Imports#ORDER}, what others point at first; records keep their ids (links are ids), which a
 * global admin's import keeps. Written as it is read, a batch at a time: memory does not grow with
 * the estate.
 */
@RestController
@Tag(name = "sources", description = "Discovery connections, runs, file imports, provenance and drift")
public class MaestroExportController {
    /** The file's first member: what it is, when and by whom it was written. */
    static final String HEADER = "maestro_export";
    static final int FORMAT_VERSION = 1;
    private static final int BATCH = 1000;

    private final Kinds kinds;
    private final RecordService records;
    private final CallerProvider callers;

    MaestroExportController(Kinds kinds, RecordService records, CallerProvider callers) {
        this.kinds = kinds;
        this.records = records;
        this.callers = callers;
    }

    /** The collections of an export, in the order they are written and imported. */
    List<Kind> collections() {
        return Imports.ORDER.stream().map(kinds::find).flatMap(java.util.Optional::stream).toList();
    }

    @Operation(summary = "Every record you may read, of every kind, in one JSON file (re-imports with format=maestro)")
    @GetMapping(path = "/api/v1/export", produces = MediaType.APPLICATION_JSON_VALUE)
    public void export(HttpServletResponse response) throws IOException {
        Caller caller = callers.current();
        List<Kind> collections = collections();
        response.setCharacterEncoding("UTF-8");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"maestro-export.json\"");
        try (JsonGenerator out = Json.mapper().createGenerator(response.getOutputStream())) {
            out.writeStartObject();
            out.writeName(HEADER);
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("version", FORMAT_VERSION);
            header.put("exported_at", Renderer.time(OffsetDateTime.now(ZoneOffset.UTC)));
            header.put("exported_by", caller.actor());
            header.put("collections", collections.stream().map(Kind::collection).toList());
            Json.mapper().writeValue(out, header);
            for (Kind kind : collections) {
                out.writeName(kind.collection());
                out.writeStartArray();
                records.export(kind, caller, BATCH, docs -> {
                    for (Map<String, Object> doc : docs) Json.mapper().writeValue(out, doc);
                });
                out.writeEndArray();
            }
            out.writeEndObject();
        }
    }
}
