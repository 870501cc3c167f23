package io.maestro.core.api;

import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.Sharing;
import org.springframework.stereotype.Component;

/** What every kind controller needs, in one constructor argument. */
@Component
public record ApiSupport(RecordService records, CallerProvider callers, Sharing sharing) {
}
