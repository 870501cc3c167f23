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
import io.maestro.sources.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Reads the file and queues its import; 400 naming the field for a bad parameter or a file that cannot be read. */
    public Map<String, Object> start(Map<String, String> params, byte[] body, Caller caller) {
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

        ImportFormat.Read read = format.read(Json.parse(body), datacenter);
        boolean asGlobalAdmin = caller.globalAdmin() && format.match() == Reconciler.Match.RECORD;
        Reconciler.Tally tally = new Reconciler.Tally();
        tally.skipped = read.skipped;
        read.problems.forEach(p -> tally.problem(p.resource(), p.field(), p.message()));
        Map<String, List<Map<String, Object>>> observations = new LinkedHashMap<>();
        long total = 0;
        for (String collection : ordered(read.observations.keySet())) {
            List<Observation> read1 = read.observations.get(collection);
            if (kinds.get(collection).global() && !caller.globalAdmin()) {
                // the catalogs are everyone's: only a global admin changes them (names records use are still added as met)
                tally.skipped += read1.size();
                tally.problem(collection, null, read1.size() + " " + collection + " not imported: catalog entries are written by global admins"
                        + " only (the names records use are added as they are met)");
                continue;
            }
            List<Map<String, Object>> list = new ArrayList<>();
            for (Observation o : read1) list.add(stored(o));
            observations.put(collection, list);
            total += list.size();
        }
        UUID id = UUID.randomUUID();
        store.insert(new ImportStore.Row(id, team, store.sourceId(team, name).orElse(UUID.randomUUID()), name, formatName, datacenter,
                dry.equals("true"), "queued", caller.actor(), ImportStore.now(), null, null, null, null, 0, total,
                Json.write(tally.counts()), Json.write(tally.problemDocs()), null, asGlobalAdmin), Json.write(observations));
        jobs.submit(Jobs.Kind.IMPORT, id, () -> execute(id));
        return doc(store.get(id).orElseThrow());
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
            String text = store.plan(id);
            @SuppressWarnings("unchecked") List<Map<String, Object>> plan = text == null ? List.of() : (List<Map<String, Object>>) Json.parse(text);
            List<Map<String, Object>> matching = action == null ? plan : plan.stream().filter(e -> action.equals(e.get("action"))).toList();
            int end = Math.min(matching.size(), offset + size);
            d.put("plan", offset >= matching.size() ? List.of() : matching.subList(offset, end));
            d.put("plan_total", matching.size());
            d.put("next", end < matching.size() ? "/api/v1/imports/" + id + "?plan_offset=" + end + "&plan_size=" + size
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
        @SuppressWarnings("unchecked") Map<String, Map<String, Object>> touched = (Map<String, Map<String, Object>>) Json.parse(store.touched(id));
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : touched == null ? List.<Map.Entry<String, Map<String, Object>>>of() : touched.entrySet()) {
            Map<UUID, Long> now = store.versions(kinds.get(e.getKey()), e.getValue().keySet().stream().map(UUID::fromString).toList());
            e.getValue().forEach((rid, version) -> {
                if (!Long.valueOf(((Number) version).longValue()).equals(now.get(UUID.fromString(rid)))) changed.add(rid);
            });
        }
        if (!changed.isEmpty()) {
            throw ProblemException.conflict(changed.size() + " record(s) the plan touches changed since the dry run: run it again")
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
            OffsetDateTime start = ImportStore.now();
            Reconciler.Origin origin = new Reconciler.Origin("import", row.name(), row.sourceId().toString(), row.teamId(), row.datacenterId(),
                    List.of(), null, formats.get(row.format()).match(), row.asGlobalAdmin());
            @SuppressWarnings("unchecked") Map<String, List<Map<String, Object>>> stored =
                    (Map<String, List<Map<String, Object>>>) Json.parse(store.observations(id));
            Map<String, List<Observation>> later = new LinkedHashMap<>();
            if (planOnly) {
                // a plan sees every link at once: a link to a record the file brings further on is no missing one
                stored.forEach((collection, list) -> list.forEach(m -> tally.comingLater.add(collection + " " + m.get("key"))));
            }
            long[] before = {0};
            for (Map.Entry<String, List<Map<String, Object>>> e : stored.entrySet()) {
                Kind kind = kinds.get(e.getKey());
                List<Observation> observations = observations(e.getValue());
                if (!planOnly) observations = deferForwardLinks(e.getKey(), observations, later, tally);
                String phase = e.getKey();
                long offset = before[0];
                Reconciler.Progress progress = (done, total) -> store.progress(id, phase, offset + done, row.total(), Json.write(tally.counts()),
                        Json.write(tally.problemDocs()));
                if (planOnly) reconciler.plan(origin, kind, observations, tally, progress);
                else reconciler.reconcile(origin, kind, observations, start, tally, progress);
                before[0] += observations.size();
            }
            relink(id, origin, later, start, tally);
        } catch (RuntimeException e) {
            log.warn("Import {} failed", id, e);
            status = "failed";
            detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String plan = planOnly ? Json.write(tally.plan) : null;
        String touched = null;
        if (planOnly) {
            Map<String, Map<String, Long>> byKind = new LinkedHashMap<>();
            for (Map<String, Object> entry : tally.plan) {
                if (entry.get("id") == null) continue;
                UUID rid = UUID.fromString((String) entry.get("id"));
                Long version = tally.touched.get(rid);
                if (version != null) byKind.computeIfAbsent((String) entry.get("collection"), k -> new LinkedHashMap<>()).put(rid.toString(), version);
            }
            touched = Json.write(byKind);
        }
        store.finished(id, status, Json.write(tally.counts()), Json.write(tally.problemDocs()), detail, plan, touched);
    }

    /**
     * The observations of {@code collection} without their links to records of the same or a later
     * collection (not reconciled yet): those fields are set by {@link #relink} once every kind is in,
     * and their records' outcomes are watched so that counts say what happened to each record once.
     */
    private static List<Observation> deferForwardLinks(String collection, List<Observation> observations, Map<String, List<Observation>> later,
                                                       Reconciler.Tally tally) {
        int here = ORDER.indexOf(collection);
        List<Observation> now = new ArrayList<>(observations.size());
        for (Observation o : observations) {
            java.util.Set<String> deferred = new java.util.HashSet<>();
            for (Observation.Link l : o.links()) {
                if (l.collections().stream().anyMatch(c -> ORDER.indexOf(c) >= here)) deferred.add(l.field());
            }
            if (deferred.isEmpty()) {
                now.add(o);
                continue;
            }
            now.add(new Observation(o.key(), o.values(), o.links().stream().filter(l -> !deferred.contains(l.field())).toList(), o.address()));
            Map<String, Object> identity = new LinkedHashMap<>();
            if (o.values().containsKey("id")) identity.put("id", o.values().get("id"));
            if (o.values().containsKey("external_id")) identity.put("external_id", o.values().get("external_id"));
            later.computeIfAbsent(collection, c -> new ArrayList<>())
                    .add(new Observation(o.key(), identity, o.links().stream().filter(l -> deferred.contains(l.field())).toList(), o.address()));
            tally.watched.add(collection + " " + o.key());
        }
        return now;
    }

    /**
     * Sets the links deferred by {@link #deferForwardLinks}. A record this import created, or
     * updated already, is counted once; one that was unchanged until its links moved is updated.
     */
    private void relink(UUID id, Reconciler.Origin origin, Map<String, List<Observation>> later, OffsetDateTime start, Reconciler.Tally tally) {
        if (later.isEmpty()) return;
        Reconciler.Tally links = new Reconciler.Tally();
        links.watched.addAll(tally.watched);
        long all = later.values().stream().mapToLong(List::size).sum();
        long[] before = {0};
        for (Map.Entry<String, List<Observation>> e : later.entrySet()) {
            long offset = before[0];
            reconciler.relink(origin, kinds.get(e.getKey()), e.getValue(), start, links, (done, n) -> store.progress(id, "links", offset + done,
                    all, Json.write(tally.counts()), Json.write(tally.problemDocs())));
            before[0] += e.getValue().size();
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

    /** Observations as stored (their links still by the file's keys: the reconciler resolves them). */
    @SuppressWarnings("unchecked")
    private static List<Observation> observations(List<Map<String, Object>> stored) {
        List<Observation> out = new ArrayList<>();
        for (Map<String, Object> m : stored) {
            List<Observation.Link> links = new ArrayList<>();
            for (Map<String, Object> l : (List<Map<String, Object>>) m.getOrDefault("links", List.of())) {
                links.add(new Observation.Link((String) l.get("field"), (List<String>) l.get("collections"), (List<String>) l.get("keys"),
                        (List<String>) l.get("attributes")));
            }
            out.add(new Observation((String) m.get("key"), (Map<String, Object>) m.get("values"), links, (String) m.get("address")));
        }
        return out;
    }

    private static List<String> ordered(java.util.Set<String> collections) {
        return collections.stream().sorted(Comparator.comparingInt(c -> ORDER.indexOf(c) < 0 ? ORDER.size() : ORDER.indexOf(c))).toList();
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
