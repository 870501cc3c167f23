package io.maestro.core.record;

import io.maestro.core.ProblemException;
import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final Renderer renderer;
    private final ListQueryParser queries;
    private final Visibility visibility;
    private final WritePipeline pipeline;
    private final AccessPolicy access;
    private final RecordReadStore reads;

    RecordService(Kinds kinds, RecordStore store, Renderer renderer, ListQueryParser queries, Visibility visibility,
                  WritePipeline pipeline, AccessPolicy access, RecordReadStore reads) {
        this.reads = reads;
        this.kinds = kinds;
        this.store = store;
        this.renderer = renderer;
        this.queries = queries;
        this.visibility = visibility;
        this.pipeline = pipeline;
        this.access = access;
    }

    /** A record as written, with the warnings the write produced. */
    public record Written(Map<String, Object> record, List<Map<String, Object>> warnings, long version) {
    }

    /**
     * One page of a list; {@code next} is the cursor of the following page, null on the last;
     * {@code total} null when the request asked for none ({@code total=false}).
     */
    public record Listing(List<Map<String, Object>> items, Long total, int page, int size, String next) {
    }

    // ---- reads

    /**
     * No transaction: its statements read committed data each (as they would inside one at READ
     * COMMITTED), and a plain read is the most frequent request, so it saves the COMMIT round trip.
     */
    public Map<String, Object> get(Kind kind, UUID id, Caller caller) {
        Scope scope = access.readScope(caller);
        Renderer.ReferrerSources sources = renderer.referrerSources(kind);
        RecordReadStore.Read read = reads.read(kind, id, scope, sources).orElseThrow(() -> notFound(kind));
        Map<String, Object> doc = renderer.render(kind, read, scope);
        doc.putAll(renderer.referencedBy(sources, read.referrers()));
        List<Map<String, Object>> warnings = warnings(kind, read.duplicates());
        if (!warnings.isEmpty()) doc.put("warnings", warnings);
        return doc;
    }

    /** Receives the rendered records of an export, a batch at a time. */
    public interface Batches {
        void accept(List<Map<String, Object>> docs) throws java.io.IOException;
    }

    /**
     * Every record of {@code kind} the caller may read, rendered as a read shows it, in id order
     * and {@code size} at a time: memory holds one batch however many records there are (exports).
     */
    public void export(Kind kind, Caller caller, int size, Batches batches) throws java.io.IOException {
        Scope scope = access.readScope(caller);
        UUID after = null;
        while (true) {
            List<Row> rows = store.batchAfter(kind, after, size, scope);
            if (rows.isEmpty()) return;
            batches.accept(renderer.render(kind, rows, scope));
            if (rows.size() < size) return;
            after = rows.get(rows.size() - 1).id();
        }
    }

    public long version(Kind kind, UUID id, Caller caller) {
        return store.find(kind, id, access.readScope(caller)).orElseThrow(() -> notFound(kind)).version();
    }

    /**
     * A record as it stood at {@code asOf} (deleted since or not) with the records that linked to
     * it then, without what the caller may not read now.
     */
    @Transactional(readOnly = true)
    public Map<String, Object> getAsOf(Kind kind, UUID id, OffsetDateTime asOf, Caller caller) {
        Scope scope = access.readScope(caller);
        Map<String, Object> doc = store.findAsOf(kind, id, scope, asOf).orElseThrow(() -> notFound(kind));
        // those of every team, then hidden with the links of the document, by the same rule
        doc.putAll(renderer.referencedBy(kind, id, Scope.unrestricted(), asOf));
        return visibility.mask(List.of(doc), scope).get(0);
    }

    @Transactional(readOnly = true)
    public Listing list(Kind kind, Map<String, String[]> params, Caller caller) {
        ListQuery query = queries.parse(kind, params);
        Scope scope = access.readScope(caller);
        OffsetDateTime asOf = AsOf.parse(params);
        if (asOf != null) {
            RecordStore.DocPage then = store.listAsOf(kind, query, scope, asOf);
            return new Listing(visibility.mask(then.docs(), scope), then.total(), query.page(), query.size(), null);
        }
        RecordStore.Page page = store.list(kind, query, scope);
        return new Listing(renderer.render(kind, page.rows(), scope), page.total(), query.page(), query.size(), page.next());
    }

    /**
     * The records of {@code ids} the caller may read, as a read renders them (without the records
     * linking to them and without warnings), by id: what a bulk edit applies its change to.
     */
    @Transactional(readOnly = true)
    public Map<UUID, Map<String, Object>> getAll(Kind kind, List<UUID> ids, Caller caller) {
        Scope scope = access.readScope(caller);
        java.util.Set<UUID> readable = new java.util.HashSet<>(store.existing(kind, ids, scope));
        List<Row> rows = store.findAll(kind, ids).stream().filter(r -> readable.contains(r.id())).toList();
        Map<UUID, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> doc : renderer.render(kind, rows, scope)) out.put(UUID.fromString(String.valueOf(doc.get("id"))), doc);
        return out;
    }

    /** Names of records by id, limited to what the caller may read (the UI's links to related records). */
    @Transactional(readOnly = true)
    public Map<UUID, String> names(Kind kind, java.util.Collection<UUID> ids, Caller caller) {
        return store.names(kind, new ArrayList<>(new java.util.LinkedHashSet<>(ids)), access.readScope(caller));
    }

    /** Records that share a duplicate-warned value (hostname, private IP, name) with another of their team. */
    public record DuplicateGroup(String field, String code, Object value, Map<UUID, String> records) {
    }

    /** Up to {@code limit} groups of duplicates per rule of {@code kind}, among what the caller may read (the dashboard). */
    @Transactional(readOnly = true)
    public List<DuplicateGroup> duplicateGroups(Kind kind, Caller caller, int limit) {
        Scope scope = access.readScope(caller);
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

    // ---- writes: each a batch of one through the write pipeline

    @Transactional
    public Written create(Kind kind, Object body, Caller caller) {
        return insert(kind, object(body), UUID.randomUUID(), null, caller);
    }

    private Written insert(Kind kind, Map<String, Object> input, UUID id, Map<String, Object> stored, Caller caller) {
        WritePipeline.Item item = new WritePipeline.Item(0, input);
        item.id = id;
        item.stored = stored;
        return write(kind, item, caller);
    }

    /** Runs the pipeline for one record and answers its failure as the request's. */
    private Written write(Kind kind, WritePipeline.Item item, Caller caller) {
        pipeline.run(kind, List.of(item), caller, pipeline.now(), new WritePipeline.Request(false));
        if (item.failure != null) throw item.failure;
        return written(kind, item.id, item.teamId, item.draft, caller);
    }

    /**
     * Brings a record back to its state at {@code asOf}, as a new change: an update when it still
     * exists, a re-creation with the same id when it was deleted since. Links to records that no
     * longer exist are dropped; uniqueness rules apply as to any write (409).
     */
    @Transactional
    public Written restore(Kind kind, UUID id, OffsetDateTime asOf, Caller caller) {
        if (asOf == null) throw ProblemException.badField("as_of", "is required");
        Scope scope = access.readScope(caller);
        // what the caller may not read is not restored (and not named in errors); keepHidden keeps it where it still is
        Map<String, Object> doc = visibility.mask(List.of(store.findAsOf(kind, id, scope, asOf).orElseThrow(() -> notFound(kind))), scope).get(0);
        Row then = store.versionAt(kind, id, asOf).orElseThrow(() -> notFound(kind));
        Map<String, Object> input = withoutDanglingLinks(kind, doc, scope);
        var current = store.find(kind, id, scope);
        if (current.isPresent()) {
            return update(kind, writable(kind, id, null, caller), input, then.values(), caller);
        }
        if (store.exists(kind, id)) throw notFound(kind);
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
            Set<UUID> alive = new HashSet<>(store.existing(kinds.serviceCatalog(), ids, scope));
            input.put("services", services.stream().filter(x -> alive.contains(UUID.fromString(String.valueOf(((Map<String, Object>) x).get("service_id"))))).toList());
        }
        return input;
    }

    /**
     * What saving {@code body} would answer, without saving: the write (a create, or with
     * {@code id} a replace) runs through the pipeline in a transaction that is then rolled back.
     * Answers the duplicate warnings; a refusal (400, 403, 409 with {@code existing_id}) is thrown
     * as the save would throw it. The forms check fields this way while they are typed.
     */
    @Transactional
    public List<Map<String, Object>> check(Kind kind, UUID id, Object body, Caller caller) {
        try {
            return (id == null ? create(kind, body, caller) : replace(kind, id, body, null, caller)).warnings();
        } finally {
            org.springframework.transaction.interceptor.TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        }
    }

    @Transactional
    public Written replace(Kind kind, UUID id, Object body, Long ifMatch, Caller caller) {
        Row existing = writable(kind, id, ifMatch, caller);
        return update(kind, existing, object(body), existing.values(), caller);
    }

    @Transactional
    public Written patch(Kind kind, UUID id, Object body, Long ifMatch, Caller caller) {
        Row existing = writable(kind, id, ifMatch, caller);
        Map<String, Object> current = renderer.render(kind, List.of(existing), access.readScope(caller)).get(0);
        Object patched = MergePatch.apply(current, object(body));
        return update(kind, existing, object(patched), existing.values(), caller);
    }

    private Written update(Kind kind, Row existing, Map<String, Object> input, Map<String, Object> stored, Caller caller) {
        WritePipeline.Item item = new WritePipeline.Item(0, input);
        item.id = existing.id();
        item.existing = existing;
        item.stored = stored;
        return write(kind, item, caller);
    }

    @Transactional
    public void delete(Kind kind, UUID id, Long ifMatch, boolean detach, Caller caller) {
        Row row = store.findForUpdate(kind, id, access.readScope(caller)).orElseThrow(() -> notFound(kind));
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        access.requireAdmin(kind, row, caller);
        OffsetDateTime now = pipeline.now();
        List<String> usages = pipeline.usages(kind, row);
        if (!usages.isEmpty() && !detach) {
            throw ProblemException.conflict(kind.label() + " '" + row.name() + "' is still used by " + String.join(", ", usages)
                    + "; detach them first or delete with ?detach=true").with("usages", usages);
        }
        pipeline.detach(kind, row, now, caller);
        pipeline.remove(kind, row, now, caller);
    }

    /**
     * A record changed through others (a linked record was deleted, an automatic service entry
     * came or went): new version, new history entry.
     */
    void touch(Kind kind, java.util.Collection<UUID> ids, OffsetDateTime now, Caller caller) {
        pipeline.touch(kind, ids, now, caller);
    }

    /** Hands the records as they now are to the change log (history), in this transaction. */
    void logChanges(Kind kind, List<UUID> ids, String action, Caller caller, OffsetDateTime now) {
        pipeline.logChanges(kind, ids, action, caller, now);
    }

    private Written written(Kind kind, UUID id, UUID teamId, Draft draft, Caller caller) {
        Row row = store.find(kind, id, Scope.unrestricted()).orElseThrow();
        Scope scope = access.readScope(caller);
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
        return warnings(kind, store.duplicates(kind, values, teamId, id, scope));
    }

    private static List<Map<String, Object>> warnings(Kind kind, Map<Kind.DuplicateRule, List<UUID>> duplicates) {
        List<Map<String, Object>> out = new ArrayList<>();
        duplicates.forEach((rule, conflicts) -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("code", rule.code());
            w.put("field", rule.field());
            w.put("message", "another " + kind.label().toLowerCase() + " in this team has the same " + rule.field());
            w.put("conflicts", conflicts.stream().map(UUID::toString).toList());
            out.add(w);
        });
        return out;
    }

    // ---- access (the rules are the AccessPolicy's)

    /** The record a PUT/PATCH/restore replaces, locked until the transaction ends; 404, 403 or 412 as the policy and If-Match say. */
    private Row writable(Kind kind, UUID id, Long ifMatch, Caller caller) {
        Row row = store.findForUpdate(kind, id, access.readScope(caller)).orElseThrow(() -> notFound(kind));
        access.requireChange(kind, row, caller);
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        return row;
    }

    void requireAdmin(Kind kind, Row row, Caller caller) {
        access.requireAdmin(kind, row, caller);
    }

    /** What a caller may do with a record they can read: change it; delete, share or move it. */
    public record Rights(boolean change, boolean administer) {
    }

    /** The rights writes enforce, asked ahead so the UI offers only what will work. {@code teamId} is the record's owning team. */
    public Rights rights(Kind kind, UUID id, UUID teamId, Caller caller) {
        AccessPolicy.Rights r = access.rights(kind, id, teamId, caller);
        return new Rights(r.change(), r.administer());
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
        return WritePipeline.preconditionFailed();
    }
}
