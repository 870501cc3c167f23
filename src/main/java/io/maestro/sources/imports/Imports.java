package io.maestro.sources.imports;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.Validator;
import io.maestro.sources.Jobs;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * File imports (sources.md, File imports): a file is read at once into observations (a file that
 * cannot be read is refused, nothing stored), then reconciled in the background like a discovery
 * run, by the same reconciler. A dry run writes nothing and keeps a plan; applying it reconciles the
 * same observations, refused with 409 when a record the plan touches changed since.
 */
@Service
public class Imports {
    private static final Logger log = LoggerFactory.getLogger(Imports.class);
    /**
     * Collections in the order they are reconciled (and the all-kinds export writes them): what
     * others point at first. Links that point the other way (a system's entry applications, an
     * application's dependencies) are set once every kind is in (see {@link #relink}).
     */
    public static final List<String> ORDER = List.of("providers", "services", "datacenters", "clients", "systems", "servers", "databases",
            "applications", "loadbalancers");
    private static final int PLAN_PAGE = 100;
    /** The longest key a file's record may have (external_id's length). */
    private static final int MAX_KEY = 1024;

    private final Map<String, ImportFormat> formats;
    private final ImportStore store;
    private final Reconciler reconciler;
    private final Kinds kinds;
    private final RecordService records;
    private final Jobs jobs;

    public Imports(List<ImportFormat> formats, ImportStore store, Reconciler reconciler, Kinds kinds, RecordService records, Jobs jobs) {
        this.jobs = jobs;
        this.formats = formats.stream().collect(Collectors.toMap(ImportFormat::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        this.store = store;
        this.reconciler = reconciler;
        this.kinds = kinds;
        this.records = records;
    }

    public List<String> formats() {
        return List.copyOf(formats.keySet());
    }

    /**
     * Reads the file and queues its import; 400 naming the field for a bad parameter or a file that
     * cannot be read (nothing of it is kept). The file is read as it arrives and what it says is kept
     * a batch of observations at a time: memory does not grow with it (for a format that streams).
     */
    public Map<String, Object> start(Map<String, String> params, InputStream body, Caller caller) throws IOException {
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        List<FieldError> errors = new ArrayList<>();
        String formatName = params.get("format");
        ImportFormat format = formatName == null ? null : formats.get(formatName);
        if (formatName == null) errors.add(new FieldError("format", "is required: one of " + formats.keySet()));
        else if (format == null) errors.add(new FieldError("format", "must be one of " + formats.keySet()));
        UUID team = team(params.get("team_id"), caller, errors);
        UUID datacenter = datacenter(params.get("datacenter_id"), caller, errors);
        String dry = params.getOrDefault("dry_run", "false");
        if (!dry.equals("true") && !dry.equals("false")) errors.add(new FieldError("dry_run", "must be true or false"));
        String name = params.get("name") == null || params.get("name").isBlank() ? formatName + " import" : params.get("name").strip();
        if (name.length() > 100) errors.add(new FieldError("name", "must be at most 100 characters"));
        if (!errors.isEmpty()) throw ProblemException.badRequest(errors.get(0).field() + ": " + errors.get(0).message(), errors);

        UUID id = UUID.randomUUID();
        Intake intake = new Intake(id, caller.globalAdmin());
        try {
            format.read(body, datacenter, intake);
            intake.flush();
        } catch (RuntimeException | IOException e) {
            store.deleteObservations(id); // a file refused whole leaves nothing behind
            throw e;
        }
        intake.catalogsLeftOut();
        boolean asGlobalAdmin = caller.globalAdmin() && format.match() == Reconciler.Match.RECORD;
        store.insert(new ImportStore.Row(id, team, store.sourceId(team, name).orElse(UUID.randomUUID()), name, formatName, datacenter,
                dry.equals("true"), "queued", caller.actor(), ImportStore.now(), null, null, null, null, 0, intake.total,
                Json.write(intake.tally.counts()), Json.write(intake.tally.problemDocs()), null, asGlobalAdmin));
        jobs.submit(Jobs.Kind.IMPORT, id, () -> execute(id));
        return doc(store.get(id).orElseThrow());
    }

    /** Where a format's reader hands its observations: kept a batch at a time; catalogs left out unless a global admin imports. */
    private final class Intake implements ImportFormat.Sink {
        final UUID id;
        final boolean globalAdmin;
        final Reconciler.Tally tally = new Reconciler.Tally();
        final List<ImportStore.Stored> pending = new ArrayList<>();
        final Map<String, Long> seq = new HashMap<>();
        final Map<String, Long> catalogs = new java.util.TreeMap<>();
        long total;

        Intake(UUID id, boolean globalAdmin) {
            this.id = id;
            this.globalAdmin = globalAdmin;
        }

        @Override
        public void add(String collection, Observation o) {
            if (kinds.get(collection).global() && !globalAdmin) {
                catalogs.merge(collection, 1L, Long::sum);
                return;
            }
            if (o.key().length() > MAX_KEY) {
                tally.problem(o.key().substring(0, 100) + "...", null, "a key longer than " + MAX_KEY + " characters: skipped");
                tally.skipped++;
                return;
            }
            long n = seq.merge(collection, 1L, Long::sum);
            pending.add(new ImportStore.Stored(collection, n, o.key(), Json.write(stored(o))));
            total++;
            if (pending.size() >= Reconciler.BATCH) flush();
        }

        @Override
        public void problem(Problem p) {
            tally.problem(p.resource(), p.field(), p.message());
        }

        @Override
        public void skipped(long count) {
            tally.skipped += count;
        }

        void flush() {
            store.addObservations(id, pending);
            pending.clear();
        }

        /** The catalogs are everyone's: only a global admin changes them (the names records use are still added as they are met). */
        void catalogsLeftOut() {
            catalogs.forEach((collection, n) -> {
                tally.skipped += n;
                tally.problem(collection, null, n + " " + collection + " not imported: catalog entries are written by global admins only"
                        + " (the names records use are added as they are met)");
            });
        }
    }

    public List<Map<String, Object>> list(Caller caller) {
        return store.list(caller.globalAdmin() ? null : caller.teamIds(), 100).stream().map(Imports::doc).toList();
    }

    /** An import with, for a dry run, one page of its plan ({@code action} filters it; {@code next} is the following page). */
    public Map<String, Object> get(UUID id, String action, int offset, int size, Caller caller) {
        ImportStore.Row row = readable(id, caller);
        if (size < 1 || size > 1000) throw ProblemException.badField("plan_size", "must be between 1 and 1000");
        if (offset < 0) throw ProblemException.badField("plan_offset", "must be 0 or more");
        if (action != null && !List.of("create", "update", "unchanged", "conflict").contains(action)) {
            throw ProblemException.badField("plan_action", "must be one of create, update, unchanged, conflict");
        }
        Map<String, Object> d = doc(row);
        if (row.dryRun()) {
            long matching = store.planCount(id, action);
            d.put("plan", store.plan(id, action, offset, size).stream().map(Json::parse).toList());
            d.put("plan_total", matching);
            long end = Math.min(matching, (long) offset + size);
            d.put("next", end < matching ? "/api/v1/imports/" + id + "?plan_offset=" + end + "&plan_size=" + size
                    + (action == null ? "" : "&plan_action=" + action) : null);
        }
        return d;
    }

    public Map<String, Object> get(UUID id, Caller caller) {
        return get(id, null, 0, PLAN_PAGE, caller);
    }

    /** Applies a finished dry run's plan: 409 when it is not one, was applied, or a record it touches changed since. */
    public Map<String, Object> apply(UUID id, Caller caller) {
        ImportStore.Row row = readable(id, caller);
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (!row.dryRun()) throw ProblemException.conflict("This import was not a dry run: it is applied already");
        if (row.appliedAt() != null) throw ProblemException.conflict("This plan was applied already");
        if (!"succeeded".equals(row.status())) throw ProblemException.conflict("The dry run has not finished (it is " + row.status() + ")");
        if (row.total() > 0 && store.observationCounts(id).isEmpty()) {
            throw ProblemException.conflict("This dry run's file is no longer kept (it was made before an upgrade): run it again");
        }
        List<String> changed = new ArrayList<>();
        for (String collection : ORDER) {
            if (changed.size() < 100) kinds.find(collection).ifPresent(k -> store.changedSincePlan(id, k, 100).forEach(r -> changed.add(r.toString())));
        }
        if (!changed.isEmpty()) {
            throw ProblemException.conflict((changed.size() >= 100 ? "At least 100" : String.valueOf(changed.size()))
                    + " record(s) the plan touches changed since the dry run: run it again")
                    .with("changed_ids", changed.size() > 100 ? changed.subList(0, 100) : changed);
        }
        if (!store.claimApply(id)) throw ProblemException.conflict("This plan is being applied already");
        jobs.submit(Jobs.Kind.IMPORT, id, () -> execute(id));
        return get(id, caller);
    }

    private ImportStore.Row readable(UUID id, Caller caller) {
        ImportStore.Row row = store.get(id).orElseThrow(() -> ProblemException.notFound("Import"));
        if (!caller.globalAdmin() && !caller.isMember(row.teamId())) throw ProblemException.notFound("Import");
        return row;
    }

    /** Reconciles the stored observations: as a plan for a dry run not yet applied, for real otherwise. */
    private void execute(UUID id) {
        ImportStore.Row row = store.get(id).orElseThrow();
        boolean planOnly = row.dryRun() && row.appliedAt() == null;
        Reconciler.Tally tally = new Reconciler.Tally();
        @SuppressWarnings("unchecked") List<Map<String, Object>> earlier = (List<Map<String, Object>>) Json.parse(row.problems());
        @SuppressWarnings("unchecked") Map<String, Object> counts = (Map<String, Object>) Json.parse(row.counts());
        tally.skipped = ((Number) counts.getOrDefault("skipped", 0)).longValue();
        for (Map<String, Object> p : earlier) {
            if (p.get("message") != null && p.get("resource") != null) tally.problem((String) p.get("resource"), (String) p.get("field"), (String) p.get("message"));
        }
        String status = "succeeded";
        String detail = null;
        try {
            if (!store.started(id)) return; // ended meanwhile (released as abandoned)
            OffsetDateTime start = reconciler.now();
            Reconciler.Origin origin = new Reconciler.Origin("import", row.name(), row.sourceId().toString(), row.teamId(), row.datacenterId(),
                    List.of(), null, formats.get(row.format()).match(), row.asGlobalAdmin());
            // a plan sees every link at once: a link to a record the file brings further on is no missing one
            if (planOnly) tally.inFile = (collection, keys) -> store.keysInFile(id, collection, keys);
            long[] done = {0};
            long[] planned = {0};
            for (String collection : ORDER) {
                Kind kind = kinds.get(collection);
                each(id, collection, batch -> {
                    long offset = done[0];
                    Reconciler.Progress progress = (n, total) -> store.progress(id, collection, offset + n, row.total(), Json.write(tally.counts()),
                            Json.write(tally.problemDocs()));
                    if (planOnly) {
                        reconciler.plan(origin, kind, batch, tally, progress);
                        planned[0] = keepPlan(id, tally, planned[0]);
                    } else {
                        reconciler.reconcile(origin, kind, batch.stream().map(o -> now(collection, o, tally)).toList(), start, tally, progress);
                    }
                    done[0] += batch.size();
                });
            }
            if (!planOnly) relink(id, origin, start, tally);
        } catch (RuntimeException e) {
            log.warn("Import {} failed", id, e);
            status = "failed";
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        // what the file said is kept while a plan may still be applied
        if (!planOnly) store.deleteObservations(id);
        store.finished(id, status, Json.write(tally.counts()), Json.write(tally.problemDocs()), detail);
    }

    /** The observations of one collection, a batch at a time in the file's order. */
    private void each(UUID id, String collection, java.util.function.Consumer<List<Observation>> batches) {
        long after = 0;
        while (true) {
            List<ImportStore.Stored> page = store.observations(id, collection, after, Reconciler.BATCH);
            if (page.isEmpty()) return;
            @SuppressWarnings("unchecked") List<Observation> batch = page.stream().map(r -> observation((Map<String, Object>) Json.parse(r.doc()))).toList();
            batches.accept(batch);
            after = page.get(page.size() - 1).seq();
            if (page.size() < Reconciler.BATCH) return;
        }
    }

    /** Moves the plan entries of the last batch from memory into the import's plan. Returns the next entry's number. */
    private long keepPlan(UUID id, Reconciler.Tally tally, long seq) {
        List<ImportStore.PlanEntry> entries = new ArrayList<>();
        for (Map<String, Object> e : tally.plan) {
            UUID record = e.get("id") == null ? null : UUID.fromString((String) e.get("id"));
            entries.add(new ImportStore.PlanEntry(seq++, (String) e.get("action"), (String) e.get("collection"), record,
                    record == null ? null : tally.touched.get(record), Json.write(e)));
        }
        store.addPlan(id, entries);
        tally.plan.clear();
        tally.touched.clear();
        return seq;
    }

    /** Whether a link points at the same or a later collection (one not reconciled yet when this one is). */
    private static boolean forward(String collection, Observation.Link l) {
        int here = ORDER.indexOf(collection);
        return l.collections().stream().anyMatch(c -> ORDER.indexOf(c) >= here);
    }

    /** The fields of {@code o} some of whose links point forward: set by {@link #relink} once every kind is in. */
    private static java.util.Set<String> deferred(String collection, Observation o) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        for (Observation.Link l : o.links()) if (forward(collection, l)) fields.add(l.field());
        return fields;
    }

    /**
     * An observation without its deferred fields; its record's outcome (created, updated, unchanged)
     * is watched, so that counts say what happened to each record once.
     */
    private static Observation now(String collection, Observation o, Reconciler.Tally tally) {
        java.util.Set<String> deferred = deferred(collection, o);
        if (deferred.isEmpty()) return o;
        tally.watched.add(collection + " " + o.key());
        return new Observation(o.key(), o.values(), o.links().stream().filter(l -> !deferred.contains(l.field())).toList(), o.address());
    }

    /** Only the deferred fields of an observation (with its identity), or null when it has none. */
    private static Observation later(String collection, Observation o) {
        java.util.Set<String> deferred = deferred(collection, o);
        if (deferred.isEmpty()) return null;
        Map<String, Object> identity = new LinkedHashMap<>();
        if (o.values().containsKey("id")) identity.put("id", o.values().get("id"));
        if (o.values().containsKey("external_id")) identity.put("external_id", o.values().get("external_id"));
        return new Observation(o.key(), identity, o.links().stream().filter(l -> deferred.contains(l.field())).toList(), o.address());
    }

    /**
     * Sets the links deferred by {@link #now}, reading the file again. A record this import created,
     * or updated already, is counted once; one that was unchanged until its links moved is updated.
     */
    private void relink(UUID id, Reconciler.Origin origin, OffsetDateTime start, Reconciler.Tally tally) {
        if (tally.watched.isEmpty()) return;
        Reconciler.Tally links = new Reconciler.Tally();
        links.watched.addAll(tally.watched);
        long all = tally.watched.size();
        long[] done = {0};
        for (String collection : ORDER) {
            each(id, collection, batch -> {
                List<Observation> deferred = batch.stream().map(o -> later(collection, o)).filter(java.util.Objects::nonNull).toList();
                if (deferred.isEmpty()) return;
                long offset = done[0];
                reconciler.relink(origin, kinds.get(collection), deferred, start, links, (n, total) -> store.progress(id, "links", offset + n,
                        all, Json.write(tally.counts()), Json.write(tally.problemDocs())));
                done[0] += deferred.size();
            });
        }
        for (String key : tally.watched) {
            if ("unchanged".equals(tally.outcomes.get(key)) && "updated".equals(links.outcomes.get(key))) {
                tally.unchanged--;
                tally.updated++;
            }
        }
        tally.failed += links.failed;
        links.problems.forEach(p -> tally.problem(p.resource(), p.field(), p.message()));
        store.progress(id, "links", all, all, Json.write(tally.counts()), Json.write(tally.problemDocs()));
    }

    /** An observation as the import keeps it until it runs (and a dry run's plan is applied). */
    private static Map<String, Object> stored(Observation o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", o.key());
        m.put("values", o.values());
        List<Map<String, Object>> links = new ArrayList<>();
        for (Observation.Link l : o.links()) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("field", l.field());
            link.put("collections", l.collections());
            link.put("keys", l.keys());
            if (l.attributes() != null) link.put("attributes", l.attributes());
            links.add(link);
        }
        m.put("links", links);
        m.put("address", o.address());
        return m;
    }

    /** An observation as kept (its links still by the file's keys: the reconciler resolves them). */
    @SuppressWarnings("unchecked")
    private static Observation observation(Map<String, Object> m) {
        List<Observation.Link> links = new ArrayList<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) m.getOrDefault("links", List.of())) {
            links.add(new Observation.Link((String) l.get("field"), (List<String>) l.get("collections"), (List<String>) l.get("keys"),
                    (List<String>) l.get("attributes")));
        }
        return new Observation((String) m.get("key"), (Map<String, Object>) m.get("values"), links, (String) m.get("address"));
    }

    private UUID team(String requested, Caller caller, List<FieldError> errors) {
        if (requested == null || requested.isBlank()) {
            if (caller.defaultTeamId() == null) errors.add(new FieldError("team_id", "is required (you belong to no team)"));
            return caller.defaultTeamId();
        }
        UUID id = Validator.parseUuid(requested);
        if (id == null) {
            errors.add(new FieldError("team_id", "is not a valid id"));
            return null;
        }
        if (!caller.isMember(id)) throw ProblemException.forbidden("You are not a member of team " + id);
        return id;
    }

    private UUID datacenter(String requested, Caller caller, List<FieldError> errors) {
        if (requested == null || requested.isBlank()) return null;
        UUID id = Validator.parseUuid(requested);
        if (id == null) {
            errors.add(new FieldError("datacenter_id", "is not a valid id"));
            return null;
        }
        try {
            records.get(kinds.get("datacenters"), id, caller);
        } catch (ProblemException e) {
            if (e.status() != 404) throw e;
            errors.add(new FieldError("datacenter_id", "no datacenter with id " + id + " that you may read"));
        }
        return id;
    }

    private static Map<String, Object> doc(ImportStore.Row r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id().toString());
        d.put("name", r.name());
        d.put("format", r.format());
        d.put("team_id", r.teamId().toString());
        d.put("datacenter_id", r.datacenterId() == null ? null : r.datacenterId().toString());
        d.put("source_id", r.sourceId().toString());
        d.put("dry_run", r.dryRun());
        d.put("status", r.status());
        d.put("actor", r.actor());
        d.put("created_at", ImportStore.time(r.createdAt()));
        d.put("started_at", ImportStore.time(r.startedAt()));
        d.put("finished_at", ImportStore.time(r.finishedAt()));
        d.put("applied_at", ImportStore.time(r.appliedAt()));
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("phase", r.phase());
        progress.put("done", r.done());
        progress.put("total", r.total());
        d.put("progress", progress);
        d.put("counts", Json.parse(r.counts()));
        d.put("problems", Json.parse(r.problems()));
        d.put("detail", r.detail());
        return d;
    }
}
