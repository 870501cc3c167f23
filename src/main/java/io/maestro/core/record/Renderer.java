package io.maestro.core.record;

import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the JSON shape of records (plain maps) from stored rows, loading what a page of rows
 * needs in a fixed number of queries: relations, tags, services, counts.
 */
@Component
public class Renderer {
    private final RecordParts parts;
    private final RecordStore store;
    private final Kinds kinds;
    private final FieldOwners owners;

    public Renderer(RecordParts parts, RecordStore store, Kinds kinds, FieldOwners owners) {
        this.owners = owners;
        this.parts = parts;
        this.store = store;
        this.kinds = kinds;
    }

    public static String time(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
    }

    public List<Map<String, Object>> render(Kind kind, List<Row> rows, Scope scope) {
        List<UUID> ids = rows.stream().map(Row::id).toList();
        boolean hasServices = kind.fields().stream().anyMatch(f -> f.type == Type.SERVICES);
        RecordParts.Parts parts = this.parts.of(kind, ids);
        Map<UUID, Map<String, List<Draft.Link>>> links = parts.links();
        Map<UUID, List<Draft.Tag>> tagMap = parts.tags();
        Map<UUID, List<ServicePlacements.Placement>> services = parts.services();
        Set<UUID> hidden = hidden(kind, rows, links, services, scope);
        Map<String, Map<UUID, Long>> counts = new HashMap<>();
        for (Kind.Count c : kind.counts()) {
            counts.put(c.name(), store.countBy(kinds.get(c.kind()), c.column(), ids, scope));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", row.id().toString());
            object(kind.fields(), "", row.values(), links.getOrDefault(row.id(), Map.of()), hidden, doc);
            doc.put("tags", tagMap.getOrDefault(row.id(), List.of()).stream().map(t -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", t.key());
                m.put("value", t.value());
                return m;
            }).toList());
            if (hasServices) {
                doc.put("services", services.getOrDefault(row.id(), List.of()).stream().map(p -> service(p, hidden)).toList());
            }
            for (Kind.Count c : kind.counts()) doc.put(c.name(), counts.get(c.name()).getOrDefault(row.id(), 0L));
            if (!kind.global()) doc.put("team_id", row.teamId().toString());
            doc.put("created_at", time(row.createdAt()));
            doc.put("updated_at", time(row.updatedAt()));
            doc.put("version", row.version());
            out.add(doc);
        }
        owners.renderDrift(rows, out);
        return out;
    }

    /**
     * Ids these rows point at that the caller may not read: linked records of other teams, a
     * datacenter not shared with them, the source of an automatic service entry. They are left
     * out of what the caller sees (RecordService keeps them on writes), so no foreign id leaks.
     */
    private Set<UUID> hidden(Kind kind, List<Row> rows, Map<UUID, Map<String, List<Draft.Link>>> links,
                             Map<UUID, List<ServicePlacements.Placement>> services, Scope scope) {
        if (scope.unrestrictedAccess()) return Set.of();
        Map<String, Set<UUID>> targets = new LinkedHashMap<>();
        links.values().forEach(byField -> byField.values().forEach(list -> list.forEach(l ->
                targets.computeIfAbsent(l.targetKind(), k -> new HashSet<>()).add(l.target()))));
        for (RecordStore.Column c : store.columns(kind)) {
            if (c.field().type != Type.REF) continue;
            for (String target : c.field().refKinds()) {
                if (kinds.find(target).isEmpty()) continue; // teams, users: not records
                rows.forEach(r -> {
                    if (r.values().get(c.path()) instanceof UUID id) targets.computeIfAbsent(target, k -> new HashSet<>()).add(id);
                });
            }
        }
        Set<UUID> sources = new HashSet<>();
        services.values().forEach(list -> list.forEach(p -> {
            if (p.sourceId() != null) sources.add(p.sourceId());
        }));
        if (!sources.isEmpty()) {
            kinds.all().stream().filter(k -> k.autoService() != null)
                    .forEach(k -> targets.computeIfAbsent(k.collection(), x -> new HashSet<>()).addAll(sources));
        }
        Set<UUID> all = new HashSet<>();
        Set<UUID> readable = new HashSet<>();
        targets.forEach((collection, ids) -> kinds.find(collection).ifPresent(k -> {
            all.addAll(ids);
            readable.addAll(store.existing(k, new ArrayList<>(ids), scope));
        }));
        all.removeAll(readable);
        return all;
    }

    private static Map<String, Object> service(ServicePlacements.Placement p, Set<UUID> hidden) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_id", p.serviceId().toString());
        m.put("name", p.serviceName());
        m.put("version", p.version());
        m.put("status", p.status());
        m.put("origin", p.origin());
        if (p.sourceId() != null && !hidden.contains(p.sourceId())) m.put("source_id", p.sourceId().toString());
        return m;
    }

    private void object(Iterable<Field> fields, String prefix, Map<String, Object> values, Map<String, List<Draft.Link>> links,
                        Set<UUID> hidden, Map<String, Object> out) {
        for (Field f : fields) {
            String path = prefix + f.name;
            switch (f.type) {
                case OBJECT -> {
                    Map<String, Object> child = new LinkedHashMap<>();
                    object(f.children().values(), path + ".", values, links, hidden, child);
                    out.put(f.name, child.values().stream().allMatch(Renderer::isEmpty) ? null : child);
                }
                case REFS -> out.put(f.name, links.getOrDefault(path, List.of()).stream().filter(l -> !hidden.contains(l.target())).map(l -> {
                    if (f.linkAttribute() == null) return (Object) l.target().toString();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("target_id", l.target().toString());
                    m.put(f.linkAttribute(), l.attribute());
                    return m;
                }).toList());
                case TAGS, SERVICES -> { /* added after the schema fields */ }
                case LIST -> out.put(f.name, stripSecrets(f, values.get(path) == null ? List.of() : values.get(path)));
                default -> {
                    Object v = values.get(path);
                    out.put(f.name, v instanceof UUID u ? (hidden.contains(u) ? null : u.toString()) : v);
                }
            }
        }
    }

    /** Write-only secrets never leave: an entry shows {@code has_secret} instead. */
    static Object stripSecrets(Field list, Object value) {
        if (list.item() == null || list.item().type != Type.OBJECT
                || list.item().children().values().stream().noneMatch(c -> c.type == Type.SECRET)) {
            return value;
        }
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            Map<String, Object> m = new LinkedHashMap<>();
            @SuppressWarnings("unchecked") Map<String, Object> item = (Map<String, Object>) o;
            for (Field c : list.item().children().values()) {
                if (c.type == Type.SECRET) m.put("has_secret", item.get(c.name) != null);
                else m.put(c.name, item.get(c.name));
            }
            out.add(m);
        }
        return out;
    }

    private static boolean isEmpty(Object v) {
        return v == null || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
    }

    /**
     * The records that link to {@code id}, grouped by their collection and limited to what the
     * scope may read: a server's applications, databases and load balancers; a system's members.
     * With {@code asOf}, those that linked to it then, with their names then (deleted since or not).
     */
    public Map<String, Object> referencedBy(Kind kind, UUID id, Scope scope, OffsetDateTime asOf) {
        Map<String, Map<UUID, List<String>>> viaBySource = new LinkedHashMap<>();
        List<Kind> sources = new ArrayList<>();
        for (Kind other : kinds.all()) {
            if (other.fields().stream().anyMatch(f -> f.type == Type.REFS && f.refKinds().contains(kind.collection()))) {
                viaBySource.put(other.collection(), new LinkedHashMap<>());
                sources.add(other);
            }
        }
        Map<UUID, String> names = new HashMap<>();
        for (RecordStore.Referrer r : store.referrers(sources, id, scope, asOf)) {
            names.put(r.id(), r.name());
            viaBySource.get(r.collection()).computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r.field());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        viaBySource.forEach((collection, via) -> out.put(collection, via.entrySet().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.getKey().toString());
            m.put("name", names.get(e.getKey()));
            m.put("via", e.getValue());
            return m;
        }).toList()));
        return out;
    }
}
