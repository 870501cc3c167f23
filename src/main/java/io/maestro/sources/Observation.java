package io.maestro.sources;

import java.util.Map;

/**
 * A record as a source sees it: {@code key} is the source's own id of the resource (an EC2
 * instance id, an ARN), {@code values} the record's fields in the API's shape (as a person would
 * POST them). A provider's reader produces these and nothing else.
 */
public record Observation(String key, Map<String, Object> values) {
}
