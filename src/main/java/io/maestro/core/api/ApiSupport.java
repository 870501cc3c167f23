package io.maestro.core.api;

import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.BulkService;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Renderer;
import org.springframework.beans.factory.annotation.Value;
import io.maestro.core.record.Sharing;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What every kind controller needs, in one constructor argument ({@code json}: the application's JSON mapper, as Spring MVC writes with). */
@Component
public record ApiSupport(RecordService records, BulkService bulk, RecordStore store, Renderer renderer, CallerProvider callers,
                         Sharing sharing, JsonMapper json, @Value("${MAESTRO_BULK_MAX_BYTES:${maestro.bulk.max-bytes:2147483648}}") long bulkMaxBytes) {
}
