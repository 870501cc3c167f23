package io.maestro.sources.imports.maestro;

import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/** {@code GET /api/v1/export}: the all-kinds export ({@link MaestroExport}), streamed. */
@RestController
@Tag(name = "sources", description = "Discovery connections, runs, file imports, provenance and drift")
public class MaestroExportController {
    private final MaestroExport export;
    private final CallerProvider callers;

    MaestroExportController(MaestroExport export, CallerProvider callers) {
        this.export = export;
        this.callers = callers;
    }

    @Operation(summary = "Every record you may read, of every kind, in one JSON file (re-imports with format=maestro)")
    @GetMapping(path = "/api/v1/export", produces = MediaType.APPLICATION_JSON_VALUE)
    public void export(HttpServletResponse response) throws IOException {
        var caller = callers.current();
        response.setCharacterEncoding("UTF-8");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + MaestroExport.FILE_NAME + "\"");
        export.write(caller, response.getOutputStream());
    }
}
