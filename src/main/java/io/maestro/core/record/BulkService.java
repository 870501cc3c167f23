package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Upserts many records from a stream, a chunk at a time: by {@code id} when given (a record the
 * caller may read), else by the kind's natural key (a server's datacenter and instance id), else
 * creates. Each chunk goes through the {@link WritePipeline} every single write goes through
 * (the same access rules, validation, unique rules, side effects, warnings and history), as one
 * batch with a fixed number of statements. What is particular to bulk stays here: matching rows
 * to stored records, streaming, per-row reports, skipping unchanged rows, and transactions.
 * Without {@code atomic} every chunk commits on its own, so a crash keeps the finished chunks and
 * locks are held for one chunk at a time; bad rows are reported by index and skipped. With
 * {@code atomic} (or {@code dry_run}) the whole request is one transaction: nothing is stored when
 * a row fails. A body that breaks off stores nothing of the chunk it breaks in.
 */
@Service
public class BulkService {
    static final int CHUNK = 1000;
    private static final int MAX_REPORTED = 10_000;

    private final Kinds kinds;
    private final RecordStore store;
    private final WritePipeline pipeline;
    private final AccessPolicy access;
    private final TransactionTemplate tx;

    BulkService(Kinds kinds, RecordStore store, WritePipeline pipeline, AccessPolicy access, PlatformTransactionManager txManager) {
        this.kinds = kinds;
        this.store = store;
        this.pipeline = pipeline;
        this.access = access;
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
        Run run = new Run(kind, caller, keepIds);
        if (atomic || dryRun) {
            return tx.execute(status -> {
                store.preferBtreeLookups();
                for (List<Object> chunk = rows.next(CHUNK); !chunk.isEmpty(); chunk = rows.next(CHUNK)) run.chunk(chunk);
                boolean stored = !dryRun && run.failedCount == 0;
                if (!stored) status.setRollbackOnly();
                return run.outcome(stored || dryRun, stored);
            });
        }
        // one transaction per chunk: what is committed stays committed, and is reported
        while (true) {
            List<Object> chunk;
            try {
                chunk = rows.next(CHUNK);
            } catch (ProblemException e) {
                throw e.with("created", run.created).with("updated", run.updated).with("stored", run.created + run.updated > 0);
            }
            if (chunk.isEmpty()) break;
            tx.executeWithoutResult(status -> {
                store.preferBtreeLookups();
                run.chunk(chunk);
            });
        }
        return run.outcome(true, true);
    }

    /** The state of one request. */
    private final class Run {
        final Kind kind;
        final Caller caller;
        final Scope scope;
        final Kind.UniqueRule naturalKey;
        final boolean keepIds;
        final Set<UUID> seenIds = new HashSet<>();
        final WritePipeline.Request request = new WritePipeline.Request(true);
        long created;
        long updated;
        long unchanged;
        long failedCount;
        long analyzeAt = 2L * CHUNK;
        final List<Map<String, Object>> failed = new ArrayList<>();
        final List<Map<String, Object>> warnings = new ArrayList<>();

        Run(Kind kind, Caller caller, boolean keepIds) {
            this.kind = kind;
            this.caller = caller;
            this.keepIds = keepIds;
            this.scope = access.readScope(caller);
            this.naturalKey = kind.uniqueRules().isEmpty() ? null : kind.uniqueRules().get(0);
        }

        Outcome outcome(boolean countWrites, boolean stored) {
            failed.sort(java.util.Comparator.comparingInt(f -> (Integer) f.get("index")));
            return new Outcome(countWrites ? created : 0, countWrites ? updated : 0, unchanged, failed, failedCount, warnings, stored);
        }

        /**
         * One chunk through the pipeline. Its counts and reports join the request's only once it
         * has run whole (a chunk whose transaction fails reports nothing as stored).
         */
        @SuppressWarnings("unchecked")
        void chunk(List<Object> raw) {
            int base = (int) (created + updated + unchanged + failedCount);
            // Memory stays bounded however long the request: repeats are told apart within a chunk;
            // a later chunk meets what earlier ones wrote in the database (matched by id or key, or a 409)
            seenIds.clear();
            request.forget();
            List<Map<String, Object>> chunkFailed = new ArrayList<>();
            List<WritePipeline.Item> items = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                Object o = raw.get(i);
                if (o instanceof RowError e) report(chunkFailed, base + i, List.of(new FieldError(e.field(), e.message())), null);
                else if (!(o instanceof Map)) report(chunkFailed, base + i, List.of(new FieldError("body", "must be a JSON object")), null);
                else items.add(new WritePipeline.Item(base + i, new LinkedHashMap<>((Map<String, Object>) o)));
            }
            matchExisting(items);
            pipeline.run(kind, items, caller, pipeline.now(), request);
            long c = 0, u = 0, same = 0;
            List<WritePipeline.Item> written = new ArrayList<>();
            for (WritePipeline.Item it : items) {
                if (it.failure != null) report(chunkFailed, it.index, errorsOf(it.failure), it.failure);
                else if (it.unchanged) same++;
                else {
                    written.add(it);
                    if (it.existing == null) c++;
                    else u++;
                }
            }
            List<Map<String, Object>> chunkWarnings = duplicateWarnings(written);
            if (created + updated + c + u >= analyzeAt) {
                store.analyze(kind);
                analyzeAt *= 2;
            }
            created += c;
            updated += u;
            unchanged += same;
            failedCount += chunkFailed.size();
            chunkFailed.stream().limit(Math.max(0, MAX_REPORTED - failed.size())).forEach(failed::add);
            chunkWarnings.stream().limit(Math.max(0, MAX_REPORTED - warnings.size())).forEach(warnings::add);
        }

        /** A row's failure as the bulk report lists it: the field errors of the answer a single write would give, and its status. */
        private List<FieldError> errorsOf(ProblemException e) {
            if (!e.errors().isEmpty()) return e.errors();
            String field = switch (e.status()) {
                case 409 -> "name";
                case 412 -> "id";
                default -> "team_id";
            };
            return List.of(new FieldError(field, e.getMessage()));
        }

        /** Finds the stored record each row updates: by id, else by natural key. */
        private void matchExisting(List<WritePipeline.Item> rows) {
            List<UUID> ids = new ArrayList<>();
            Map<WritePipeline.Item, ProblemException> refused = new HashMap<>();
            for (WritePipeline.Item r : rows) {
                Object id = r.input.get("id");
                if (id == null) continue;
                try {
                    r.id = UUID.fromString(String.valueOf(id).strip());
                } catch (IllegalArgumentException e) {
                    r.fail(ProblemException.badField("id", "is not a valid id"));
                    continue;
                }
                if (!seenIds.add(r.id)) r.fail(ProblemException.badField("id", "appears twice in this request"));
                else ids.add(r.id);
            }
            Map<UUID, Row> stored = new HashMap<>();
            store.findAll(kind, ids).forEach(row -> stored.put(row.id(), row));
            Set<UUID> visible = new HashSet<>(store.existing(kind, ids, scope));
            Set<UUID> elsewhere = keepIds ? usedByOtherKinds(ids.stream().filter(id -> !stored.containsKey(id)).toList()) : Set.of();
            for (WritePipeline.Item r : rows) {
                if (!r.ok() || r.id == null) continue;
                r.existing = stored.get(r.id);
                if (r.existing == null && keepIds) {
                    if (elsewhere.contains(r.id)) r.fail(ProblemException.badField("id", "is the id of a record of another collection"));
                    continue; // created with this id
                }
                // An id names a record to update. One the caller may not read fails exactly like one
                // that does not exist, and ids are never taken for new records (a chosen id could
                // collide with a record of another collection, whose relations and shares go by id).
                if (r.existing == null || !visible.contains(r.id)) {
                    r.existing = null;
                    r.fail(ProblemException.badField("id", "no " + kind.label().toLowerCase() + " with id " + r.id));
                }
            }
            if (naturalKey == null) return;
            Map<List<Object>, WritePipeline.Item> byKey = new LinkedHashMap<>();
            for (WritePipeline.Item r : rows) {
                if (!r.ok() || r.id != null) continue;
                List<Object> key = rawKey(r.input);
                if (key != null) byKey.putIfAbsent(key, r);
            }
            if (byKey.isEmpty()) return;
            List<Row> holders = store.findWhere(kind, keyColumns(byKey.keySet()));
            Set<UUID> readable = new HashSet<>(store.existing(kind, holders.stream().map(Row::id).toList(), scope));
            for (Row row : holders) {
                List<Object> key = naturalKey.paths().stream().map(p -> (Object) String.valueOf(row.values().get(p))).toList();
                WritePipeline.Item r = byKey.get(key);
                // a key held by a record the caller may not read is not theirs to update: the unique rule answers it
                if (r == null || !readable.contains(row.id()) || !seenIds.add(row.id())) continue;
                r.id = row.id();
                r.existing = row;
            }
        }

        /** Ids among {@code ids} that records of other collections hold (relations and shares go by id alone). */
        private Set<UUID> usedByOtherKinds(List<UUID> ids) {
            Set<UUID> used = new HashSet<>();
            if (ids.isEmpty()) return used;
            kinds.all().stream().filter(k -> k != kind).forEach(k -> used.addAll(store.existing(k, ids, Scope.unrestricted())));
            return used;
        }

        /** The distinct values of the key's last (most selective) column, typed for SQL; the other columns are matched in Java. */
        private Map<String, List<Object>> keyColumns(Set<List<Object>> keys) {
            int last = naturalKey.paths().size() - 1;
            String path = naturalKey.paths().get(last);
            boolean uuid = store.column(kind, path).map(c -> c.field().type == Field.Type.REF).orElse(false);
            Set<Object> values = new java.util.LinkedHashSet<>();
            for (List<Object> key : keys) {
                Object v = key.get(last);
                if (uuid && v instanceof String s) {
                    try {
                        v = UUID.fromString(s);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                }
                values.add(v);
            }
            return Map.of(Field.column(path), new ArrayList<>(values));
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

        private List<Map<String, Object>> duplicateWarnings(List<WritePipeline.Item> rows) {
            List<Map<String, Object>> out = new ArrayList<>();
            if (rows.isEmpty()) return out;
            for (Kind.DuplicateRule rule : kind.duplicateRules()) {
                Set<Object> values = new HashSet<>();
                Set<UUID> teamIds = new HashSet<>();
                for (WritePipeline.Item r : rows) {
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
                for (WritePipeline.Item r : rows) {
                    Object v = r.draft.get(rule.field());
                    if (v == null) continue;
                    String key = r.teamId + "\u0000" + (rule.ignoreCase() ? v.toString().toLowerCase() : v);
                    List<String> others = holders.getOrDefault(key, List.of()).stream().filter(id -> !id.equals(r.id)).map(UUID::toString).toList();
                    if (others.isEmpty()) continue;
                    Map<String, Object> w = new LinkedHashMap<>();
                    w.put("index", r.index);
                    w.put("id", r.id.toString());
                    w.put("code", rule.code());
                    w.put("field", rule.field());
                    w.put("conflicts", others.size() > 100 ? others.subList(0, 100) : others);
                    out.add(w);
                }
            }
            return out;
        }

        /** A failed row as listed: its index, errors, and (for other than 400) the status a single write would answer. */
        private void report(List<Map<String, Object>> into, int index, List<FieldError> errors, ProblemException cause) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("index", index);
            if (cause != null && cause.status() != 400) f.put("status", cause.status());
            f.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
            if (cause != null && cause.extra().get("existing_id") != null) f.put("existing_id", cause.extra().get("existing_id"));
            into.add(f);
        }
    }

    /** Values compared as JSON would: numbers by value, whatever their Java type. */
    static Object normal(Object v) {
        return WritePipeline.normal(v);
    }
}
