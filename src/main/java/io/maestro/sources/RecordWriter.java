package io.maestro.sources;

import io.maestro.core.access.Caller;
import io.maestro.core.record.BulkService;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Provenance;
import io.maestro.core.record.RecordService;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Every call from sources into core's write machinery, in one place: records reach the store only
 * through the same validation, access, duplicate warnings, automatic relations and history as
 * people's writes (sources.md, rule 5). Keep it small: when the write services change shape, this
 * is the one class to adapt.
 */
@Component
public class RecordWriter {
    private final BulkService bulk;
    private final RecordService records;

    public RecordWriter(BulkService bulk, RecordService records) {
        this.bulk = bulk;
        this.records = records;
    }

    /**
     * Upserts {@code rows} (API documents; {@code id} names the record to update) as a source: its
     * {@code source} and {@code external_id} are taken. Bad rows come back by index, the rest are
     * stored; a row equal to what is stored writes nothing. Joins the caller's transaction.
     * {@code dryRun}: validated and counted, nothing stored. {@code keepIds} (a global admin's file of
     * Maestro records): a row whose {@code id} is unknown is created with it.
     */
    public BulkService.Outcome upsert(Kind kind, List<Map<String, Object>> rows, boolean dryRun, boolean keepIds, Caller source) {
        List<Object> pending = new ArrayList<>(rows);
        BulkService.RowSource stream = max -> {
            List<Object> next = new ArrayList<>(pending.subList(0, Math.min(max, pending.size())));
            pending.subList(0, next.size()).clear();
            return next;
        };
        return Provenance.asSource(() -> bulk.run(kind, stream, false, dryRun, keepIds, source));
    }

    /** A person's merge patch of one record (handing a field back to its source sets the observed value first). */
    public RecordService.Written patch(Kind kind, UUID id, Map<String, Object> body, Caller person) {
        return records.patch(kind, id, body, null, person);
    }
}
