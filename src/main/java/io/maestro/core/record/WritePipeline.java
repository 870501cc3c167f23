package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.AccessStore;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The one sequence every write goes through, for a batch of records of one kind: authorise →
 * validate → resolve references → every unique rule (with its lock) → store → side effects
 * (relations, tags, service entries, automatic services, catalog renames and their
 * propagation) → history. A single write runs it as a batch of one and throws the failure of its
 * one item; {@code /bulk} runs it per chunk and reports each failed item by index. A failed item
 * stores nothing; the others of its batch go on. Deletes share the side effects
 * ({@link #usages}, {@link #detach}, {@link #touch}) and the history step.
 */
@Component
class WritePipeline {
    private final Kinds kinds;
    private final RecordStore store;
    private final Relations relations;
    private final Tags tags;
    private final ServicePlacements placements;
    private final Validator validator;
    private final Renderer renderer;
    private final ChangeLog changeLog;
    private final RefResolver refs;
    private final RecordParts parts;
    private final AccessPolicy access;
    private final AccessStore accessStore;
    private final Clock clock;

    WritePipeline(Kinds kinds, RecordStore store, Relations relations, Tags tags, ServicePlacements placements, Validator validator,
                  Renderer renderer, ChangeLog changeLog, RefResolver refs, RecordParts parts, AccessPolicy access, AccessStore accessStore,
                  Clock clock) {
        this.kinds = kinds;
        this.store = store;
        this.relations = relations;
        this.tags = tags;
        this.placements = placements;
        this.validator = validator;
        this.renderer = renderer;
        this.changeLog = changeLog;
        this.refs = refs;
        this.parts = parts;
        this.access = access;
        this.accessStore = accessStore;
        this.clock = clock;
    }

    /** The time a write stamps on its records, versions and history (the application's clock, to the millisecond). */
    OffsetDateTime now() {
        return io.maestro.core.Clocks.now(clock);
    }

    /** One record on its way: what was sent, what is stored, and what became of it. */
    static final class Item {
        final int index;
        final Map<String, Object> input;
        /** The record's id: given, matched, or chosen for a new one before the unique rules run (a conflict names it). */
        UUID id;
        /** The stored record an update replaces, null for a create. */
        Row existing;
        /** Stored values write-only secrets are kept from (the existing record's, or an old version's on restore). */
        Map<String, Object> stored;
        UUID teamId;
        Draft draft;
        Validator.Context ctx;
        final Errors errors = new Errors();
        /** Why the item stores nothing (400, 403, 409, 412), null while it goes on. */
        ProblemException failure;
        /** The item would store exactly what is stored (bulk only skips such rows). */
        boolean unchanged;

        Item(int index, Map<String, Object> input) {
            this.index = index;
            this.input = input;
        }

        boolean ok() {
            return failure == null;
        }

        void fail(ProblemException e) {
            if (failure == null) failure = e;
        }

        boolean isCreate() {
            return existing == null;
        }
    }

    /**
     * What one request remembers between its batches: unique values already claimed by its
     * earlier items (a repeat in the same request is refused like one already stored), and the
     * team lookups made.
     */
    static final class Request {
        final Map<String, UUID> names = new HashMap<>();
        final Map<Kind.UniqueRule, Map<List<Object>, UUID>> keys = new HashMap<>();
        final Map<String, Object> teams = new HashMap<>();
        /** Bulk: an item that changes nothing is skipped (no new version, no history entry). */
        final boolean skipUnchanged;

        Request(boolean skipUnchanged) {
            this.skipUnchanged = skipUnchanged;
        }

        /** Forgets the claimed values (bulk, between chunks: the stored records answer for them from then on). */
        void forget() {
            names.clear();
            keys.clear();
        }
    }

    /** Runs every step for {@code items}; afterwards each item is stored or holds its failure. */
    void run(Kind kind, List<Item> items, Caller caller, OffsetDateTime now, Request request) {
        Scope scope = access.readScope(caller);
        authorise(kind, items, caller, request);
        validate(kind, items, caller, scope, now);
        Map<UUID, RecordParts.Parts> before = keepHidden(kind, items, scope);
        unique(kind, items, scope, request);
        if (request.skipUnchanged) markUnchanged(kind, items, before);
        List<Item> written = store(kind, items, now);
        sideEffects(kind, written, caller, now);
        history(kind, written, caller, now);
    }

    // ---- authorise

    private void authorise(Kind kind, List<Item> items, Caller caller, Request request) {
        for (Item it : items) {
            if (!it.ok()) continue;
            try {
                Object requested = it.input.get("team_id");
                if (it.existing != null) {
                    access.requireChange(kind, it.existing, caller);
                    boolean moves = requested != null && !String.valueOf(requested).equals(it.existing.teamId().toString());
                    // moving a record takes it away from its team: an access change, for admins of the record
                    if (moves) access.requireAdmin(kind, it.existing, caller);
                    it.teamId = moves ? team(kind, requested, caller, it, request) : it.existing.teamId();
                } else {
                    it.teamId = team(kind, requested, caller, it, request);
                    if (it.id == null) it.id = UUID.randomUUID();
                }
            } catch (ProblemException e) {
                it.fail(e);
            }
        }
    }

    /** The team for a new or moved record; the answer for one requested team is looked up once per request. */
    private UUID team(Kind kind, Object requested, Caller caller, Item it, Request request) {
        Object known = request.teams.computeIfAbsent(String.valueOf(requested), k -> {
            Errors errors = new Errors();
            try {
                UUID id = access.teamForNew(kind, requested, caller, errors);
                return errors.isEmpty() ? (id == null ? List.of() : id) : errors.list();
            } catch (ProblemException e) {
                return e;
            }
        });
        if (known instanceof ProblemException e) throw e;
        if (known instanceof UUID id) return id;
        @SuppressWarnings("unchecked") List<FieldError> errors = (List<FieldError>) known;
        errors.forEach(e -> it.errors.add(e.field(), e.message()));
        return null;
    }

    // ---- validate, resolve references, kind rules

    private void validate(Kind kind, List<Item> items, Caller caller, Scope scope, OffsetDateTime now) {
        List<RefResolver.Item> resolving = new ArrayList<>();
        for (Item it : items) {
            if (!it.ok()) continue;
            Map<String, Object> in = new LinkedHashMap<>(it.input);
            in.remove("team_id");
            kind.prepare(in);
            Map<String, Object> stored = it.stored != null ? it.stored : it.existing == null ? null : it.existing.values();
            it.ctx = validator.context(it.errors, stored, kinds.ignoredOnWrite(kind))
                    .forRecord(it.existing != null ? it.existing.id() : it.id);
            it.draft = validator.validate(kind, in, it.ctx);
            resolving.add(new RefResolver.Item(it.draft, it.ctx));
        }
        refs.resolve(resolving, scope, caller.actor(), now);
        for (Item it : items) {
            if (!it.ok()) continue;
            kind.check(it.draft, it.errors);
            if (!it.errors.isEmpty()) {
                try {
                    it.errors.throwIfAny();
                } catch (ProblemException e) {
                    it.fail(e);
                }
            }
        }
    }

    /**
     * A writer sees only the links and references it may read, and sends back only those: the
     * ones it cannot see (to records of other teams) are kept, never silently dropped. Returns
     * the updated records' stored parts (links, tags, services), read once for all of them.
     */
    private Map<UUID, RecordParts.Parts> keepHidden(Kind kind, List<Item> items, Scope scope) {
        List<Item> updates = items.stream().filter(it -> it.ok() && it.existing != null).toList();
        if (updates.isEmpty()) return Map.of();
        RecordParts.Parts old = parts.of(kind, updates.stream().map(it -> it.existing.id()).toList());
        Map<Row, Draft> byRow = new LinkedHashMap<>();
        updates.forEach(it -> byRow.put(it.existing, it.draft));
        keepHidden(kind, byRow, old.links(), scope);
        Map<UUID, RecordParts.Parts> out = new HashMap<>();
        updates.forEach(it -> out.put(it.existing.id(), old));
        return out;
    }

    private void keepHidden(Kind kind, Map<Row, Draft> updates, Map<UUID, Map<String, List<Draft.Link>>> stored, Scope scope) {
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

    // ---- unique rules

    /**
     * Every uniqueness rule of the kind: the case-insensitive unique name (catalogs) and each
     * {@link Kind.UniqueRule}. The values are locked first (in one order), so concurrent writes of
     * one value take turns and the later ones see and name the first; then they are looked up
     * among the stored records and the request's earlier items. 409 naming the holder when the
     * caller may read it.
     */
    private void unique(Kind kind, List<Item> items, Scope scope, Request request) {
        if (kind.uniqueName()) uniqueName(kind, items, request);
        for (Kind.UniqueRule rule : kind.uniqueRules()) uniqueRule(kind, rule, items, scope, request);
    }

    private void uniqueName(Kind kind, List<Item> items, Request request) {
        Map<Item, String> keyed = new LinkedHashMap<>();
        for (Item it : items) {
            String name = it.ok() ? it.draft.string("name") : null;
            if (name != null) keyed.put(it, name.strip().toLowerCase());
        }
        if (keyed.isEmpty()) return;
        store.lockNames(kind, new LinkedHashSet<>(keyed.values()));
        Map<String, UUID> held = store.idsByNames(kind, new HashSet<>(keyed.values()));
        keyed.forEach((it, key) -> {
            UUID other = request.names.get(key);
            if (other == null) other = held.get(key);
            if (other != null && !other.equals(it.id)) {
                it.fail(ProblemException.conflict("A " + kind.label().toLowerCase() + " named '" + it.draft.string("name") + "' already exists")
                        .with("existing_id", other.toString()));
                return;
            }
            request.names.put(key, it.id);
        });
    }

    private void uniqueRule(Kind kind, Kind.UniqueRule rule, List<Item> items, Scope scope, Request request) {
        Map<Item, List<Object>> keyed = new LinkedHashMap<>();
        for (Item it : items) {
            if (!it.ok()) continue;
            List<Object> key = rule.paths().stream().map(it.draft::get).toList();
            if (key.stream().noneMatch(Objects::isNull)) keyed.put(it, key);
        }
        if (keyed.isEmpty()) return;
        store.lockNames(kind, keyed.values().stream().map(key -> rule.paths() + "=" + key).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        // the values of the last (most selective) column, by its own index; the other columns are matched here
        String last = rule.paths().get(rule.paths().size() - 1);
        Set<Object> lastValues = new LinkedHashSet<>();
        keyed.values().forEach(key -> lastValues.add(key.get(key.size() - 1)));
        Map<List<Object>, UUID> held = new HashMap<>();
        for (Row row : store.findWhere(kind, Map.of(Field.column(last), new ArrayList<>(lastValues)))) {
            held.put(rule.paths().stream().map(p -> row.values().get(p)).toList(), row.id());
        }
        Map<List<Object>, UUID> claimed = request.keys.computeIfAbsent(rule, r -> new HashMap<>());
        keyed.forEach((it, key) -> {
            UUID earlier = claimed.get(key);
            if (earlier != null && !earlier.equals(it.id)) {
                it.fail(new ProblemException(409, "Conflict", rule.message(), List.of(new FieldError(last, "repeated in this request"))));
                return;
            }
            UUID other = held.get(key);
            if (other != null && !other.equals(it.id)) {
                ProblemException conflict = new ProblemException(409, "Conflict", rule.message(), List.of(new FieldError(last, "already used")));
                // the holder is named only to who may read it
                if (!store.existing(kind, List.of(other), scope).isEmpty()) conflict.with("existing_id", other.toString());
                it.fail(conflict);
                return;
            }
            claimed.put(key, it.id);
        });
    }

    // ---- store

    /** A row that would store exactly what is stored (an exported file posted back) changes nothing. */
    private void markUnchanged(Kind kind, List<Item> items, Map<UUID, RecordParts.Parts> before) {
        for (Item it : items) {
            if (!it.ok() || it.existing == null) continue;
            RecordParts.Parts old = before.get(it.existing.id());
            it.unchanged = old != null && sameAsStored(kind, it, old);
        }
    }

    private boolean sameAsStored(Kind kind, Item it, RecordParts.Parts old) {
        if (!it.teamId.equals(it.existing.teamId())) return false;
        for (RecordStore.Column c : store.columns(kind)) {
            if (!Objects.equals(normal(it.draft.values.get(c.path())), normal(it.existing.values().get(c.path())))) return false;
        }
        Map<String, List<Draft.Link>> links = old.links().getOrDefault(it.id, Map.of());
        for (Map.Entry<String, List<Draft.Link>> e : it.draft.links.entrySet()) {
            if (!e.getValue().equals(links.getOrDefault(e.getKey(), List.of()))) return false;
        }
        if (!it.draft.tags.equals(old.tags().getOrDefault(it.id, List.of()))) return false;
        if (it.draft.services != null) {
            List<Draft.ServiceEntry> manual = old.services().getOrDefault(it.id, List.of()).stream().filter(p -> "manual".equals(p.origin()))
                    .map(p -> new Draft.ServiceEntry(p.serviceId(), null, p.version(), p.status())).toList();
            List<Draft.ServiceEntry> now = it.draft.services.stream()
                    .map(s -> new Draft.ServiceEntry(s.serviceId(), null, s.version(), s.status())).toList();
            return manual.equals(now);
        }
        return true;
    }

    /** Values compared as JSON would: numbers by value, whatever their Java type. */
    static Object normal(Object v) {
        if (v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()) return null;
        if (v instanceof Number n) return new java.math.BigDecimal(n.toString()).stripTrailingZeros();
        if (v instanceof UUID u) return u.toString();
        if (v instanceof List<?> l) return l.stream().map(WritePipeline::normal).toList();
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new HashMap<>();
            m.forEach((k, x) -> {
                if (x != null) out.put(k, normal(x));
            });
            return out;
        }
        return v;
    }

    /**
     * Inserts the new records and updates the changed ones, each update only if its version is
     * still the one read (412 otherwise). Returns the items written.
     */
    private List<Item> store(Kind kind, List<Item> items, OffsetDateTime now) {
        List<Item> inserts = new ArrayList<>();
        List<Item> updates = new ArrayList<>();
        for (Item it : items) {
            if (!it.ok() || it.unchanged) continue;
            (it.existing == null ? inserts : updates).add(it);
        }
        store.insertAll(kind, inserts.stream().map(it -> new RecordStore.Write(it.id, it.teamId, it.draft)).toList(), now);
        List<Item> written = new ArrayList<>(inserts);
        if (updates.size() == 1) {
            Item it = updates.get(0);
            if (store.update(kind, it.id, it.existing.version(), it.teamId, now, it.draft)) written.add(it);
            else it.fail(preconditionFailed());
        } else if (!updates.isEmpty()) {
            boolean[] applied = store.updateAll(kind, updates.stream().map(it -> new RecordStore.Write(it.id, it.teamId, it.draft)).toList(),
                    updates.stream().map(it -> it.existing.version()).toList(), now);
            for (int i = 0; i < updates.size(); i++) {
                if (applied[i]) written.add(updates.get(i));
                else updates.get(i).fail(preconditionFailed());
            }
        }
        return written;
    }

    static ProblemException preconditionFailed() {
        return new ProblemException(412, "Precondition failed", "The record was changed since you read it (its version does not match If-Match)");
    }

    // ---- side effects

    private void sideEffects(Kind kind, List<Item> written, Caller caller, OffsetDateTime now) {
        if (written.isEmpty()) return;
        Map<UUID, Map<String, List<Draft.Link>>> links = new LinkedHashMap<>();
        Map<UUID, List<Draft.Tag>> tagMap = new LinkedHashMap<>();
        Map<UUID, List<Draft.ServiceEntry>> services = new LinkedHashMap<>();
        for (Item it : written) {
            links.put(it.id, it.draft.links);
            tagMap.put(it.id, it.draft.tags);
            if (it.draft.services != null) services.put(it.id, it.draft.services);
        }
        if (kind.fields().stream().anyMatch(f -> f.type == Type.REFS)) relations.replaceAll(kind, links);
        tags.replaceAll(kind, tagMap);
        placements.replaceManualAll(services);
        Kind.AutoService auto = kind.autoService();
        if (auto != null) {
            Set<UUID> servers = new LinkedHashSet<>();
            Map<String, UUID> serviceIds = new HashMap<>();
            for (Item it : written) {
                String name = auto.serviceOf().apply(it.draft);
                List<UUID> on = it.draft.linkIds(auto.serversField());
                // the catalog learns the service when it runs somewhere, not for every database on no server
                UUID serviceId = name == null || on.isEmpty() ? null
                        : serviceIds.computeIfAbsent(name.toLowerCase(), n -> refs.catalogEntry(kinds.serviceCatalog().collection(), name, caller.actor(), now));
                servers.addAll(placements.syncAuto(it.id, serviceId, on));
            }
            touch(kinds.serviceHost(), servers, now, caller);
        }
        for (Item it : written) {
            if (it.existing != null) renameReferences(kind, it.existing.name(), it.draft.string("name"), now, caller);
        }
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

    // ---- delete protection

    /** What still uses a record of a kind that refuses deletion while used (datacenters, catalog entries). */
    List<String> usages(Kind kind, Row row) {
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
        if (kind == kinds.serviceCatalog()) {
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

    /**
     * Clears what still uses {@code row} before it is deleted: {@code ref()} columns and catalog names
     * pointing at it, service entries. A protected kind gets here only when asked to detach; any
     * other kind's references are cleared like its relations, so no id is left dangling.
     */
    void detach(Kind kind, Row row, OffsetDateTime now, Caller caller) {
        for (Kind other : kinds.all()) {
            for (RecordStore.Column c : store.columns(other)) {
                Object value = referenceValue(kind, c.field(), row);
                if (value == null) continue;
                List<UUID> users = store.idsWhere(other, c.name(), value, Integer.MAX_VALUE);
                store.clearReference(other, c, value);
                touch(other, users, now, caller);
            }
        }
        if (kind == kinds.serviceCatalog()) {
            List<UUID> servers = placements.serversRunning(row.id());
            placements.deleteService(row.id());
            touch(kinds.serviceHost(), servers, now, caller);
        }
    }

    /** Removes a record and everything that is only its own: history entry first, then links, tags, entries, shares, the row. */
    void remove(Kind kind, Row row, OffsetDateTime now, Caller caller) {
        UUID id = row.id();
        List<Relations.Edge> pointing = relations.to(id);
        List<UUID> serversWithAuto = placements.serversWithEntriesOf(id);
        changeLog.record(kind, id, "delete", caller.actor(), null, now);
        relations.deleteTo(id);
        relations.deleteFrom(id);
        tags.delete(id);
        placements.deleteFor(id);
        accessStore.deleteShares(kind.collection(), id);
        // the version check is part of the delete itself: a change that slipped in rolls all of this back
        if (!store.delete(kind, id, row.version())) throw preconditionFailed();
        Map<String, List<UUID>> bySource = new LinkedHashMap<>();
        pointing.forEach(e -> bySource.computeIfAbsent(e.srcKind(), k -> new ArrayList<>()).add(e.srcId()));
        bySource.forEach((collection, ids) -> kinds.find(collection).ifPresent(src -> touch(src, ids, now, caller)));
        touch(kinds.serviceHost(), serversWithAuto, now, caller);
    }

    // ---- history

    private void history(Kind kind, List<Item> written, Caller caller, OffsetDateTime now) {
        List<UUID> created = written.stream().filter(Item::isCreate).map(it -> it.id).toList();
        List<UUID> updated = written.stream().filter(it -> !it.isCreate()).map(it -> it.id).toList();
        if (!created.isEmpty()) logChanges(kind, created, "create", caller, now);
        if (!updated.isEmpty()) logChanges(kind, updated, "update", caller, now);
    }

    /**
     * A record changed through others (a linked record was deleted, an automatic service entry
     * came or went, a catalog entry it names was renamed): new version, new history entry.
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
}
