package io.maestro.sources;

import java.util.List;
import java.util.Map;

/**
 * A record as a source sees it: {@code key} is the source's own id of the resource (an EC2
 * instance id, an ARN), {@code values} the record's fields in the API's shape (as a person would
 * POST them). A provider's reader produces these and nothing else.
 *
 * <p>{@code links} are relations the source knows only by its own keys (a load balancer's targets
 * are instance ids, not Maestro ids): the reconciler turns each into the ids of the records it
 * discovered under those keys, in the same datacenter, and sets the field. {@code address} is where
 * a file names the resource (a Terraform resource address; null for APIs).
 */
public record Observation(String key, Map<String, Object> values, List<Link> links, String address) {
    public Observation(String key, Map<String, Object> values) {
        this(key, values, List.of(), null);
    }

    public Observation(String key, Map<String, Object> values, List<Link> links) {
        this(key, values, links, null);
    }

    /** Field {@code field} refers to the records of {@code collection} the source keys as {@code keys}. */
    public record Link(String field, String collection, List<String> keys) {
    }
}
