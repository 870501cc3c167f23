package io.maestro.core.record;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Create, read, list, replace, patch and delete for every kind: validation, access, relations,
 * automatic service entries and duplicate warnings, each write in one transaction.
 */
@Service
public class RecordService {
    private final Kinds kinds;
    private final RecordStore store;
    private final Relations relations;
    private final Tags tags;
    private final ServicePlacements placements;
    private final Validator validator;
    private final Renderer renderer;
    private final ListQueryParser queries;
    private final NamedParameterJdbcTemplate jdbc;
    private final ChangeLog changeLog;
    private final RefResolver refs;
    private final Visibility visibility;
    private final RecordParts parts;

    RecordService(Kinds kinds, RecordStore store, Relations relations, Tags tags, ServicePlacements placements,
                  Validator validator, Renderer renderer, ListQueryParser queries, NamedParameterJdbcTemplate jdbc,
                  ChangeLog changeLog, RefResolver refs, Visibility visibility, RecordParts parts) {
        this.visibility = visibility;
        this.parts = parts;
        this.changeLog = changeLog;
        this.refs = refs;
        this.kinds = kinds;
        this.store = store;
        this.relations = relations;
        this.tags = tags;
        this.placements = placements;
        this.validator = validator;
        this.renderer = renderer;
        this.queries = queries;
        this.jdbc = jdbc;
    }

    /** A record as written, with the warnings the write produced. */
    public record Written(Map<String, Object> record, List<Map<String, Object>> warnings, long version) {
    }

    /** One page of a list; {@code next} is the cursor of the following page, null on the last. */
    public record Listing(List<Map<String, Object>> items, long total, int page, int size, String next) {
    }

    // ---- reads

    /**
     * No transaction: its statements read committed data each (as they would inside one at READ
     * COMMITTED), and a plain read is the most frequent request, so it saves the COMMIT round trip.
     */
    public Map<String, Object> get(Kind kind, UUID id, Caller caller) {
        Scope scope = Scope.of(caller);
        Row row = store.find(kind, id, scope).orElseThrow(() -> notFound(kind));
        Map<String, Object> doc = renderer.render(kind, List.of(row), scope).get(0);
        doc.putAll(renderer.referencedBy(kind, id, scope, null));
        List<Map<String, Object>> warnings = warnings(kind, row.id(), row.teamId(), row.values(), scope);
        if (!warnings.isEmpty()) doc.put("warnings", warnings);
        return doc;
    }

    public long version(Kind kind, UUID id, Caller caller) {
        return store.find(kind, id, Scope.of(caller)).orElseThrow(() -> notFound(kind)).version();
    }

    /**
     * A record as it stood at {@code asOf} (deleted since or not) with the records that linked to
     * it then, without what the caller may not read now.
     */
    @Transactional(readOnly = true)
    public Map<String, Object> getAsOf(Kind kind, UUID id, OffsetDateTime asOf, Caller caller) {
        Scope scope = Scope.of(caller);
        Map<String, Object> doc = store.findAsOf(kind, id, scope, asOf).orElseThrow(() -> notFound(kind));
        // those of every team, then hidden with the links of the document, by the same rule
        doc.putAll(renderer.referencedBy(kind, id, Scope.unrestricted(), asOf));
        return visibility.mask(List.of(doc), scope).get(0);
    }

    @Transactional(readOnly = true)
    public Listing list(Kind kind, Map<String, String[]> params, Caller caller) {
        ListQuery query = queries.parse(kind, params);
        Scope scope = Scope.of(caller);
        OffsetDateTime asOf = AsOf.parse(params);
        if (asOf != null) {
            RecordStore.DocPage then = store.listAsOf(kind, query, scope, asOf);
            return new Listing(visibility.mask(then.docs(), scope), then.total(), query.page(), query.size(), null);
        }
        RecordStore.Page page = store.list(kind, query, scope);
        return new Listing(renderer.render(kind, page.rows(), scope), page.total(), query.page(), query.size(), page.next());
    }

    /** Names of records by id, limited to what the caller may read (the UI's links to related records). */
    @Transactional(readOnly = true)
    public Map<UUID, String> names(Kind kind, java.util.Collection<UUID> ids, Caller caller) {
        return store.names(kind, new ArrayList<>(new java.util.LinkedHashSet<>(ids)), Scope.of(caller));
    }

    /** Records that share a duplicate-warned value (hostname, private IP, name) with another of their team. */
    public record DuplicateGroup(String field, String code, Object value, Map<UUID, String> records) {
    }

    /** Up to {@code limit} groups of duplicates per rule of {@code kind}, among what the caller may read (the dashboard). */
    @Transactional(readOnly = true)
    public List<DuplicateGroup> duplicateGroups(Kind kind, Caller caller, int limit) {
        Scope scope = Scope.of(caller);
        List<DuplicateGroup> out = new ArrayList<>();
        for (Kind.DuplicateRule rule : kind.duplicateRules()) {
            String column = Field.column(rule.field());
            for (Map.Entry<UUID, Object> repeated : store.repeatedValues(kind, column, rule.ignoreCase(), scope, limit)) {
                List<UUID> ids = store.duplicates(kind, Map.of(rule.field(), repeated.getValue()), repeated.getKey(), new UUID(0, 0), scope)
                        .getOrDefault(rule, List.of());
                out.add(new DuplicateGroup(rule.field(), rule.code(), repeated.getValue(), store.names(kind, ids, scope)));
            }
        }
        return out;
    }

    // ---- writes

    @Transactional
    public Written create(Kind kind, Object body, Caller caller) {
        return insert(kind, object(body), UUID.randomUUID(), null, caller);
    }

    private Written insert(Kind kind, Map<String, Object> input, UUID id, Map<String, Object> stored, Caller caller) {
        Errors errors = new Errors();
        UUID teamId = team(kind, input.get("team_id"), caller, errors);
        Draft draft = validate(kind, input, id, stored, caller, errors);
        checkUnique(kind, draft, id, caller);
        OffsetDateTime now = now();
        store.insert(kind, id, teamId, now, draft);
        writeParts(kind, id, draft, now, caller);
        logChanges(kind, List.of(id), "create", caller, now);
        return written(kind, id, teamId, draft, caller);
    }

    /**
     * Brings a record back to its state at {@code asOf}, as a new change: an update when it still
     * exists, a re-creation with the same id when it was deleted since. Links to records that no
     * longer exist are dropped; uniqueness rules apply as to any write (409).
     */
    @Transactional
    public Written restore(Kind kind, UUID id, OffsetDateTime asOf, Caller caller) {
        if (asOf == null) throw ProblemException.badField("as_of", "is required");
        Scope scope = Scope.of(caller);
        // what the caller may not read is not restored (and not named in errors); keepHidden keeps it where it still is
        Map<String, Object> doc = visibility.mask(List.of(store.findAsOf(kind, id, scope, asOf).orElseThrow(() -> notFound(kind))), scope).get(0);
        Row then = store.versionAt(kind, id, asOf).orElseThrow(() -> notFound(kind));
        Map<String, Object> input = withoutDanglingLinks(kind, doc, scope);
        var current = store.find(kind, id, scope);
        if (current.isPresent()) {
            return update(kind, writable(kind, id, null, caller), input, then.values(), caller);
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " WHERE id = :id", Map.of("id", id), Long.class) > 0) {
            throw notFound(kind);
        }
        return insert(kind, input, id, then.values(), caller);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> withoutDanglingLinks(Kind kind, Map<String, Object> doc, Scope scope) {
        Map<String, Object> input = new LinkedHashMap<>(doc);
        for (Field f : kind.fields()) {
            if (f.type != Type.REFS || !(input.get(f.name) instanceof List<?> links)) continue;
            List<UUID> ids = links.stream().map(l -> UUID.fromString(String.valueOf(l instanceof Map<?, ?> m ? m.get("target_id") : l))).toList();
            Set<UUID> alive = new HashSet<>();
            f.refKinds().forEach(k -> kinds.find(k).ifPresent(target -> alive.addAll(store.existing(target, ids, scope))));
            input.put(f.name, links.stream()
                    .filter(l -> alive.contains(UUID.fromString(String.valueOf(l instanceof Map<?, ?> m ? m.get("target_id") : l)))).toList());
        }
        if (input.get("services") instanceof List<?> services) {
            List<UUID> ids = services.stream().map(x -> UUID.fromString(String.valueOf(((Map<String, Object>) x).get("service_id")))).toList();
            Set<UUID> alive = new HashSet<>(store.existing(kinds.get("services"), ids, scope));
            input.put("services", services.stream().filter(x -> alive.contains(UUID.fromString(String.valueOf(((Map<String, Object>) x).get("service_id"))))).toList());
        }
        return input;
    }

    @Transactional
    public Written replace(Kind kind, UUID id, Object body, Long ifMatch, Caller caller) {
        Row existing = writable(kind, id, ifMatch, caller);
        return update(kind, existing, object(body), caller);
    }

    @Transactional
    public Written patch(Kind kind, UUID id, Object body, Long ifMatch, Caller caller) {
        Row existing = writable(kind, id, ifMatch, caller);
        Map<String, Object> current = renderer.render(kind, List.of(existing), Scope.of(caller)).get(0);
        Object patched = MergePatch.apply(current, object(body));
        return update(kind, existing, object(patched), caller);
    }

    private Written update(Kind kind, Row existing, Map<String, Object> input, Caller caller) {
        return update(kind, existing, input, existing.values(), caller);
    }

    private Written update(Kind kind, Row existing, Map<String, Object> input, Map<String, Object> stored, Caller caller) {
        Errors errors = new Errors();
        boolean moves = input.containsKey("team_id") && input.get("team_id") != null
                && !String.valueOf(input.get("team_id")).equals(existing.teamId().toString());
        // Moving a record to another team takes it away from its team: an access change, for record admins.
        if (moves) requireAdmin(kind, existing, caller);
        UUID teamId = moves ? team(kind, input.get("team_id"), caller, errors) : existing.teamId();
        Draft draft = validate(kind, input, existing.id(), stored, caller, errors);
        keepHidden(kind, existing, draft, Scope.of(caller));
        checkUnique(kind, draft, existing.id(), caller);
        OffsetDateTime now = now();
        if (!store.update(kind, existing.id(), existing.version(), teamId, now, draft)) {
            throw preconditionFailed();
        }
        writeParts(kind, existing.id(), draft, now, caller);
        renameReferences(kind, existing.name(), draft.string("name"), now, caller);
        logChanges(kind, List.of(existing.id()), "update", caller, now);
        return written(kind, existing.id(), teamId, draft, caller);
    }

    /** Records that name a catalog entry (a load balancer's service, a datacenter's provider) follow its rename. */
    private void renameReferences(Kind kind, String oldName, String newName, OffsetDateTime now, Caller caller) {
        if (oldName == null || newName == null || oldName.equals(newName)) return;
        for (Kind other : kinds.all()) {
            for (RecordStore.Column c : store.columns(other)) {
                if (c.field().type == Type.CATALOG && c.field().refKinds().contains(kind.collection())) {
                    List<UUID> changed = store.idsWhere(other, c.name(), oldName, Integer.MAX_VALUE);
                    store.replaceValue(other, c.name(), oldName, newName);
                    touch(other, changed, now, caller);
                }
            }
        }
    }

    @Transactional
    public void delete(Kind kind, UUID id, Long ifMatch, boolean detach, Caller caller) {
        Scope scope = Scope.of(caller);
        Row row = store.findForUpdate(kind, id, scope).orElseThrow(() -> notFound(kind));
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        requireAdmin(kind, row, caller);
        OffsetDateTime now = now();
        List<String> usages = usages(kind, row);
        if (!usages.isEmpty() && !detach) {
            throw ProblemException.conflict(kind.label() + " '" + row.name() + "' is still used by " + String.join(", ", usages)
                    + "; detach them first or delete with ?detach=true").with("usages", usages);
        }
        detachUsages(kind, row, now, caller);
        List<Relations.Edge> pointing = relations.to(id);
        List<UUID> serversWithAuto = placementServers(id);
        changeLog.record(kind, id, "delete", caller.actor(), null, now);
        relations.deleteTo(id);
        relations.deleteFrom(id);
        tags.delete(id);
        placements.deleteFor(id);
        jdbc.update("DELETE FROM record_access WHERE record_id = :id AND kind = :kind", Map.of("id", id, "kind", kind.collection()));
        // the version check is part of the delete itself: a change that slipped in rolls all of this back
        if (!store.delete(kind, id, row.version())) throw preconditionFailed();
        Map<String, List<UUID>> bySource = new LinkedHashMap<>();
        pointing.forEach(e -> bySource.computeIfAbsent(e.srcKind(), k -> new ArrayList<>()).add(e.srcId()));
        bySource.forEach((collection, ids) -> kinds.find(collection).ifPresent(src -> touch(src, ids, now, caller)));
        touch(kinds.get("servers"), serversWithAuto, now, caller);
    }

    /**
     * A record changed through others (a linked record was deleted, an automatic service entry
     * came or went): new version, new history entry.
     */
    void touch(Kind kind, java.util.Collection<UUID> ids, OffsetDateTime now, Caller caller) {
        List<UUID> distinct = ids.stream().distinct().toList();
        if (distinct.isEmpty()) return;
        store.touch(kind, distinct, now);
        logChanges(kind, distinct, "update", caller, now);
    }

    /** Hands the records as they now are to the change log (history), in this transaction. */
    void logChanges(Kind kind, List<UUID> ids, String action, Caller caller, OffsetDateTime now) {
        List<Row> rows = store.findAll(kind, ids);
        // as every reader sees the record, without per-caller parts (counts) that are not its own
        List<Map<String, Object>> docs = renderer.render(kind, rows, Scope.unrestricted());
        List<ChangeLog.Change> changes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> doc = docs.get(i);
            kind.counts().forEach(c -> doc.remove(c.name()));
            changes.add(new ChangeLog.Change(rows.get(i).id(), action, doc, rows.get(i)));
        }
        changeLog.recordAll(kind, changes, caller.actor(), now);
    }

    // ---- the parts of a write

    /** Validates the input; {@code errors} may already hold errors of the request (team_id), reported together. */
    private Draft validate(Kind kind, Map<String, Object> input, UUID id, Map<String, Object> stored, Caller caller, Errors errors) {
        Map<String, Object> in = new LinkedHashMap<>(input);
        in.remove("team_id");
        kind.prepare(in);
        Validator.Context ctx = validator.context(errors, stored, kinds.ignoredOnWrite(kind)).forRecord(id);
        Draft draft = validator.validate(kind, in, ctx);
        refs.resolve(List.of(new RefResolver.Item(draft, ctx)), Scope.of(caller), caller.actor(), now());
        kind.check(draft, errors);
        errors.throwIfAny();
        return draft;
    }

    private void writeParts(Kind kind, UUID id, Draft draft, OffsetDateTime now, Caller caller) {
        if (kind.fields().stream().anyMatch(f -> f.type == Type.REFS)) relations.replace(kind, id, draft.links);
        tags.replace(kind, id, draft.tags);
        if (draft.services != null) placements.replaceManual(id, draft.services);
        Kind.AutoService auto = kind.autoService();
        if (auto != null) {
            String serviceName = auto.serviceOf().apply(draft);
            List<UUID> servers = draft.linkIds(auto.serversField());
            // the catalog learns the service when it runs somewhere, not for every database on no server
            UUID serviceId = serviceName == null || servers.isEmpty() ? null : refs.catalogEntry("services", serviceName, caller.actor(), now);
            Set<UUID> changed = placements.syncAuto(id, serviceId, servers);
            touch(kinds.get("servers"), changed, now, caller);
        }
    }

    private Written written(Kind kind, UUID id, UUID teamId, Draft draft, Caller caller) {
        Row row = store.find(kind, id, Scope.unrestricted()).orElseThrow();
        Scope scope = Scope.of(caller);
        Map<String, Object> doc = renderer.render(kind, List.of(row), scope).get(0);
        List<Map<String, Object>> warnings = warnings(kind, id, teamId, draft.values, scope);
        if (!warnings.isEmpty()) doc.put("warnings", warnings);
        return new Written(doc, warnings, row.version());
    }

    /**
     * Duplicate warnings: same value in the same team is allowed, but said. The conflicts listed
     * are those the caller may read (someone the record is shared with sees no other ids of its team).
     */
    private List<Map<String, Object>> warnings(Kind kind, UUID id, UUID teamId, Map<String, Object> values, Scope scope) {
        List<Map<String, Object>> out = new ArrayList<>();
        store.duplicates(kind, values, teamId, id, scope).forEach((rule, conflicts) -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("code", rule.code());
            w.put("field", rule.field());
            w.put("message", "another " + kind.label().toLowerCase() + " in this team has the same " + rule.field());
            w.put("conflicts", conflicts.stream().map(UUID::toString).toList());
            out.add(w);
        });
        return out;
    }

    /** Uniqueness rules: 409 naming the record that already holds the value (if the caller may read it). */
    private void checkUnique(Kind kind, Draft draft, UUID self, Caller caller) {
        if (kind.uniqueName()) {
            store.lockName(kind, draft.string("name"));
            store.idByName(kind, draft.string("name")).filter(other -> !other.equals(self)).ifPresent(other -> {
                throw ProblemException.conflict("A " + kind.label().toLowerCase() + " named '" + draft.string("name") + "' already exists")
                        .with("existing_id", other.toString());
            });
        }
        for (Kind.UniqueRule rule : kind.uniqueRules()) {
            Map<String, Object> params = new LinkedHashMap<>();
            List<String> conds = new ArrayList<>();
            for (String path : rule.paths()) {
                Object v = draft.get(path);
                if (v == null) return;
                params.put("p" + params.size(), v);
                conds.add(Field.column(path) + " = :p" + (params.size() - 1));
            }
            // concurrent writes of the same values take turns, so the later ones see the first and name it
            store.lockName(kind, rule.paths() + "=" + params.values());
            params.put("self", self);
            List<UUID> existing = jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE " + String.join(" AND ", conds)
                    + " AND id <> :self", params, UUID.class);
            if (!existing.isEmpty()) {
                ProblemException conflict = new ProblemException(409, "Conflict", rule.message(),
                        List.of(new io.maestro.core.FieldError(rule.paths().get(rule.paths().size() - 1), "already used")));
                if (!store.existing(kind, List.of(existing.get(0)), Scope.of(caller)).isEmpty()) {
                    conflict.with("existing_id", existing.get(0).toString());
                }
                throw conflict;
            }
        }
    }

    // ---- usages (delete protection)

    /** What still uses a record of a kind that refuses deletion while used (datacenters, catalog entries). */
    private List<String> usages(Kind kind, Row row) {
        List<String> out = new ArrayList<>();
        if (!kind.protectedWhileUsed()) return out;
        for (Kind other : kinds.all()) {
            for (RecordStore.Column c : store.columns(other)) {
                Object value = referenceValue(kind, c.field(), row);
                if (value == null) continue;
                int n = store.idsWhere(other, c.name(), value, 1001).size();
                if (n > 0) out.add((n > 1000 ? "over 1000" : n) + " " + other.collection() + " (" + c.path() + ")");
            }
        }
        Map<String, Integer> linked = new LinkedHashMap<>();
        relations.to(row.id()).forEach(e -> linked.merge(e.srcKind(), 1, Integer::sum));
        linked.forEach((k, n) -> out.add(n + " " + k));
        if (kind.collection().equals("services")) {
            long n = placements.countUsing(row.id());
            if (n > 0) out.add(n + " server service entries");
        }
        return out;
    }

    private static Object referenceValue(Kind kind, Field f, Row row) {
        if (f.type == Type.REF && f.refKinds().contains(kind.collection())) return row.id();
        if (f.type == Type.CATALOG && f.refKinds().contains(kind.collection())) return row.name();
        return null;
    }

    private void detachUsages(Kind kind, Row row, OffsetDateTime now, Caller caller) {
        if (!kind.protectedWhileUsed()) return;
        for (Kind other : kinds.all()) {
            for (RecordStore.Column c : store.columns(other)) {
                Object value = referenceValue(kind, c.field(), row);
                if (value == null) continue;
                List<UUID> users = store.idsWhere(other, c.name(), value, Integer.MAX_VALUE);
                store.clearReference(other, c, value);
                touch(other, users, now, caller);
            }
        }
        if (kind.collection().equals("services")) {
            List<UUID> servers = jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE service_id = :id",
                    Map.of("id", row.id()), UUID.class);
            placements.deleteService(row.id());
            touch(kinds.get("servers"), servers, now, caller);
        }
    }

    private List<UUID> placementServers(UUID sourceId) {
        return jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE source_id = :id", Map.of("id", sourceId), UUID.class);
    }

    // ---- access

    /** The team a new record goes to (bulk rows): as below, with a bad team_id answered at once. */
    UUID team(Kind kind, Object requested, Caller caller) {
        Errors errors = new Errors();
        UUID id = team(kind, requested, caller, errors);
        errors.throwIfAny();
        return id;
    }

    /**
     * The team a new record goes to: the one named, if the caller belongs to it, else their default
     * team. A bad or unknown team_id is a field error, reported with the others.
     */
    private UUID team(Kind kind, Object requested, Caller caller, Errors errors) {
        if (kind.global()) {
            if (!caller.globalAdmin()) throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
            return defaultTeam();
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (requested == null) {
            if (caller.defaultTeamId() == null) errors.add("team_id", "is required (you belong to no team)");
            return caller.defaultTeamId();
        }
        UUID id = Validator.uuid("team_id", requested, errors);
        if (id == null) return null;
        List<UUID> exists = jdbc.queryForList("SELECT id FROM team WHERE id = :id", Map.of("id", id), UUID.class);
        if (exists.isEmpty()) {
            errors.add("team_id", "no team with id " + id);
            return null;
        }
        if (!caller.isMember(id)) throw ProblemException.forbidden("You are not a member of team " + id);
        return id;
    }

    private Row writable(Kind kind, UUID id, Long ifMatch, Caller caller) {
        Row row = store.findForUpdate(kind, id, Scope.of(caller)).orElseThrow(() -> notFound(kind));
        if (kind.global() && !caller.globalAdmin()) {
            throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (!kind.global() && !mayChange(kind, row.id(), row.teamId(), caller)) {
            throw ProblemException.forbidden("You may read but not change this " + kind.label().toLowerCase());
        }
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        return row;
    }

    /**
     * A writer sees only the links and references it may read, and sends back only those: the
     * ones it cannot see (to records of other teams) are kept, never silently dropped.
     */
    private void keepHidden(Kind kind, Row existing, Draft draft, Scope scope) {
        if (scope.unrestrictedAccess()) return;
        keepHidden(kind, Map.of(existing, draft), parts.of(kind, List.of(existing.id())).links(), scope);
    }

    /**
     * The same for many updates at once (bulk): {@code stored} holds the records' current links;
     * one query per linked kind for all of them.
     */
    void keepHidden(Kind kind, Map<Row, Draft> updates, Map<UUID, Map<String, List<Draft.Link>>> stored, Scope scope) {
        if (scope.unrestrictedAccess() || updates.isEmpty()) return;
        Map<String, Set<UUID>> byKind = new LinkedHashMap<>();
        List<RecordStore.Column> refColumns = store.columns(kind).stream().filter(c -> c.field().type == Type.REF).toList();
        updates.forEach((existing, draft) -> {
            stored.getOrDefault(existing.id(), Map.of()).values().forEach(list -> list.forEach(l ->
                    byKind.computeIfAbsent(l.targetKind(), k -> new HashSet<>()).add(l.target())));
            for (RecordStore.Column c : refColumns) {
                if (existing.values().get(c.path()) instanceof UUID id && draft.values.get(c.path()) == null) {
                    c.field().refKinds().stream().filter(k -> kinds.find(k).isPresent())
                            .forEach(k -> byKind.computeIfAbsent(k, x -> new HashSet<>()).add(id));
                }
            }
        });
        Set<UUID> hidden = new HashSet<>();
        Set<UUID> readable = new HashSet<>();
        byKind.forEach((collection, ids) -> kinds.find(collection).ifPresent(k -> {
            hidden.addAll(ids);
            readable.addAll(store.existing(k, new ArrayList<>(ids), scope));
        }));
        hidden.removeAll(readable);
        if (hidden.isEmpty()) return;
        updates.forEach((existing, draft) -> {
            stored.getOrDefault(existing.id(), Map.of()).forEach((field, list) -> list.stream().filter(l -> hidden.contains(l.target())).forEach(l -> {
                List<Draft.Link> target = new ArrayList<>(draft.links.getOrDefault(field, List.of()));
                if (target.stream().noneMatch(t -> t.target().equals(l.target()))) target.add(l);
                draft.links.put(field, target);
            }));
            for (RecordStore.Column c : refColumns) {
                if (existing.values().get(c.path()) instanceof UUID id && draft.values.get(c.path()) == null && hidden.contains(id)) {
                    draft.values.put(c.path(), id);
                }
            }
        });
    }

    void requireAdmin(Kind kind, Row row, Caller caller) {
        if (kind.global()) {
            if (!caller.globalAdmin()) throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
            return;
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (!mayAdminister(kind, row.id(), row.teamId(), caller)) {
            throw ProblemException.forbidden("Only admins of the owning team may delete this " + kind.label().toLowerCase());
        }
    }

    /** What a caller may do with a record they can read: change it; delete, share or move it. */
    public record Rights(boolean change, boolean administer) {
    }

    /**
     * The rights {@link #writable} and {@link #requireAdmin} enforce, asked ahead so the UI
     * offers only what will work. {@code teamId} is the record's owning team.
     */
    public Rights rights(Kind kind, UUID id, UUID teamId, Caller caller) {
        if (caller.readOnly() || (kind.global() && !caller.globalAdmin())) return new Rights(false, false);
        if (kind.global()) return new Rights(true, true);
        boolean admin = mayAdminister(kind, id, teamId, caller);
        return new Rights(admin || mayChange(kind, id, teamId, caller), admin);
    }

    /** Members of the owning team, and those it is shared with at write or admin. */
    private boolean mayChange(Kind kind, UUID id, UUID teamId, Caller caller) {
        return caller.isMember(teamId) || shared(kind, id, caller, Set.of("write", "admin"));
    }

    /** Admins of the owning team (and global admins), and those it is shared with at admin. */
    private boolean mayAdminister(Kind kind, UUID id, UUID teamId, Caller caller) {
        return caller.isTeamAdmin(teamId) || shared(kind, id, caller, Set.of("admin"));
    }

    boolean shared(Kind kind, UUID recordId, Caller caller, Set<String> levels) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", recordId);
        params.put("kind", kind.collection());
        params.put("user", caller.userId());
        params.put("levels", levels);
        String teams = "";
        if (!caller.teamIds().isEmpty()) {
            params.put("teams", caller.teamIds());
            teams = " OR team_id IN (:teams)";
        }
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_access WHERE record_id = :id AND kind = :kind AND level IN (:levels) AND (user_id = :user"
                + teams + ")", params, Long.class);
        return n != null && n > 0;
    }

    private UUID defaultTeam() {
        return jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", Map.of(), UUID.class);
    }

    // ---- small helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object body) {
        if (!(body instanceof Map)) throw ProblemException.badField("body", "must be a JSON object");
        return (Map<String, Object>) body;
    }

    private static ProblemException notFound(Kind kind) {
        return ProblemException.notFound(kind.label());
    }

    private static ProblemException preconditionFailed() {
        return new ProblemException(412, "Precondition failed", "The record was changed since you read it (its version does not match If-Match)");
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
