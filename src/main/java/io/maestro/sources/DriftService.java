package io.maestro.sources;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.FieldOwners;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Handing a drifting field back to its source: the person's write of the observed value, then the source owns it again. */
@Service
public class DriftService {
    private final FieldOwners owners;
    private final RecordWriter writer;
    private final RecordService records;

    public DriftService(FieldOwners owners, RecordWriter writer, RecordService records) {
        this.owners = owners;
        this.writer = writer;
        this.records = records;
    }

    /** The record after {@code field} took the value its source last observed; 404 for what the caller may not read or what has no owner. */
    @Transactional
    public Map<String, Object> accept(Kind kind, UUID id, String field, Caller caller) {
        records.get(kind, id, caller); // 404 for what the caller may not read
        FieldOwners.Owned owned = owners.of(List.of(id)).getOrDefault(id, Map.of()).get(field);
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
        writer.patch(kind, id, patch, caller);
        owners.setOwner(id, field, FieldOwners.SOURCE);
        return records.get(kind, id, caller);
    }
}
