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
    private final Map<String, ReferrerSources> referrerSources = new java.util.concurrent.ConcurrentHashMap<>();

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
        RecordParts.Parts parts = this.parts.of(kind, ids);
        Set<UUID> hidden = hidden(kind, rows, parts, (target, candidates) -> store.existing(target, new ArrayList<>(candidates), scope), scope);
        Map<String, Map<UUID, Long>> counts = new HashMap<>();
        for (Kind.Count c : kind.counts()) {
            counts.put(c.name(), store.countBy(kinds.get(c.kind()), c.column(), ids, scope));
        }
        List<Map<String, Object>> out = build(kind, rows, parts, hidden, counts);
        owners.renderDrift(rows, out);
        return out;
    }

    /** One record read by {@link RecordReadStore} with everything it needs: rendered without another statement. */
    public Map<String, Object> render(Kind kind, RecordReadStore.Read read, Scope scope) {
        Set<UUID> hidden = hidden(kind, List.of(read.row()), read.parts(), (target, candidates) -> read.readable(), scope);
        Map<String, Map<UUID, Long>> counts = new HashMap<>();
        read.counts().forEach((name, n) -> counts.put(name, Map.of(read.row().id(), n)));
        List<Map<String, Object>> out = build(kind, List.of(read.row()), read.parts(), hidden, counts);
        owners.renderDrift(List.of(read.row()), out, Map.of(read.row().id(), read.owned()));
        return out.get(0);
    }

    private List<Map<String, Object>> build(Kind kind, List<Row> rows, RecordParts.Parts parts, Set<UUID> hidden,
                                            Map<String, Map<UUID, Long>> counts) {
        boolean hasServices = kind.fields().stream().anyMatch(f -> f.type == Type.SERVICES);
        Map<UUID, Map<String, List<Draft.Link>>> links = parts.links();
        Map<UUID, List<Draft.Tag>> tagMap = parts.tags();
        Map<UUID, List<ServicePlacements.Placement>> services = parts.services();
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
            for (Kind.Count c : kind.counts()) doc.put(c.name(), counts.getOrDefault(c.name(), Map.of()).getOrDefault(row.id(), 0L));
            if (!kind.global()) doc.put("team_id", row.teamId().toString());
            doc.put("created_at", time(row.createdAt()));
            doc.put("updated_at", time(row.updatedAt()));
            doc.put("version", row.version());
            out.add(doc);
        }
        return out;
    }

    /** Which of some ids of one kind the caller may read. */
    private interface Readable {
        java.util.Collection<UUID> of(Kind target, Set<UUID> candidates);
    }

    /**
     * Ids these rows point at that the caller may not read: linked records of other teams, a
     * datacenter not shared with them, the source of an automatic service entry. They are left
     * out of what the caller sees (RecordService keeps them on writes), so no foreign id leaks.
     */
    private Set<UUID> hidden(Kind kind, List<Row> rows, RecordParts.Parts parts, Readable readableOf, Scope scope) {
        if (scope.unrestrictedAccess()) return Set.of();
        Map<UUID, Map<String, List<Draft.Link>>> links = parts.links();
        Map<UUID, List<ServicePlacements.Placement>> services = parts.services();
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
            readable.addAll(readableOf.of(k, ids));
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
        ReferrerSources sources = referrerSources(kind);
        return referencedBy(sources, store.referrers(sources.kinds(), sources.columns(), id, scope, asOf));
    }

    /**
     * What may point at a record of a kind: the kinds whose {@code refs()} relations may link to it,
     * and the {@code ref()} columns of other kinds that name it (a volume's server_id).
     */
    public record ReferrerSources(List<Kind> kinds, List<Map.Entry<Kind, RecordStore.Column>> columns) {
    }

    /** The kinds and {@code ref()} columns whose links may point at a record of {@code kind} (fixed once the kinds are: found once per kind, not per read). */
    public ReferrerSources referrerSources(Kind kind) {
        return referrerSources.computeIfAbsent(kind.collection(), c -> findReferrerSources(kind));
    }

    private ReferrerSources findReferrerSources(Kind kind) {
        List<Kind> sources = kinds.all().stream()
                .filter(other -> other.fields().stream().anyMatch(f -> f.type == Type.REFS && f.refKinds().contains(kind.collection())))
                .toList();
        List<Map.Entry<Kind, RecordStore.Column>> columns = new ArrayList<>();
        for (Kind other : kinds.all()) for (RecordStore.Column c : referenceColumns(other, kind)) columns.add(Map.entry(other, c));
        return new ReferrerSources(sources, columns);
    }

    /** {@code referrers} (by name, as read) grouped by their collection, each kind that may link here present. */
    public Map<String, Object> referencedBy(ReferrerSources sources, List<RecordStore.Referrer> referrers) {
        Map<String, Map<UUID, List<String>>> viaBySource = new LinkedHashMap<>();
        for (Kind other : sources.kinds()) viaBySource.put(other.collection(), new LinkedHashMap<>());
        for (Map.Entry<Kind, RecordStore.Column> c : sources.columns()) viaBySource.put(c.getKey().collection(), new LinkedHashMap<>());
        Map<UUID, String> names = new HashMap<>();
        for (RecordStore.Referrer r : referrers) {
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

    /**
     * The {@code ref()} columns of {@code other} that point at {@code kind}, listed on its reads like
     * relations. A column the kind counts instead (a datacenter's server_count) is not listed: the
     * count stands for a list that may run to thousands.
     */
    private List<RecordStore.Column> referenceColumns(Kind other, Kind kind) {
        return store.columns(other).stream()
                .filter(c -> c.field().type == Type.REF && c.field().refKinds().contains(kind.collection()))
                .filter(c -> kind.counts().stream().noneMatch(n -> n.kind().equals(other.collection()) && n.column().equals(c.name())))
                .toList();
    }
}
