package io.maestro.core.record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A validated record ready to store: column values by path (JSON parts as Lists/Maps),
 * relations, tags and hand-made service entries.
 */
public final class Draft {
    public final Map<String, Object> values = new LinkedHashMap<>();
    public final Map<String, List<Link>> links = new LinkedHashMap<>();
    public final List<Tag> tags = new ArrayList<>();
    public List<ServiceEntry> services;
    public UUID teamId;

    public Object get(String path) {
        return values.get(path);
    }

    public String string(String path) {
        Object v = values.get(path);
        return v == null ? null : v.toString();
    }

    public List<UUID> linkIds(String field) {
        return links.getOrDefault(field, List.of()).stream().map(Link::target).toList();
    }

    public record Link(UUID target, String targetKind, String attribute) {
    }

    public record Tag(String key, String value) {
    }

    /** A service a person says runs on a server: a catalog id, or a name resolved (or created) in the catalog. */
    public record ServiceEntry(UUID serviceId, String name, String version, String status) {
        public ServiceEntry withServiceId(UUID id) {
            return new ServiceEntry(id, name, version, status);
        }
    }
}
