package io.maestro.core.record;

import java.util.List;
import java.util.UUID;

/** An id (or catalog name) found in input, to be resolved against stored records in one query. */
record PendingRef(String path, UUID id, String catalogName, List<String> kinds) {
}
