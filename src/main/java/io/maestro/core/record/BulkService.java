package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Upserts many records from a stream, a chunk at a time: by {@code id} when given (a record the
 * caller may read), else by the
 * kind's natural key (a server's datacenter and instance id), else creates. Each chunk is
 * validated, resolved and written with a fixed number of statements (JDBC batches), with the
 * same rules, warnings, automatic service entries and history as single writes. The whole
 * request is one transaction: bad rows are reported by index and skipped, or with
 * {@code atomic} nothing is stored; a body that breaks off stores nothing.
 */
@Service
public class BulkService {
    static final int CHUNK = 1000;
    private static final int MAX_REPORTED = 10_000;

    private final Kinds kinds;
    private final RecordStore store;
    private final Validator validator;
    private final RefResolver refs;
    private final Relations relations;
    private final Tags tags;
    private final ServicePlacements placements;
    private final RecordParts parts;
    private final ChangeLog changeLog;
    private final RecordService records;
    private final TransactionTemplate tx;

    BulkService(Kinds kinds, RecordStore store, Validator validator, RefResolver refs, Relations relations, Tags tags,
                ServicePlacements placements, RecordParts parts, ChangeLog changeLog, RecordService records,
                PlatformTransactionManager txManager) {
        this.kinds = kinds;
        this.store = store;
        this.validator = validator;
        this.refs = refs;
        this.relations = relations;
        this.tags = tags;
        this.placements = placements;
        this.parts = parts;
        this.changeLog = changeLog;
        this.records = records;
        this.tx = new TransactionTemplate(txManager);
    }

    /** The rows of a request, read a chunk at a time; a row that cannot be read is a {@link RowError}. */
    public interface RowSource {
        /** Up to {@code max} more rows, or an empty list at the end. Throws ProblemException when the body breaks off. */
        List<Object> next(int max);
    }

    /** A row that could not be parsed (a malformed NDJSON line, a CSV cell that is not JSON ...). */
    public record RowError(String field, String message) {
    }

    /** What a bulk request did. */
    public record Outcome(long created, long updated, long unchanged, List<Map<String, Object>> failed, long failedCount,
                          List<Map<String, Object>> warnings, boolean stored) {
    }

    /** {@code keepIds}: unknown ids are taken for new records (global admins loading an export). */
    public Outcome run(Kind kind, RowSource rows, boolean atomic, boolean dryRun, boolean keepIds, Caller caller) {
        return tx.execute(status -> {
            Run run = new Run(kind, caller, keepIds);
            store.preferBtreeLookups();
            int index = 0;
            long analyzeAt = 2 * CHUNK;
            for (List<Object> chunk = rows.next(CHUNK); !chunk.isEmpty(); chunk = rows.next(CHUNK)) {
                run.chunk(chunk, index);
                index += chunk.size();
                if (run.created + run.updated >= analyzeAt) {
                    store.analyze(kind);
                    analyzeAt *= 2;
                }
            }
            run.failed.sort(java.util.Comparator.comparingInt(f -> (Integer) f.get("index")));
            boolean store = !dryRun && !(atomic && run.failedCount > 0);
            if (!store) status.setRollbackOnly();
            return new Outcome(store || dryRun ? run.created : 0, store || dryRun ? run.updated : 0, run.unchanged,
                    run.failed, run.failedCount, run.warnings, store);
        });
    }

    /** The state of one request. */
    private final class Run {
        final Kind kind;
        final Caller caller;
        final Scope scope;
        final OffsetDateTime now = RecordService.now();
        final Set<UUID> seenIds = new HashSet<>();
        final Set<List<Object>> seenKeys = new HashSet<>();
        /** Natural keys (as strings) found free when rows were matched to stored records. */
        final Set<List<Object>> freeKeys = new HashSet<>();
        final Kind.UniqueRule naturalKey;
        final boolean keepIds;
        final Map<String, UUID> teams = new HashMap<>();
        long created;
        long updated;
        long unchanged;
        long failedCount;
        final List<Map<String, Object>> failed = new ArrayList<>();
        final List<Map<String, Object>> warnings = new ArrayList<>();

        Run(Kind kind, Caller caller, boolean keepIds) {
            this.kind = kind;
            this.caller = caller;
            this.keepIds = keepIds;
            this.scope = Scope.of(caller);
            this.naturalKey = kind.uniqueRules().isEmpty() ? null : kind.uniqueRules().get(0);
        }

        /** One input row on its way. */
        final class Row {
            final int index;
            final Map<String, Object> input;
            UUID id;
            io.maestro.core.record.Row existing;
            UUID teamId;
            Draft draft;
            Validator.Context ctx;
            boolean failed;

            Row(int index, Map<String, Object> input) {
                this.index = index;
                this.input = input;
            }
        }

        @SuppressWarnings("unchecked")
        void chunk(List<Object> raw, int base) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                Object o = raw.get(i);
                if (o instanceof RowError e) fail(base + i, List.of(new FieldError(e.field(), e.message())));
                else if (!(o instanceof Map)) fail(base + i, List.of(new FieldError("body", "must be a JSON object")));
                else rows.add(new Row(base + i, new LinkedHashMap<>((Map<String, Object>) o)));
            }
            matchExisting(rows);
            List<RefResolver.Item> items = new ArrayList<>();
            for (Row r : rows) {
                if (r.failed) continue;
                try {
                    r.teamId = team(r);
                } catch (ProblemException e) {
                    fail(r, List.of(new FieldError("team_id", e.getMessage())));
                    continue;
                }
                Map<String, Object> in = new LinkedHashMap<>(r.input);
                in.remove("team_id");
                kind.prepare(in);
                r.ctx = validator.context(new Errors(), r.existing == null ? null : r.existing.values(), kinds.ignoredOnWrite(kind));
                r.draft = validator.validate(kind, in, r.ctx);
                items.add(new RefResolver.Item(r.draft, r.ctx));
            }
            refs.resolve(items, scope, caller.actor(), now);
            for (Row r : rows) {
                if (r.failed) continue;
                kind.check(r.draft, r.ctx.errors);
                if (!r.ctx.errors.isEmpty()) fail(r, r.ctx.errors.list());
            }
            checkNaturalKeys(rows);
            write(rows.stream().filter(r -> !r.failed).toList());
        }

        /** Finds the stored record each row updates: by id, else by natural key. */
        private void matchExisting(List<Row> rows) {
            List<UUID> ids = new ArrayList<>();
            for (Row r : rows) {
                Object id = r.input.get("id");
                if (id == null) continue;
                try {
                    r.id = UUID.fromString(String.valueOf(id).strip());
                } catch (IllegalArgumentException e) {
                    fail(r, List.of(new FieldError("id", "is not a valid id")));
                    continue;
                }
                if (!seenIds.add(r.id)) fail(r, List.of(new FieldError("id", "appears twice in this request")));
                else ids.add(r.id);
            }
            Map<UUID, io.maestro.core.record.Row> stored = new HashMap<>();
            store.findAll(kind, ids).forEach(row -> stored.put(row.id(), row));
            Set<UUID> visible = new HashSet<>(store.existing(kind, ids, scope));
            Set<UUID> elsewhere = keepIds ? usedByOtherKinds(ids.stream().filter(id -> !stored.containsKey(id)).toList()) : Set.of();
            for (Row r : rows) {
                if (r.failed || r.id == null) continue;
                r.existing = stored.get(r.id);
                if (r.existing == null && keepIds) {
                    if (elsewhere.contains(r.id)) fail(r, List.of(new FieldError("id", "is the id of a record of another collection")));
                    continue; // created with this id
                }
                // An id names a record to update. One the caller may not read fails exactly like one
                // that does not exist, and ids are never taken for new records (a chosen id could
                // collide with a record of another collection, whose relations and shares go by id).
                if (r.existing == null || !visible.contains(r.id)) {
                    fail(r, List.of(new FieldError("id", "no " + kind.label().toLowerCase() + " with id " + r.id)));
                }
            }
            if (naturalKey == null) return;
            Map<List<Object>, Row> byKey = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.failed || r.id != null) continue;
                List<Object> key = rawKey(r.input);
                if (key != null) byKey.put(key, r);
            }
            if (byKey.isEmpty()) return;
            Set<List<Object>> held = new HashSet<>();
            for (io.maestro.core.record.Row row : store.findWhere(kind, keyColumns(byKey.keySet()))) {
                List<Object> key = naturalKey.paths().stream().map(p -> (Object) String.valueOf(row.values().get(p))).toList();
                held.add(key);
                Row r = byKey.get(key);
                if (r == null) continue;
                if (!store.existing(kind, List.of(row.id()), scope).isEmpty()) {
                    r.id = row.id();
                    r.existing = row;
                    seenIds.add(r.id);
                }
            }
            byKey.keySet().stream().filter(k -> !held.contains(k)).forEach(freeKeys::add);
        }

        /** Ids among {@code ids} that records of other collections hold (relations and shares go by id alone). */
        private Set<UUID> usedByOtherKinds(List<UUID> ids) {
            Set<UUID> used = new HashSet<>();
            if (ids.isEmpty()) return used;
            kinds.all().stream().filter(k -> k != kind).forEach(k -> used.addAll(store.existing(k, ids, Scope.unrestricted())));
            return used;
        }

        /**
         * The distinct values of the key's last (most selective) column, typed for SQL; the other
         * columns are matched in Java. Its own index keeps this an index lookup however the planner
         * estimates the other columns (all the servers of a datacenter would match those).
         */
        private Map<String, List<Object>> keyColumns(Set<List<Object>> keys) {
            Map<String, List<Object>> out = new LinkedHashMap<>();
            for (int i = naturalKey.paths().size() - 1; i < naturalKey.paths().size(); i++) {
                String path = naturalKey.paths().get(i);
                boolean uuid = store.column(kind, path).map(c -> c.field().type == Field.Type.REF).orElse(false);
                Set<Object> values = new java.util.LinkedHashSet<>();
                for (List<Object> key : keys) {
                    Object v = key.get(i);
                    if (uuid && v instanceof String s) {
                        try {
                            v = UUID.fromString(s);
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                    }
                    values.add(v);
                }
                out.put(Field.column(path), new ArrayList<>(values));
            }
            return out;
        }

        /** The natural key as written in the input (strings), or null when incomplete. */
        private List<Object> rawKey(Map<String, Object> input) {
            List<Object> key = new ArrayList<>();
            for (String path : naturalKey.paths()) {
                Object v = input;
                for (String part : path.split("\\.")) v = v instanceof Map<?, ?> m ? m.get(part) : null;
                if (!(v instanceof String s) || s.isBlank()) return null;
                key.add(s.strip());
            }
            return key;
        }

        private UUID team(Row r) {
            Object requested = r.input.get("team_id");
            if (r.existing != null) {
                if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
                if (kind.global() ? !caller.globalAdmin() : (!caller.isMember(r.existing.teamId())
                        && !records.shared(kind, r.existing.id(), caller, Set.of("write", "admin")))) {
                    throw ProblemException.forbidden("you may not change this " + kind.label().toLowerCase());
                }
                boolean sameTeam = requested == null || String.valueOf(requested).equals(r.existing.teamId().toString());
                if (sameTeam) return r.existing.teamId();
                // moving a record takes it away from its team: for admins of the record, as with single writes
                records.requireAdmin(kind, r.existing, caller);
                return teams.computeIfAbsent(String.valueOf(requested), t -> records.team(kind, t, caller));
            }
            return teams.computeIfAbsent(String.valueOf(requested), t -> records.team(kind, requested, caller));
        }

        /** Instance ids (natural keys) are unique: within the request and against other stored records. */
        private void checkNaturalKeys(List<Row> rows) {
            if (naturalKey == null) return;
            Map<List<Object>, Row> keyed = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.failed) continue;
                List<Object> key = naturalKey.paths().stream().map(r.draft::get).toList();
                if (key.stream().anyMatch(Objects::isNull)) continue;
                if (!seenKeys.add(key)) {
                    fail(r, List.of(new FieldError(naturalKey.paths().get(naturalKey.paths().size() - 1), "repeated in this request")));
                } else {
                    keyed.put(key, r);
                }
            }
            // a key looked up unchanged before validation and held by no record needs no second query
            keyed.keySet().removeIf(key -> freeKeys.contains(key.stream().map(v -> (Object) String.valueOf(v)).toList()));
            if (keyed.isEmpty()) return;
            String last = naturalKey.paths().get(naturalKey.paths().size() - 1);
            for (io.maestro.core.record.Row row : store.findWhere(kind, keyColumns(keyed.keySet()))) {
                List<Object> key = naturalKey.paths().stream().map(p -> row.values().get(p)).toList();
                Row r = keyed.get(key);
                if (r != null && !row.id().equals(r.id)) {
                    // the holder is named only to who may read it (as existing_id of a single write's 409)
                    boolean readable = !store.existing(kind, List.of(row.id()), scope).isEmpty();
                    fail(r, List.of(new FieldError(last, naturalKey.message() + (readable ? " (" + row.id() + ")" : ""))));
                }
            }
        }

        private void write(List<Row> rows) {
            if (rows.isEmpty()) return;
            List<UUID> updateIds = rows.stream().filter(r -> r.existing != null).map(r -> r.id).toList();
            RecordParts.Parts old = parts.of(kind, updateIds);
            Map<UUID, Map<String, List<Draft.Link>>> oldLinks = old.links();
            Map<UUID, List<Draft.Tag>> oldTags = old.tags();
            Map<UUID, List<ServicePlacements.Placement>> oldServices = old.services();
            // links and references the caller cannot see are kept, as with single writes
            Map<io.maestro.core.record.Row, Draft> hiddenKept = new LinkedHashMap<>();
            rows.stream().filter(r -> r.existing != null).forEach(r -> hiddenKept.put(r.existing, r.draft));
            records.keepHidden(kind, hiddenKept, oldLinks, scope);
            List<RecordStore.Write> inserts = new ArrayList<>();
            List<RecordStore.Write> updates = new ArrayList<>();
            List<Row> changed = new ArrayList<>();
            for (Row r : rows) {
                if (r.existing != null && unchanged(r, oldLinks, oldTags, oldServices)) {
                    unchanged++;
                    continue;
                }
                if (r.id == null) r.id = UUID.randomUUID();
                (r.existing == null ? inserts : updates).add(new RecordStore.Write(r.id, r.teamId, r.draft));
                changed.add(r);
            }
            store.insertAll(kind, inserts, now);
            store.updateAll(kind, updates, now);
            created += inserts.size();
            updated += updates.size();
            if (changed.isEmpty()) return;
            boolean hasLinks = kind.fields().stream().anyMatch(f -> f.type == Field.Type.REFS);
            Map<UUID, Map<String, List<Draft.Link>>> links = new LinkedHashMap<>();
            Map<UUID, List<Draft.Tag>> tagMap = new LinkedHashMap<>();
            Map<UUID, List<Draft.ServiceEntry>> services = new LinkedHashMap<>();
            for (Row r : changed) {
                links.put(r.id, r.draft.links);
                tagMap.put(r.id, r.draft.tags);
                if (r.draft.services != null) services.put(r.id, r.draft.services);
            }
            if (hasLinks) relations.replaceAll(kind, links);
            tags.replaceAll(kind, tagMap);
            placements.replaceManualAll(services);
            Kind.AutoService auto = kind.autoService();
            if (auto != null) {
                Set<UUID> servers = new java.util.LinkedHashSet<>();
                Map<String, UUID> serviceIds = new HashMap<>();
                for (Row r : changed) {
                    String name = auto.serviceOf().apply(r.draft);
                    UUID serviceId = name == null || r.draft.linkIds(auto.serversField()).isEmpty() ? null : serviceIds.computeIfAbsent(name.toLowerCase(),
                            n -> refs.catalogEntry("services", name, caller.actor(), now));
                    servers.addAll(placements.syncAuto(r.id, serviceId, r.draft.linkIds(auto.serversField())));
                }
                records.touch(kinds.get("servers"), servers, now, caller);
            }
            List<UUID> newIds = changed.stream().filter(r -> r.existing == null).map(r -> r.id).toList();
            List<UUID> updatedIds = changed.stream().filter(r -> r.existing != null).map(r -> r.id).toList();
            if (!newIds.isEmpty()) records.logChanges(kind, newIds, "create", caller, now);
            if (!updatedIds.isEmpty()) records.logChanges(kind, updatedIds, "update", caller, now);
            duplicateWarnings(changed);
        }

        /** A row that would store exactly what is stored (e.g. an exported file posted back) changes nothing. */
        private boolean unchanged(Row r, Map<UUID, Map<String, List<Draft.Link>>> oldLinks, Map<UUID, List<Draft.Tag>> oldTags,
                                  Map<UUID, List<ServicePlacements.Placement>> oldServices) {
            if (!r.teamId.equals(r.existing.teamId())) return false;
            for (RecordStore.Column c : store.columns(kind)) {
                if (!Objects.equals(normal(r.draft.values.get(c.path())), normal(r.existing.values().get(c.path())))) return false;
            }
            Map<String, List<Draft.Link>> before = oldLinks.getOrDefault(r.id, Map.of());
            for (Map.Entry<String, List<Draft.Link>> e : r.draft.links.entrySet()) {
                if (!e.getValue().equals(before.getOrDefault(e.getKey(), List.of()))) return false;
            }
            if (!r.draft.tags.equals(oldTags.getOrDefault(r.id, List.of()))) return false;
            if (r.draft.services != null) {
                List<Draft.ServiceEntry> manual = oldServices.getOrDefault(r.id, List.of()).stream().filter(p -> "manual".equals(p.origin()))
                        .map(p -> new Draft.ServiceEntry(p.serviceId(), null, p.version(), p.status())).toList();
                List<Draft.ServiceEntry> now = r.draft.services.stream()
                        .map(s -> new Draft.ServiceEntry(s.serviceId(), null, s.version(), s.status())).toList();
                if (!manual.equals(now)) return false;
            }
            return true;
        }

        private void duplicateWarnings(List<Row> rows) {
            for (Kind.DuplicateRule rule : kind.duplicateRules()) {
                Set<Object> values = new HashSet<>();
                Set<UUID> teamIds = new HashSet<>();
                for (Row r : rows) {
                    Object v = r.draft.get(rule.field());
                    if (v == null) continue;
                    values.add(rule.ignoreCase() ? v.toString().toLowerCase() : v);
                    teamIds.add(r.teamId);
                }
                Map<String, List<UUID>> holders = store.holders(kind, Field.column(rule.field()), values, rule.ignoreCase(), teamIds);
                if (!scope.unrestrictedAccess()) {
                    // conflicts are listed only where the caller may read them (a sharer sees no other ids of the team)
                    List<UUID> all = holders.values().stream().flatMap(List::stream).distinct().toList();
                    Set<UUID> readable = new HashSet<>(store.existing(kind, all, scope));
                    holders.replaceAll((k, ids) -> ids.stream().filter(readable::contains).toList());
                }
                for (Row r : rows) {
                    Object v = r.draft.get(rule.field());
                    if (v == null) continue;
                    String key = r.teamId + "\u0000" + (rule.ignoreCase() ? v.toString().toLowerCase() : v);
                    List<String> others = holders.getOrDefault(key, List.of()).stream().filter(id -> !id.equals(r.id)).map(UUID::toString).toList();
                    if (others.isEmpty() || warnings.size() >= MAX_REPORTED) continue;
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("index", r.index);
                    w.put("id", r.id.toString());
                    w.put("code", rule.code());
                    w.put("field", rule.field());
                    w.put("conflicts", others.size() > 100 ? others.subList(0, 100) : others);
                    warnings.add(w);
                }
            }
        }

        private void fail(Row r, List<FieldError> errors) {
            r.failed = true;
            fail(r.index, errors);
        }

        private void fail(int index, List<FieldError> errors) {
            failedCount++;
            if (failed.size() >= MAX_REPORTED) return;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("index", index);
            f.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
            failed.add(f);
        }
    }

    /** Values compared as JSON would: numbers by value, whatever their Java type. */
    static Object normal(Object v) {
        if (v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty()) return null;
        if (v instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros();
        if (v instanceof UUID u) return u.toString();
        if (v instanceof List<?> l) return l.stream().map(BulkService::normal).toList();
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new HashMap<>();
            m.forEach((k, x) -> {
                if (x != null) out.put(k, normal(x));
            });
            return out;
        }
        return v;
    }
}
