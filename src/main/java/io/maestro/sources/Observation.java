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
 *
 * <p>A file of Maestro records may also give, in {@code values}, the record's own {@code id} (kept
 * when a global admin imports it) and {@code external_id} (kept with that id): they identify the
 * record and are never fields the source owns.
 */
public record Observation(String key, Map<String, Object> values, List<Link> links, String address) {
    public Observation(String key, Map<String, Object> values) {
        this(key, values, List.of(), null);
    }

    public Observation(String key, Map<String, Object> values, List<Link> links) {
        this(key, values, links, null);
    }

    /**
     * Field {@code field} refers to the records the source keys as {@code keys}, each in the first
     * of {@code collections} that holds it (a load balancer's targets are servers or applications).
     * {@code field} is a list of ids ({@code server_ids}), a dotted single reference
     * ({@code datacenter.id}: the first key), or a list of links with an attribute
     * ({@code dependencies}: {@code attributes} holds each key's protocol, or is null).
     */
    public record Link(String field, List<String> collections, List<String> keys, List<String> attributes) {
        public Link {
            collections = List.copyOf(collections);
            keys = List.copyOf(keys);
            if (attributes != null && attributes.size() != keys.size()) throw new IllegalArgumentException("one attribute per key");
            if (attributes != null) attributes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(attributes)); // may hold nulls
        }

        public Link(String field, String collection, List<String> keys) {
            this(field, List.of(collection), keys, null);
        }
    }
}
