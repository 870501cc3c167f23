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
import java.util.Set;
import java.util.UUID;

/**
 * Create, read, list, replace, patch and delete for every kind: validation, access, relations,
 * automatic service entries and duplicate warnings, each write in one transaction.
 */
@Service
public class RecordService {
    /** Read-only names every record returns; sent back on a write they are ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", "version", "created_at", "updated_at", "warnings");

    private final Kinds kinds;
    private final RecordStore store;
    private final Relations relations;
    private final Tags tags;
    private final ServicePlacements placements;
    private final Validator validator;
    private final Renderer renderer;
    private final ListQueryParser queries;
    private final NamedParameterJdbcTemplate jdbc;

    public RecordService(Kinds kinds, RecordStore store, Relations relations, Tags tags, ServicePlacements placements,
                         Validator validator, Renderer renderer, ListQueryParser queries, NamedParameterJdbcTemplate jdbc) {
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

    /** One page of a list. */
    public record Listing(List<Map<String, Object>> items, long total, int page, int size) {
    }

    // ---- reads

    @Transactional(readOnly = true)
    public Map<String, Object> get(Kind kind, UUID id, Caller caller) {
        Scope scope = Scope.of(caller);
        Row row = store.find(kind, id, scope).orElseThrow(() -> notFound(kind));
        Map<String, Object> doc = renderer.render(kind, List.of(row), scope).get(0);
        doc.putAll(renderer.referencedBy(kind, id, scope));
        List<Map<String, Object>> warnings = warnings(kind, row.id(), row.teamId(), row.values());
        if (!warnings.isEmpty()) doc.put("warnings", warnings);
        return doc;
    }

    public long version(Kind kind, UUID id, Caller caller) {
        return store.find(kind, id, Scope.of(caller)).orElseThrow(() -> notFound(kind)).version();
    }

    @Transactional(readOnly = true)
    public Listing list(Kind kind, Map<String, String[]> params, Caller caller) {
        ListQuery query = queries.parse(kind, params);
        Scope scope = Scope.of(caller);
        RecordStore.Page page = store.list(kind, query, scope);
        return new Listing(renderer.render(kind, page.rows(), scope), page.total(), query.page(), query.size());
    }

    /** Names of records by id, limited to what the caller may read (the UI's links to related records). */
    @Transactional(readOnly = true)
    public Map<UUID, String> names(Kind kind, java.util.Collection<UUID> ids, Caller caller) {
        return store.names(kind, new ArrayList<>(new java.util.LinkedHashSet<>(ids)), Scope.of(caller));
    }

    // ---- writes

    @Transactional
    public Written create(Kind kind, Object body, Caller caller) {
        Map<String, Object> input = object(body);
        UUID teamId = team(kind, input.get("team_id"), caller);
        Draft draft = validate(kind, input, null, caller);
        UUID id = UUID.randomUUID();
        checkUnique(kind, draft, id);
        OffsetDateTime now = now();
        store.insert(kind, id, teamId, now, draft);
        writeParts(kind, id, draft, now);
        return written(kind, id, teamId, draft, caller);
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
        UUID teamId = input.containsKey("team_id") && input.get("team_id") != null
                && !String.valueOf(input.get("team_id")).equals(existing.teamId().toString())
                ? team(kind, input.get("team_id"), caller) : existing.teamId();
        Draft draft = validate(kind, input, existing.values(), caller);
        checkUnique(kind, draft, existing.id());
        OffsetDateTime now = now();
        if (!store.update(kind, existing.id(), existing.version(), teamId, now, draft)) {
            throw preconditionFailed();
        }
        writeParts(kind, existing.id(), draft, now);
        return written(kind, existing.id(), teamId, draft, caller);
    }

    @Transactional
    public void delete(Kind kind, UUID id, Long ifMatch, boolean detach, Caller caller) {
        Scope scope = Scope.of(caller);
        Row row = store.find(kind, id, scope).orElseThrow(() -> notFound(kind));
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        requireAdmin(kind, row, caller);
        OffsetDateTime now = now();
        List<String> usages = usages(kind, row);
        if (!usages.isEmpty() && !detach) {
            throw ProblemException.conflict(kind.label() + " '" + row.name() + "' is still used by " + String.join(", ", usages)
                    + "; detach them first or delete with ?detach=true").with("usages", usages);
        }
        detachUsages(kind, row, now);
        for (Relations.Edge e : relations.to(id)) {
            kinds.find(e.srcKind()).ifPresent(src -> store.touch(src, List.of(e.srcId()), now));
        }
        relations.deleteTo(id);
        relations.deleteFrom(id);
        tags.delete(id);
        List<UUID> serversWithAuto = placementServers(id);
        placements.deleteFor(id);
        kinds.find("servers").ifPresent(servers -> store.touch(servers, serversWithAuto, now));
        jdbc.update("DELETE FROM record_access WHERE record_id = :id", Map.of("id", id));
        store.delete(kind, id);
    }

    // ---- the parts of a write

    private Draft validate(Kind kind, Map<String, Object> input, Map<String, Object> stored, Caller caller) {
        Map<String, Object> in = new LinkedHashMap<>(input);
        in.remove("team_id");
        kind.prepare(in);
        Errors errors = new Errors();
        Set<String> ignored = new HashSet<>(READ_ONLY);
        ignored.addAll(kind.ignoredOnWrite());
        kinds.all().forEach(k -> ignored.add(k.collection()));
        kind.counts().forEach(c -> ignored.add(c.name()));
        Validator.Context ctx = validator.context(errors, stored, ignored);
        Draft draft = validator.validate(kind, in, ctx);
        resolve(draft, ctx, Scope.of(caller));
        kind.check(draft, errors);
        errors.throwIfAny();
        return draft;
    }

    /** Looks up every id and catalog name of the input at once; unknown or unreadable ones are field errors. */
    private void resolve(Draft draft, Validator.Context ctx, Scope scope) {
        Map<UUID, String> kindOf = new LinkedHashMap<>();
        Map<String, List<UUID>> wanted = new LinkedHashMap<>();
        for (PendingRef ref : ctx.refs) {
            if (ref.id() != null) ref.kinds().forEach(k -> wanted.computeIfAbsent(k, x -> new ArrayList<>()).add(ref.id()));
        }
        wanted.forEach((collection, ids) -> {
            Kind k = kinds.find(collection).orElse(null);
            List<UUID> found = k != null ? store.existing(k, ids.stream().distinct().toList(), scope) : identityIds(collection, ids);
            found.forEach(id -> kindOf.putIfAbsent(id, collection));
        });
        for (PendingRef ref : ctx.refs) {
            if (ref.id() != null && !kindOf.containsKey(ref.id())) {
                ctx.errors.add(ref.path(), "no " + String.join(" or ", ref.kinds().stream().map(this::singular).toList())
                        + " with id " + ref.id());
            }
        }
        draft.links.replaceAll((field, list) -> list.stream()
                .filter(l -> kindOf.containsKey(l.target()))
                .map(l -> new Draft.Link(l.target(), kindOf.get(l.target()), l.attribute())).toList());
        if (!ctx.errors.isEmpty()) return;
        // catalog names (services, providers): matched case-insensitively, created when new
        for (PendingRef ref : ctx.refs) {
            if (ref.catalogName() == null) continue;
            UUID id = catalogEntry(ref.kinds().get(0), ref.catalogName());
            String path = ref.path();
            if (draft.values.containsKey(path)) draft.values.put(path, catalogName(ref.kinds().get(0), id));
        }
        if (draft.services != null) {
            draft.services = draft.services.stream()
                    .map(s -> s.serviceId() != null ? s : s.withServiceId(catalogEntry("services", s.name()))).toList();
        }
    }

    private List<UUID> identityIds(String collection, List<UUID> ids) {
        String table = switch (collection) {
            case "teams" -> "team";
            case "users" -> "app_user";
            default -> throw new IllegalStateException("unknown reference kind " + collection);
        };
        return jdbc.queryForList("SELECT id FROM " + table + " WHERE id IN (:ids)", Map.of("ids", ids), UUID.class);
    }

    /** The id of the catalog entry named {@code name}, created when missing (its stored spelling wins). */
    public UUID catalogEntry(String collection, String name) {
        Kind catalog = kinds.get(collection);
        return store.idByName(catalog, name).orElseGet(() -> {
            Draft d = new Draft();
            d.values.put("name", name.strip());
            UUID id = UUID.randomUUID();
            store.insert(catalog, id, defaultTeam(), now(), d);
            return id;
        });
    }

    private String catalogName(String collection, UUID id) {
        return store.findAll(kinds.get(collection), List.of(id)).get(0).name();
    }

    private void writeParts(Kind kind, UUID id, Draft draft, OffsetDateTime now) {
        if (kind.fields().stream().anyMatch(f -> f.type == Type.REFS)) relations.replace(kind, id, draft.links);
        tags.replace(kind, id, draft.tags);
        if (draft.services != null) placements.replaceManual(id, draft.services);
        Kind.AutoService auto = kind.autoService();
        if (auto != null) {
            String serviceName = auto.serviceOf().apply(draft);
            UUID serviceId = serviceName == null ? null : catalogEntry("services", serviceName);
            Set<UUID> changed = placements.syncAuto(id, serviceId, draft.linkIds(auto.serversField()));
            store.touch(kinds.get("servers"), new ArrayList<>(changed), now);
        }
    }

    private Written written(Kind kind, UUID id, UUID teamId, Draft draft, Caller caller) {
        Scope scope = Scope.unrestricted();
        Row row = store.find(kind, id, scope).orElseThrow();
        Map<String, Object> doc = renderer.render(kind, List.of(row), Scope.of(caller)).get(0);
        List<Map<String, Object>> warnings = warnings(kind, id, teamId, draft.values);
        if (!warnings.isEmpty()) doc.put("warnings", warnings);
        return new Written(doc, warnings, row.version());
    }

    /** Duplicate warnings: same value in the same team is allowed, but said. */
    private List<Map<String, Object>> warnings(Kind kind, UUID id, UUID teamId, Map<String, Object> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Kind.DuplicateRule rule : kind.duplicateRules()) {
            Object v = values.get(rule.field());
            if (v == null) continue;
            List<UUID> conflicts = store.duplicates(kind, Field.column(rule.field()), v, rule.ignoreCase(), teamId, id);
            if (!conflicts.isEmpty()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("code", rule.code());
                w.put("field", rule.field());
                w.put("message", "another " + kind.label().toLowerCase() + " in this team has the same " + rule.field());
                w.put("conflicts", conflicts.stream().map(UUID::toString).toList());
                out.add(w);
            }
        }
        return out;
    }

    /** Uniqueness rules: 409 naming the record that already holds the value. */
    private void checkUnique(Kind kind, Draft draft, UUID self) {
        if (kind.uniqueName()) {
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
            params.put("self", self);
            List<UUID> existing = jdbc.queryForList("SELECT id FROM " + kind.table() + " WHERE " + String.join(" AND ", conds)
                    + " AND id <> :self", params, UUID.class);
            if (!existing.isEmpty()) {
                throw new ProblemException(409, "Conflict", rule.message(),
                        List.of(new io.maestro.core.FieldError(rule.paths().get(rule.paths().size() - 1), "already used")))
                        .with("existing_id", existing.get(0).toString());
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

    private void detachUsages(Kind kind, Row row, OffsetDateTime now) {
        if (!kind.protectedWhileUsed()) return;
        for (Kind other : kinds.all()) {
            for (RecordStore.Column c : store.columns(other)) {
                Object value = referenceValue(kind, c.field(), row);
                if (value != null) store.clearColumn(other, c.name(), value, now);
            }
        }
        if (kind.collection().equals("services")) {
            List<UUID> servers = jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE service_id = :id",
                    Map.of("id", row.id()), UUID.class);
            placements.deleteService(row.id());
            kinds.find("servers").ifPresent(s -> store.touch(s, servers, now));
        }
    }

    private List<UUID> placementServers(UUID sourceId) {
        return jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE source_id = :id", Map.of("id", sourceId), UUID.class);
    }

    // ---- access

    /** The team a new record goes to: the one named, if the caller belongs to it, else their default team. */
    private UUID team(Kind kind, Object requested, Caller caller) {
        if (kind.global()) {
            if (!caller.globalAdmin()) throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
            return defaultTeam();
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (requested == null) {
            if (caller.defaultTeamId() == null) throw ProblemException.badField("team_id", "is required (you belong to no team)");
            return caller.defaultTeamId();
        }
        UUID id;
        try {
            id = UUID.fromString(String.valueOf(requested));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("team_id", "is not a valid id");
        }
        List<UUID> exists = jdbc.queryForList("SELECT id FROM team WHERE id = :id", Map.of("id", id), UUID.class);
        if (exists.isEmpty()) throw ProblemException.badField("team_id", "no team with id " + id);
        if (!caller.isMember(id)) throw ProblemException.forbidden("You are not a member of team " + id);
        return id;
    }

    private Row writable(Kind kind, UUID id, Long ifMatch, Caller caller) {
        Row row = store.find(kind, id, Scope.of(caller)).orElseThrow(() -> notFound(kind));
        if (kind.global() && !caller.globalAdmin()) {
            throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (!kind.global() && !caller.isMember(row.teamId()) && !shared(row.id(), caller, Set.of("write", "admin"))) {
            throw ProblemException.forbidden("You may read but not change this " + kind.label().toLowerCase());
        }
        if (ifMatch != null && ifMatch != row.version()) throw preconditionFailed();
        return row;
    }

    private void requireAdmin(Kind kind, Row row, Caller caller) {
        if (kind.global()) {
            if (!caller.globalAdmin()) throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
            return;
        }
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (!caller.isTeamAdmin(row.teamId()) && !shared(row.id(), caller, Set.of("admin"))) {
            throw ProblemException.forbidden("Only admins of the owning team may delete this " + kind.label().toLowerCase());
        }
    }

    private boolean shared(UUID recordId, Caller caller, Set<String> levels) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", recordId);
        params.put("user", caller.userId());
        params.put("levels", levels);
        String teams = "";
        if (!caller.teamIds().isEmpty()) {
            params.put("teams", caller.teamIds());
            teams = " OR team_id IN (:teams)";
        }
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_access WHERE record_id = :id AND level IN (:levels) AND (user_id = :user"
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

    private String singular(String collection) {
        return kinds.find(collection).map(k -> k.label().toLowerCase()).orElse(collection.replaceAll("s$", ""));
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
