package io.maestro.sources.imports.maestro;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.Renderer;
import io.maestro.sources.imports.Imports;
import org.springframework.stereotype.Service;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maestro's all-kinds export (sources.md, File imports): every record of every kind the caller may
 * read, in one JSON file that {@code POST /imports?format=maestro} takes back. Kinds come in
 * {@link Imports#ORDER}, what others point at first; records keep their ids (links are ids), which a
 * global admin's import keeps. Written as it is read, a batch at a time: memory does not grow with
 * the estate. The API ({@code GET /api/v1/export}) and the Imports page both write it.
 */
@Service
public class MaestroExport {
    /** The file's first member: what it is, when and by whom it was written. */
    static final String HEADER = "maestro_export";
    static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "maestro-export.json";
    private static final int BATCH = 1000;

    private final Kinds kinds;
    private final RecordService records;

    MaestroExport(Kinds kinds, RecordService records) {
        this.kinds = kinds;
        this.records = records;
    }

    /** The collections of an export, in the order they are written and imported. */
    List<Kind> collections() {
        return Imports.ORDER.stream().map(kinds::find).flatMap(java.util.Optional::stream).toList();
    }

    /** Writes the export of what {@code caller} may read to {@code target} (closed at the end). */
    public void write(Caller caller, OutputStream target) throws IOException {
        List<Kind> collections = collections();
        try (JsonGenerator out = Json.mapper().createGenerator(target)) {
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
