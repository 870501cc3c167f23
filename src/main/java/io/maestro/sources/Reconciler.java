package io.maestro.sources;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.BulkService;
import io.maestro.core.record.FieldOwners;
import io.maestro.core.record.FieldOwners.Owned;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Provenance;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Renderer;
import io.maestro.core.record.Row;
import io.maestro.core.record.Scope;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Observations in, records out, for every source (sources.md, "Rules of the reconciler"):
 * matches each observation to its record by key, sets the fields the source owns and keeps those a
 * person changed (reporting the difference as drift), writes a batch at a time through the bulk
 * write path (a value equal to the stored one writes nothing), and after a complete run marks what
 * it no longer sees as missing, then stale — never deleting. Bad values are reported per resource
 * and left out; the rest of the record is written.
 */
@Component
public class Reconciler {
    /** A batch written in one transaction with one bulk call (and one more for rows retried without their bad fields). */
    public static final int BATCH = 1000;
    private static final int MAX_PROBLEMS = 1000;
    /** Fields that identify the record: never owned, never dropped (a bad key skips the observation). */
    private static final Set<String> KEY_PATHS = Set.of("datacenter.id", "datacenter.instance_id");

    private final RecordWriter writer;
    private final RecordStore store;
    private final Renderer renderer;
    private final FieldOwners owners;
    private final SightingStore sightings;
    private final OptionsService options;
    private final TransactionTemplate tx;
    private final Kinds kinds;
    private final java.time.Clock clock;

    Reconciler(RecordWriter writer, RecordStore store, Renderer renderer, FieldOwners owners, SightingStore sightings,
               OptionsService options, PlatformTransactionManager txManager, Kinds kinds, java.time.Clock clock) {
        this.kinds = kinds;
        this.clock = clock;
        this.writer = writer;
        this.store = store;
        this.renderer = renderer;
        this.owners = owners;
        this.sightings = sightings;
        this.options = options;
        this.tx = new TransactionTemplate(txManager);
    }

    /** The application's clock now: when a run or an import starts, its records are seen (and later missed) as of this. */
    public OffsetDateTime now() {
        return io.maestro.core.Clocks.now(clock);
    }

    /**
     * Who brings the records in: {@code type} discovery or import, its name and id (a connection's),
     * the team that gets the records, the datacenter and regions it covers, and how long a record may
     * stay unseen before it is stale.
     */
    public record Origin(String type, String name, String id, UUID teamId, UUID datacenterId, List<String> regions, Duration staleAfter,
                         Match match, boolean globalAdmin) {
        /** A source matched by key (discovery, Terraform). */
        public Origin(String type, String name, String id, UUID teamId, UUID datacenterId, List<String> regions, Duration staleAfter) {
            this(type, name, id, teamId, datacenterId, regions, staleAfter, Match.KEY, false);
        }

        public Origin(String type, String name, String id, UUID teamId, UUID datacenterId, List<String> regions, Duration staleAfter, Match match) {
            this(type, name, id, teamId, datacenterId, regions, staleAfter, match, false);
        }

        /**
         * Writes as {@code "discovery (aws-prod)"}, a member of the connection's team only; or, for
         * the file of a global admin ({@code globalAdmin}), as a global admin: it may write the
         * catalogs, update records of every team and create records with the file's ids.
         */
        Caller caller() {
            return new Caller(new UUID(0, 0), type, globalAdmin, List.of(teamId), List.of(), teamId, name, false);
        }

        /** Whether records are created with the ids their file gives (a global admin's import of Maestro records). */
        boolean keepsIds() {
            return globalAdmin && match == Match.RECORD;
        }
    }

    /**
     * How observations find their records (rule 1): by the source's key (servers by datacenter and
     * instance id, other kinds by datacenter and external_id), or servers by hostname within the
     * team (Ansible facts): exactly one match, else a conflict, never a guess.
     */
    public enum Match {
        KEY, HOSTNAME,
        /**
         * Maestro records (an export, an upstream Maestro file): the key is the record's id in its
         * file. A record of this installation with that id (one the source may read), else one whose
         * {@code external_id} is the key; catalog entries (services, providers) by name.
         */
        RECORD
    }

    /** Looks keys up in the file a run reads. */
    public interface FileKeys {
        Set<String> present(String collection, Collection<String> keys);
    }

    /** What a run did so far: the contract's counts and problems. */
    public static final class Tally {
        public long seen, created, updated, unchanged, stale, failed, conflicts, skipped;
        public final List<Problem> problems = new ArrayList<>();
        /** A dry run's plan: one entry per observation (sources.md, File imports); empty for writing runs. */
        public final List<Map<String, Object>> plan = new ArrayList<>();
        /** A dry run's matched records and their versions: applying the plan is refused if one changed since. */
        public final Map<UUID, Long> touched = new LinkedHashMap<>();
        /**
         * Which of {@code keys} the run's file holds in {@code collection}: a dry run plans those
         * records without creating them (also those further on in the file), so a link to one is not
         * missing. None, unless the run says.
         */
        public FileKeys inFile = (collection, keys) -> Set.of();
        /** {@code "collection key"} whose outcome (created, updated, unchanged) a writing run keeps in {@link #outcomes}. */
        public final Set<String> watched = new HashSet<>();
        public final Map<String, String> outcomes = new HashMap<>();
        long problemCount;

        /** A problem, said once (applying a plan meets again what its dry run reported). */
        public void problem(String resource, String field, String message) {
            Problem p = new Problem(resource, field, message);
            if (said.contains(p)) return;
            if (said.size() < 10 * MAX_PROBLEMS) said.add(p); // bounded: past that, repeats are counted again
            problemCount++;
            if (problems.size() < MAX_PROBLEMS) problems.add(p);
        }

        private final Set<Problem> said = new HashSet<>();

        /** The problems as the API shows them: {@code [{resource, field, message}]}. */
        public List<Map<String, Object>> problemDocs() {
            return problems.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("resource", p.resource());
                m.put("field", p.field());
                m.put("message", p.message());
                return m;
            }).toList();
        }

        public Map<String, Object> counts() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seen", seen);
            m.put("created", created);
            m.put("updated", updated);
            m.put("unchanged", unchanged);
            m.put("stale", stale);
            m.put("failed", failed);
            m.put("conflicts", conflicts);
            m.put("skipped", skipped);
            return m;
        }
    }

    /** One observation on its way: the record it matched, the document to write, who owns which field. */
    private static final class Plan {
        final Observation o;
        final UUID id;
        final Map<String, Object> input;
        /** The record as stored (null for a new one): a refused value falls back to it. */
        Map<String, Object> doc;
        final Map<String, String> owner = new LinkedHashMap<>();
        final Set<String> dropped = new HashSet<>();
        boolean skipped;
        /** Every value the source sets equals the stored one: nothing to hand to the write path. */
        boolean unchanged;

        Plan(Observation o, UUID id, Map<String, Object> input) {
            this.o = o;
            this.id = id;
            this.input = input;
        }
    }

    /** Reconciles observations of one kind, {@link #BATCH} at a time, each batch in one transaction. */
    public void reconcile(Origin origin, Kind kind, List<Observation> observations, OffsetDateTime seenAt, Tally tally) {
        reconcile(origin, kind, observations, seenAt, tally, (done, total) -> { });
    }

    /** Progress of a reconcile: observations done of the total, after each batch. */
    public interface Progress {
        void reconciled(long done, long total);
    }

    /** The same, telling {@code progress} after each batch. */
    public void reconcile(Origin origin, Kind kind, List<Observation> observations, OffsetDateTime seenAt, Tally tally, Progress progress) {
        reconcile(origin, kind, observations, seenAt, tally, progress, false);
    }

    /**
     * What {@link #reconcile} would do, written nowhere: the same matching and the same validation
     * (a dry run of the bulk write), with each observation's action and field changes in the tally's plan.
     */
    public void plan(Origin origin, Kind kind, List<Observation> observations, Tally tally, Progress progress) {
        reconcile(origin, kind, observations, now(), tally, progress, true);
    }

    /**
     * Sets links that point forward in a file (to records reconciled after these): the observations
     * hold only those fields. Records are updated, never created (one missing failed before and was
     * reported then); {@code seen} is not counted again.
     */
    public void relink(Origin origin, Kind kind, List<Observation> observations, OffsetDateTime seenAt, Tally tally, Progress progress) {
        reconcile(origin, kind, observations, seenAt, tally, progress, false, true);
    }

    private void reconcile(Origin origin, Kind kind, List<Observation> observations, OffsetDateTime seenAt, Tally tally, Progress progress,
                           boolean dryRun) {
        reconcile(origin, kind, observations, seenAt, tally, progress, dryRun, false);
    }

    private void reconcile(Origin origin, Kind kind, List<Observation> observations, OffsetDateTime seenAt, Tally tally, Progress progress,
                           boolean dryRun, boolean relink) {
        // one record per key: an instance listed twice (two pages, two reservations) is one record
        Map<String, Observation> byKey = new LinkedHashMap<>();
        observations.forEach(o -> byKey.put(o.key(), o));
        List<Observation> distinct = new ArrayList<>(byKey.values());
        for (int i = 0; i < distinct.size(); i += BATCH) {
            List<Observation> batch = distinct.subList(i, Math.min(distinct.size(), i + BATCH));
            tx.executeWithoutResult(status -> {
                batch(origin, kind, batch, seenAt, tally, dryRun, relink);
                if (dryRun) status.setRollbackOnly(); // a plan leaves nothing behind
            });
            progress.reconciled(i + batch.size(), distinct.size());
        }
    }

    /** After a complete, successful run: what it did not see is missing, and stale once unseen for stale_after. */
    public void missed(Origin origin, Kind kind, OffsetDateTime runStart, Tally tally) {
        tx.executeWithoutResult(status -> tally.stale += sightings.missed(kind, origin.id(), origin.datacenterId(), origin.regions(),
                runStart, origin.staleAfter(), now()));
    }

    private void batch(Origin origin, Kind kind, List<Observation> observed, OffsetDateTime seenAt, Tally tally, boolean dryRun, boolean relink) {
        if (!relink) tally.seen += observed.size();
        Caller caller = origin.caller();
        List<Observation> batch = linked(origin, kind, observed, tally);
        Matches matches = find(kind, origin, batch.stream().map(Observation::key).toList());
        Map<String, Row> matched = matches.rows();
        Set<UUID> readable = new HashSet<>(store.existing(kind, matched.values().stream().map(Row::id).toList(), Scope.of(caller)));
        List<Row> rows = matched.values().stream().filter(r -> readable.contains(r.id())).toList();
        // as the source's team sees them: links it may not read stay out, and the write keeps them
        Map<UUID, Map<String, Object>> docs = docs(kind, rows, Scope.of(caller));
        Map<UUID, Map<String, Owned>> owned = owners.of(docs.keySet());
        List<Plan> plans = new ArrayList<>();
        for (Observation o : batch) {
            Row row = matched.get(o.key());
            int candidates = matches.ambiguous().getOrDefault(o.key(), 0);
            if (relink && (row == null || candidates > 1 || !readable.contains(row.id()))) continue; // reported by the first pass
            if (candidates > 1 || (row != null && !readable.contains(row.id()))) {
                String why = candidates > 1 ? candidates + " records match this " + (origin.match() == Match.HOSTNAME ? "hostname" : "key")
                        + " in the team: none is guessed" : "a record of another team already holds this resource";
                tally.conflicts++;
                tally.problem(o.key(), null, why);
                if (dryRun) tally.plan.add(entry("conflict", kind, o.key(), null, List.of()));
                continue;
            }
            plans.add(row == null ? create(origin, kind, o) : update(origin, kind, o, docs.get(row.id()), owned.getOrDefault(row.id(), Map.of()), row.id()));
        }
        long written = tally.created + tally.updated;
        // what the source sees as it is stored skips the write path (no bulk round, nothing to compare twice)
        List<Plan> changed = plans.stream().filter(p -> !p.unchanged).toList();
        tally.unchanged += plans.size() - changed.size();
        List<Plan> retry = write(origin, kind, changed, caller, tally, true, dryRun);
        if (!retry.isEmpty()) write(origin, kind, retry, caller, tally, false, dryRun);
        if (dryRun) {
            for (Plan p : plans) if (!p.skipped) planned(kind, p, tally);
            return;
        }
        // a batch that wrote nothing reads back what it read before: no second lookup and rendering
        boolean unchanged = tally.created + tally.updated == written;
        record(origin, kind, plans.stream().filter(p -> !p.skipped).toList(), owned, seenAt, unchanged ? matched : null, unchanged ? docs : null, tally);
    }

    /** A dry run's entry for one observation: create, update with its field changes, or unchanged. */
    private void planned(Kind kind, Plan p, Tally tally) {
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : p.owner.entrySet()) {
            if (!FieldOwners.SOURCE.equals(e.getValue())) continue;
            Object now = p.doc == null ? null : FieldOwners.valueAt(p.doc, e.getKey());
            Object next = FieldOwners.valueAt(p.input, e.getKey());
            if (p.doc != null && FieldOwners.same(comparable(kind, e.getKey(), canonical(kind, e.getKey(), next)), comparable(kind, e.getKey(), now))) continue;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("field", e.getKey());
            c.put("old", now);
            c.put("new", next);
            changes.add(c);
        }
        if (p.doc != null) tally.touched.put(p.id, ((Number) p.doc.getOrDefault("version", 0L)).longValue());
        String action = p.doc == null ? "create" : changes.isEmpty() ? "unchanged" : "update";
        tally.plan.add(entry(action, kind, p.o.key(), p.id, changes));
    }

    private static Map<String, Object> entry(String action, Kind kind, String key, UUID id, List<Map<String, Object>> changes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("action", action);
        e.put("collection", kind.collection());
        e.put("key", key);
        e.put("id", id == null ? null : id.toString());
        e.put("changes", changes);
        return e;
    }

    /** Records matched by key, and keys that more than one record answers (a conflict, never a guess). */
    private record Matches(Map<String, Row> rows, Map<String, Integer> ambiguous) {
    }

    /**
     * The observations with their links set as record ids: the records the source keys that way
     * (of this datacenter, for discovery) and the team may read. A key no such record holds is
     * reported and left out.
     */
    private List<Observation> linked(Origin origin, Kind kind, List<Observation> batch, Tally tally) {
        if (batch.stream().allMatch(o -> o.links().isEmpty())) return batch;
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        batch.forEach(o -> o.links().forEach(l -> l.collections().forEach(c -> keys.computeIfAbsent(c, x -> new LinkedHashSet<>()).addAll(l.keys()))));
        // links name records by the source's key, whatever the source matches its own records by
        Origin keyed = origin.match() != Match.HOSTNAME ? origin : new Origin(origin.type(), origin.name(), origin.id(), origin.teamId(),
                origin.datacenterId(), origin.regions(), origin.staleAfter(), Match.KEY, origin.globalAdmin());
        Map<String, Map<String, UUID>> ids = new HashMap<>();
        keys.forEach((collection, wanted) -> {
            Kind target = kinds.get(collection);
            Map<String, Row> found = find(target, keyed, new ArrayList<>(wanted)).rows();
            Set<UUID> readable = new HashSet<>(store.existing(target, found.values().stream().map(Row::id).toList(), Scope.of(origin.caller())));
            Map<String, UUID> byKey = new HashMap<>();
            found.forEach((key, row) -> {
                if (readable.contains(row.id())) byKey.put(key, row.id());
            });
            ids.put(collection, byKey);
        });
        // a dry run plans the records it links to without creating them: those keys are not missing
        Set<String> planned = new HashSet<>();
        tally.plan.forEach(e -> planned.add(e.get("collection") + " " + e.get("key")));
        keys.forEach((collection, wanted) -> {
            List<String> unresolved = wanted.stream().filter(k -> !ids.get(collection).containsKey(k)).toList();
            if (!unresolved.isEmpty()) tally.inFile.present(collection, unresolved).forEach(k -> planned.add(collection + " " + k));
        });
        List<Observation> out = new ArrayList<>(batch.size());
        for (Observation o : batch) {
            if (o.links().isEmpty()) {
                out.add(o);
                continue;
            }
            Map<String, Object> values = copy(o.values());
            Map<String, List<Object>> byField = new LinkedHashMap<>();
            for (Observation.Link link : o.links()) {
                Field field = field(kind, link.field());
                List<Object> resolved = byField.computeIfAbsent(link.field(), f -> new ArrayList<>());
                for (int i = 0; i < link.keys().size(); i++) {
                    String key = link.keys().get(i);
                    UUID id = link.collections().stream().map(c -> ids.get(c).get(key)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
                    if (id == null) {
                        if (link.collections().stream().noneMatch(c -> planned.contains(c + " " + key))) {
                            tally.problem(o.key(), link.field(), key + " is in no record of " + String.join(" or ", link.collections())
                                    + (origin.match() == Match.RECORD ? " in this file or that you may read" : " discovered in this datacenter")
                                    + "; left out of " + link.field());
                        }
                        continue;
                    }
                    if (field != null && field.linkAttribute() != null) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        item.put("target_id", id.toString());
                        item.put(field.linkAttribute(), link.attributes() == null ? null : link.attributes().get(i));
                        resolved.add(item);
                    } else {
                        resolved.add(id.toString());
                    }
                }
            }
            byField.forEach((path, resolved) -> {
                boolean single = field(kind, path) != null && field(kind, path).type == Field.Type.REF;
                put(values, path, single ? (resolved.isEmpty() ? null : resolved.get(0)) : resolved);
            });
            out.add(new Observation(o.key(), values, List.of(), o.address()));
        }
        return out;
    }

    /** The field of {@code kind} at a dotted path ({@code datacenter.id}), or null. */
    private static Field field(Kind kind, String path) {
        java.util.Collection<Field> fields = kind.fields();
        Field found = null;
        for (String part : path.split("\\.")) {
            found = fields == null ? null : fields.stream().filter(f -> f.name.equals(part)).findFirst().orElse(null);
            if (found == null) return null;
            fields = found.children() == null ? null : found.children().values();
        }
        return found;
    }

    /**
     * Stored records of the observed keys: servers by (datacenter, instance id), other kinds by
     * (datacenter, external_id) — by external_id alone when the source names no datacenter — or
     * servers by hostname within the source's team.
     */
    private Matches find(Kind kind, Origin origin, List<String> keys) {
        Map<String, Row> out = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        if (keys.isEmpty()) return new Matches(out, count);
        if (origin.match() == Match.RECORD) return findRecords(kind, origin, keys);
        boolean servers = kind.collection().equals("servers");
        boolean byHostname = servers && origin.match() == Match.HOSTNAME;
        boolean byInstance = servers && !byHostname && origin.datacenterId() != null;
        String column = byHostname ? "hostname" : byInstance ? "datacenter_instance_id" : "external_id";
        String path = byHostname ? "hostname" : byInstance ? "datacenter.instance_id" : "external_id";
        for (Row r : store.findWhere(kind, Map.of(column, new ArrayList<>(keys)))) {
            String key = (String) r.values().get(path);
            Object dc = r.values().get("datacenter.id");
            if (byHostname && !origin.teamId().equals(r.teamId())) continue;
            if (byInstance && !origin.datacenterId().equals(dc)) continue;
            if (!servers && origin.datacenterId() != null && dc instanceof UUID d && !d.equals(origin.datacenterId())) continue;
            out.put(key, r);
            count.merge(key, 1, Integer::sum);
        }
        count.values().removeIf(n -> n < 2);
        return new Matches(out, count);
    }

    /**
     * Maestro records by their file's id: the record with that id when the source may read it
     * (one it may not read is not told apart from none), else those whose external_id is the key
     * (a copy an earlier import made); catalog entries by name, whatever their ids.
     */
    private Matches findRecords(Kind kind, Origin origin, List<String> keys) {
        Map<String, Row> out = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        if (kind.global()) {
            Map<String, String> keyByName = new HashMap<>();
            keys.forEach(k -> keyByName.put(k.toLowerCase(), k));
            Map<String, UUID> byName = store.idsByNames(kind, keyByName.keySet());
            Map<UUID, String> keyById = new HashMap<>();
            byName.forEach((name, id) -> keyById.put(id, keyByName.get(name)));
            store.findAll(kind, new ArrayList<>(keyById.keySet())).forEach(r -> out.put(keyById.get(r.id()), r));
            return new Matches(out, count);
        }
        Map<UUID, String> keyById = new HashMap<>();
        for (String k : keys) {
            UUID id = io.maestro.core.record.Validator.parseUuid(k);
            if (id != null) keyById.put(id, k);
        }
        List<UUID> readable = store.existing(kind, new ArrayList<>(keyById.keySet()), Scope.of(origin.caller()));
        store.findAll(kind, readable).forEach(r -> out.put(keyById.get(r.id()), r));
        List<Object> rest = keys.stream().filter(k -> !out.containsKey(k)).map(k -> (Object) k).toList();
        for (Row r : store.findWhere(kind, Map.of("external_id", rest))) {
            String key = (String) r.values().get("external_id");
            out.put(key, r);
            count.merge(key, 1, Integer::sum);
        }
        count.values().removeIf(n -> n < 2);
        return new Matches(out, count);
    }

    private Map<UUID, Map<String, Object>> docs(Kind kind, List<Row> rows, Scope scope) {
        Map<UUID, Map<String, Object>> out = new LinkedHashMap<>();
        List<Map<String, Object>> rendered = renderer.render(kind, rows, scope);
        for (int i = 0; i < rows.size(); i++) out.put(rows.get(i).id(), rendered.get(i));
        return out;
    }

    private Plan create(Origin origin, Kind kind, Observation o) {
        Plan p = new Plan(o, null, copy(o.values()));
        p.input.remove("id");
        Object fileId = o.values().get("id");
        UUID kept = origin.keepsIds() && fileId instanceof String s ? io.maestro.core.record.Validator.parseUuid(s) : null;
        if (kept != null) p.input.put("id", kept.toString());
        for (String path : ownedPaths(o.values())) p.owner.put(path, FieldOwners.SOURCE);
        provenance(origin, p, externalId(kind, o, kept));
        p.input.put("team_id", origin.teamId().toString());
        return p;
    }

    /**
     * The external_id a record gets: the source's key, or, for a Maestro record that is the file's
     * own (created with its id, matched by it, or a catalog entry), the external_id the file gives.
     * A copy made under another id keeps the file's id, which finds it again on the next import.
     */
    private static Object externalId(Kind kind, Observation o, UUID recordId) {
        if (!o.values().containsKey("external_id")) return o.key();
        if (kind.global() || (recordId != null && recordId.toString().equalsIgnoreCase(String.valueOf(o.values().get("id"))))) {
            return o.values().get("external_id");
        }
        return o.key();
    }

    /**
     * People win: a field a person changed since the source set it (its value is no longer the one
     * observed then), or one a person had filled before the source first saw the record, keeps the
     * person's value; every other observed field takes the observed value.
     */
    private Plan update(Origin origin, Kind kind, Observation o, Map<String, Object> doc, Map<String, Owned> owned, UUID id) {
        Map<String, Object> input = copy(doc);
        input.remove("drift");
        Plan p = new Plan(o, id, input);
        p.doc = doc;
        boolean adopted = !origin.id().equals(FieldOwners.valueAt(doc, "source.id"));
        Object externalId = externalId(kind, o, id);
        boolean same = !adopted && origin.type().equals(FieldOwners.valueAt(doc, "source.type"))
                && origin.name().equals(FieldOwners.valueAt(doc, "source.name")) && java.util.Objects.equals(externalId, doc.get("external_id"))
                && java.util.Objects.equals(o.address(), FieldOwners.valueAt(doc, "source.address"));
        for (String path : ownedPaths(o.values())) {
            Object observed = comparable(kind, path, canonical(kind, path, FieldOwners.valueAt(o.values(), path)));
            Object current = comparable(kind, path, FieldOwners.valueAt(doc, path));
            Owned prior = owned.get(path);
            boolean person = prior != null
                    ? FieldOwners.PERSON.equals(prior.owner()) || !FieldOwners.same(current, comparable(kind, path, prior.observed()))
                    : adopted && !FieldOwners.same(current, null) && !FieldOwners.same(current, observed);
            if (person) {
                p.owner.put(path, FieldOwners.PERSON);
            } else {
                p.owner.put(path, FieldOwners.SOURCE);
                put(input, path, FieldOwners.valueAt(o.values(), path));
                same = same && FieldOwners.same(current, observed);
            }
        }
        for (String key : KEY_PATHS) {
            Object v = FieldOwners.valueAt(o.values(), key);
            if (v != null) {
                put(input, key, v);
                same = same && FieldOwners.same(FieldOwners.valueAt(doc, key), v);
            }
        }
        provenance(origin, p, externalId);
        // the common re-run: what the source sees is what is stored (aliases resolved), so the
        // write path would compare and write nothing; anything else still goes through it
        p.unchanged = same;
        return p;
    }

    private void provenance(Origin origin, Plan p, Object externalId) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", origin.type());
        source.put("name", origin.name());
        source.put("id", origin.id());
        if (p.o.address() != null) source.put("address", p.o.address());
        p.input.put("source", source);
        p.input.put("external_id", externalId);
    }

    /**
     * One bulk call for the plans; a row refused for some fields is retried once without them
     * (the record is written without the bad value), one refused for its key is skipped. Returns the
     * plans to retry.
     */
    private List<Plan> write(Origin origin, Kind kind, List<Plan> plans, Caller caller, Tally tally, boolean first, boolean dryRun) {
        if (plans.isEmpty()) return List.of();
        BulkService.Outcome outcome = writer.upsert(kind, plans.stream().map(p -> p.input).toList(), dryRun, origin.keepsIds(), caller);
        tally.created += outcome.created();
        tally.updated += outcome.updated();
        tally.unchanged += outcome.unchanged();
        List<Plan> retry = new ArrayList<>();
        for (Map<String, Object> failure : outcome.failed()) {
            Plan p = plans.get(((Number) failure.get("index")).intValue());
            @SuppressWarnings("unchecked") List<Map<String, Object>> errors = (List<Map<String, Object>>) failure.get("errors");
            boolean fatal = !first;
            for (Map<String, Object> e : errors) {
                String field = String.valueOf(e.get("field"));
                tally.problem(p.o.key(), field, String.valueOf(e.get("message")));
                String path = ownedPath(p, field);
                if (path == null) {
                    fatal = true;
                    continue;
                }
                p.dropped.add(path);
                p.owner.remove(path);
                if (p.doc == null) remove(p.input, path);
                else put(p.input, path, FieldOwners.valueAt(p.doc, path));
            }
            if (fatal) {
                p.skipped = true;
                tally.failed++;
            } else {
                retry.add(p);
            }
        }
        if (!first) retry.forEach(p -> p.skipped = true);
        return retry;
    }

    /**
     * The owned field an error names ({@code storage[0].size_gb} → {@code storage}), or null when it
     * names the key or a field the source does not set (the observation cannot be written).
     */
    private static String ownedPath(Plan p, String field) {
        for (String path : p.owner.keySet()) {
            if (field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[")) return path;
        }
        // a stored value the source did not set cannot be dropped; for new records the top-level field is
        String top = field.split("[.\\[]")[0];
        if (p.id == null && !KEY_PATHS.contains(field) && p.input.containsKey(top) && !top.equals("source") && !top.equals("external_id")) {
            return top;
        }
        return null;
    }

    /** After the writes: who owns what, what the source observed, when it saw the records, and their drift. */
    private void record(Origin origin, Kind kind, List<Plan> plans, Map<UUID, Map<String, Owned>> before, OffsetDateTime seenAt,
                        Map<String, Row> stored, Map<UUID, Map<String, Object>> storedDocs, Tally tally) {
        if (plans.isEmpty()) return;
        Map<String, Row> now = stored != null ? stored : find(kind, origin, plans.stream().map(p -> p.o.key()).toList()).rows();
        Map<UUID, Map<String, Object>> docs = storedDocs != null ? storedDocs : docs(kind, new ArrayList<>(now.values()), Scope.of(origin.caller()));
        Map<UUID, Collection<Owned>> owned = new LinkedHashMap<>();
        Map<UUID, Boolean> drift = new LinkedHashMap<>();
        for (Plan p : plans) {
            Row row = now.get(p.o.key());
            if (row == null) continue;
            String watched = kind.collection() + " " + p.o.key();
            if (tally.watched.contains(watched)) {
                tally.outcomes.put(watched, p.doc == null ? "created"
                        : row.version() != ((Number) p.doc.getOrDefault("version", 0L)).longValue() ? "updated" : "unchanged");
            }
            Map<String, Object> doc = docs.get(row.id());
            Map<String, Owned> fields = new LinkedHashMap<>(before.getOrDefault(row.id(), Map.of()));
            p.owner.forEach((path, owner) -> fields.put(path, new Owned(path, owner, FieldOwners.PERSON.equals(owner)
                    ? canonical(kind, path, FieldOwners.valueAt(p.o.values(), path))
                    : FieldOwners.valueAt(doc, path)))); // the value as stored: validated, aliases resolved
            // only what changed is rewritten: an unchanged re-run leaves the owners table alone
            if (!sameOwners(fields, before.get(row.id()))) owned.put(row.id(), fields.values());
            drift.put(row.id(), !FieldOwners.drift(fields.values(), doc).isEmpty());
        }
        owners.replace(kind, owned);
        sightings.seen(kind, drift, seenAt);
    }

    private static boolean sameOwners(Map<String, Owned> now, Map<String, Owned> before) {
        if (before == null || !before.keySet().equals(now.keySet())) return false;
        for (Owned o : now.values()) {
            Owned b = before.get(o.field());
            if (!b.owner().equals(o.owner()) || !FieldOwners.same(b.observed(), o.observed())) return false;
        }
        return true;
    }

    /** An option's observed value by its canonical name (aliases resolved), so drift compares like with like. */
    private Object canonical(Kind kind, String path, Object value) {
        if (!(value instanceof String s)) return value;
        return store.column(kind, path).filter(c -> c.field().type == Field.Type.OPTION)
                .map(c -> (Object) options.canonical(c.field().optionList(), s).orElse(s)).orElse(value);
    }

    /**
     * A value as a file gives it and as a read shows it, made comparable: service entries only as
     * people made them (automatic ones follow their database or load balancer), by name, version
     * and status; login entries without their secret (reads never show one).
     */
    private static Object comparable(Kind kind, String path, Object value) {
        if (!(value instanceof List<?> list)) return value;
        Field f = field(kind, path);
        if (f == null) return value;
        if (f.type == Field.Type.SERVICES) {
            List<Object> out = new ArrayList<>();
            for (Object e : list) {
                if (!(e instanceof Map<?, ?> m)) {
                    out.add(e);
                    continue;
                }
                if ("auto".equals(m.get("origin"))) continue;
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", m.get("name") instanceof String n ? n.toLowerCase() : m.get("name"));
                entry.put("version", m.get("version"));
                entry.put("status", m.get("status"));
                out.add(entry);
            }
            return out;
        }
        boolean secrets = f.type == Field.Type.LIST && f.item() != null && f.item().type == Field.Type.OBJECT
                && f.item().children().values().stream().anyMatch(c -> c.type == Field.Type.SECRET);
        if (!secrets) return value;
        return list.stream().map(e -> {
            if (!(e instanceof Map<?, ?> m)) return e;
            Map<Object, Object> entry = new LinkedHashMap<>(m);
            entry.remove("has_secret");
            entry.remove("secret");
            return (Object) entry;
        }).toList();
    }

    /** The fields an observation sets, at the granularity people edit them: top-level fields and the members of objects. */
    static List<String> ownedPaths(Map<String, Object> values) {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.equals("id") || k.equals("external_id")) return; // the record's identity, not a field it has
            if (v instanceof Map<?, ?> m) {
                m.keySet().forEach(child -> {
                    String path = k + "." + child;
                    if (!KEY_PATHS.contains(path)) out.add(path);
                });
            } else {
                out.add(k);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> doc) {
        return (Map<String, Object>) Json.parse(Json.write(doc));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> doc, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = m.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                m.put(parts[i], next);
            }
            m = (Map<String, Object>) next;
        }
        m.put(parts[parts.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> doc, String path) {
        String[] parts = path.split("\\.");
        Object m = doc;
        for (int i = 0; i < parts.length - 1; i++) m = m instanceof Map<?, ?> map ? map.get(parts[i]) : null;
        if (m instanceof Map<?, ?> map) ((Map<String, Object>) map).remove(parts[parts.length - 1]);
    }
}
