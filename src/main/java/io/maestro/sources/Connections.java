package io.maestro.sources;

import io.maestro.core.AllowedUrls;
import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.SecretCodec;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Renderer;
import io.maestro.core.record.Scope;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Discovery connections ({@code /api/v1/connections}): team-owned like records, with a change log,
 * and credentials that are write-only — the secret is sealed with the server's key (SecretCodec),
 * never returned ({@code has_secret} instead), {@code "***"} in history.
 */
@Service
public class Connections {
    static final Set<String> FIELDS = Set.of("name", "provider", "datacenter_id", "regions", "credentials", "endpoint_url", "resources",
            "schedule", "stale_after", "enabled", "team_id");
    static final Set<String> READ_ONLY = Set.of("id", "version", "created_at", "updated_at", "last_run");
    static final String MASK = "***";
    /** Where a connection's secret is sealed: bound to (connections, its id, secret_sealed). */
    static final String COLLECTION = "connections", SECRET_COLUMN = "secret_sealed";

    private final ConnectionStore rows;
    private final RunStore runs;
    private final SecretCodec secrets;
    private final RecordStore store;
    private final Kinds kinds;
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final AllowedUrls allowedEndpoints;

    Connections(ConnectionStore rows, RunStore runs, SecretCodec secrets, RecordStore store, Kinds kinds, List<Provider> providers,
                       @Value("${MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS:${maestro.discovery.allowed-endpoints:}}") String allowed) {
        this.rows = rows;
        this.runs = runs;
        this.secrets = secrets;
        this.store = store;
        this.kinds = kinds;
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.allowedEndpoints = AllowedUrls.parse(allowed, "MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS");
    }

    /** A stored connection; {@code secretSealed} never leaves this package. */
    public record Connection(UUID id, UUID teamId, long version, String name, String provider, UUID datacenterId, List<String> regions,
                             List<String> resources, String accessKeyId, String secretSealed, String endpointUrl, String schedule,
                             String staleAfter, boolean enabled, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        Duration staleAfterDuration() {
            return Duration.parse(staleAfter);
        }
    }

    Provider provider(Connection c) {
        return providers.get(c.provider());
    }

    /** The connection with its secret opened, for the provider's SDK only. */
    Provider.Target target(Connection c) {
        return new Provider.Target(c.accessKeyId(), c.secretSealed() == null ? null : secrets.open(c.secretSealed(), COLLECTION, c.id(), SECRET_COLUMN), c.endpointUrl(), c.datacenterId());
    }

    // ---- reads

    public List<Map<String, Object>> list(Caller caller) {
        return rows.list(caller.globalAdmin() ? null : caller.teamIds()).stream().map(this::doc).toList();
    }

    /** A connection the caller may read, else 404 (another team's connection is not theirs to know of). */
    public Connection readable(UUID id, Caller caller) {
        Connection c = load(id);
        if (c == null || !caller.isMember(c.teamId())) throw ProblemException.notFound("Connection");
        return c;
    }

    Connection load(UUID id) {
        return rows.load(id);
    }

    private Connection writable(UUID id, Caller caller) {
        Connection c = readable(id, caller);
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        return c;
    }

    public Map<String, Object> doc(Connection c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", c.id().toString());
        d.put("name", c.name());
        d.put("provider", c.provider());
        d.put("team_id", c.teamId().toString());
        d.put("datacenter_id", c.datacenterId().toString());
        d.put("regions", c.regions());
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("access_key_id", c.accessKeyId());
        credentials.put("has_secret", c.secretSealed() != null);
        d.put("credentials", credentials);
        d.put("endpoint_url", c.endpointUrl());
        d.put("resources", c.resources());
        d.put("schedule", c.schedule());
        d.put("stale_after", c.staleAfter());
        d.put("enabled", c.enabled());
        d.put("created_at", Renderer.time(c.createdAt()));
        d.put("updated_at", Renderer.time(c.updatedAt()));
        d.put("version", c.version());
        return d;
    }

    /** Reaches the endpoint and lists regions: {@code {ok, detail}}; refused credentials are ok false, said plainly. */
    public Map<String, Object> test(UUID id, Caller caller) {
        Connection c = readable(id, caller);
        Provider.Check check;
        try {
            check = provider(c).test(target(c), c.regions());
        } catch (RuntimeException e) {
            check = new Provider.Check(false, Runs.reason(e));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", check.ok());
        body.put("detail", check.detail());
        return body;
    }

    public List<Map<String, Object>> history(UUID id, Caller caller) {
        readable(id, caller);
        return rows.history(id);
    }

    // ---- writes

    @Transactional
    public Map<String, Object> create(Object body, Caller caller) {
        Map<String, Object> in = object(body);
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        UUID id = UUID.randomUUID();
        Draft d = validate(in, id, null, caller);
        OffsetDateTime now = now();
        Connection c = new Connection(id, d.teamId, 1, d.name, d.provider, d.datacenterId, d.regions, d.resources, d.accessKeyId,
                d.secretSealed, d.endpointUrl, d.schedule, d.staleAfter, d.enabled, now, now);
        try {
            rows.insert(c, nextRun(c.schedule(), now));
        } catch (DuplicateKeyException e) {
            throw nameTaken(d.name);
        }
        log(c, "create", changes(null, c), caller, now);
        return doc(c);
    }

    /** PUT and PATCH: a merge of the body into the stored connection ({@code ""} as the secret keeps the stored one). */
    @Transactional
    public Map<String, Object> update(UUID id, Object body, boolean merge, Caller caller) {
        Connection old = writable(id, caller);
        Map<String, Object> in = new LinkedHashMap<>(object(body));
        if (merge) {
            Map<String, Object> current = doc(old);
            current.keySet().removeAll(READ_ONLY);
            @SuppressWarnings("unchecked") Map<String, Object> creds = (Map<String, Object>) current.get("credentials");
            creds.remove("has_secret");
            if (in.get("credentials") instanceof Map<?, ?> sent) {
                Map<String, Object> merged = new LinkedHashMap<>(creds);
                sent.forEach((k, v) -> merged.put(String.valueOf(k), v));
                in.put("credentials", merged);
            }
            current.putAll(in);
            in = current;
        }
        Draft d = validate(in, id, old, caller);
        if (!d.teamId.equals(old.teamId()) && !caller.isTeamAdmin(old.teamId())) {
            throw ProblemException.forbidden("Only admins of the owning team may move this connection");
        }
        OffsetDateTime now = now();
        Connection c = new Connection(id, d.teamId, old.version() + 1, d.name, d.provider, d.datacenterId, d.regions, d.resources,
                d.accessKeyId, d.secretSealed, d.endpointUrl, d.schedule, d.staleAfter, d.enabled, old.createdAt(), now);
        List<Map<String, Object>> changes = changes(old, c);
        if (changes.isEmpty()) return doc(old);
        try {
            // a new schedule counts from now; an unchanged one keeps its next run
            rows.update(c, !Objects.equals(old.schedule(), c.schedule()), nextRun(c.schedule(), now));
        } catch (DuplicateKeyException e) {
            throw nameTaken(d.name);
        }
        log(c, "update", changes, caller, now);
        return doc(c);
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        Connection c = writable(id, caller);
        if (!caller.isTeamAdmin(c.teamId())) throw ProblemException.forbidden("Only admins of the owning team may delete this connection");
        if (runs.active(id) != null) {
            throw ProblemException.conflict("A run of this connection is queued or running; cancel it first");
        }
        log(c, "delete", List.of(), caller, now());
        rows.delete(id);
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(409, "Conflict", "This team already has a connection named '" + name + "'",
                List.of(new FieldError("name", "already used")));
    }

    static OffsetDateTime nextRun(String schedule, OffsetDateTime from) {
        return schedule == null ? null : from.plus(Duration.parse(schedule));
    }

    /** Field changes for the change log: the secret only ever as "***". */
    private List<Map<String, Object>> changes(Connection before, Connection after) {
        Map<String, Object> a = before == null ? Map.of() : doc(before);
        Map<String, Object> b = doc(after);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String field : b.keySet()) {
            if (READ_ONLY.contains(field) || field.equals("credentials")) continue;
            if (!Objects.equals(a.get(field), b.get(field))) out.add(change(field, a.get(field), b.get(field)));
        }
        if (!Objects.equals(before == null ? null : before.accessKeyId(), after.accessKeyId())) {
            out.add(change("credentials.access_key_id", before == null ? null : before.accessKeyId(), after.accessKeyId()));
        }
        String oldSecret = before == null ? null : before.secretSealed();
        if (!Objects.equals(oldSecret, after.secretSealed())) {
            out.add(change("credentials.secret_access_key", oldSecret == null ? null : MASK, after.secretSealed() == null ? null : MASK));
        }
        return out;
    }

    private static Map<String, Object> change(String field, Object old, Object now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("field", field);
        c.put("old", old);
        c.put("new", now);
        return c;
    }

    private void log(Connection c, String action, List<Map<String, Object>> changes, Caller caller, OffsetDateTime at) {
        rows.log(c, action, changes, caller.actor(), at);
    }

    // ---- validation

    /** A connection's input, validated. */
    private static final class Draft {
        String name, provider, accessKeyId, secretSealed, endpointUrl, schedule, staleAfter;
        UUID teamId, datacenterId;
        List<String> regions, resources;
        boolean enabled = true;
    }

    private Draft validate(Map<String, Object> in, UUID id, Connection old, Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        for (String key : in.keySet()) {
            if (!FIELDS.contains(key) && !READ_ONLY.contains(key)) errors.add(new FieldError(key, "unknown field"));
        }
        Draft d = new Draft();
        d.name = text(in, "name", 100, true, errors);
        d.provider = text(in, "provider", 16, true, errors);
        Provider provider = d.provider == null ? null : providers.get(d.provider);
        if (d.provider != null && provider == null) errors.add(new FieldError("provider", "unknown provider '" + d.provider + "'; known: " + providers.keySet()));
        d.teamId = team(in.get("team_id"), old, caller, errors);
        d.datacenterId = datacenter(in.get("datacenter_id"), d.teamId, errors);
        d.regions = strings(in, "regions", true, errors);
        if (d.regions != null && provider != null) {
            for (int i = 0; i < d.regions.size(); i++) {
                if (!provider.knownRegion(d.regions.get(i))) errors.add(new FieldError("regions[" + i + "]", "unknown " + d.provider + " region '" + d.regions.get(i) + "'"));
            }
        }
        if (d.regions != null && d.regions.isEmpty()) errors.add(new FieldError("regions", "must name at least one region"));
        d.resources = strings(in, "resources", false, errors);
        if (d.resources == null && provider != null) d.resources = provider.resources();
        if (d.resources != null && provider != null) {
            for (int i = 0; i < d.resources.size(); i++) {
                if (!provider.resources().contains(d.resources.get(i))) {
                    errors.add(new FieldError("resources[" + i + "]", "must be one of " + provider.resources()));
                }
            }
        }
        credentials(in.get("credentials"), id, old, d, errors);
        d.endpointUrl = endpoint(in.get("endpoint_url"), errors);
        d.schedule = duration(in, "schedule", null, Duration.ofMinutes(1), errors);
        d.staleAfter = duration(in, "stale_after", "P3D", Duration.ZERO, errors);
        Object enabled = in.get("enabled");
        if (enabled != null && !(enabled instanceof Boolean)) errors.add(new FieldError("enabled", "must be true or false"));
        else if (enabled != null) d.enabled = (Boolean) enabled;
        if (!errors.isEmpty()) throw ProblemException.badRequest("The connection has invalid fields", errors);
        return d;
    }

    private static String text(Map<String, Object> in, String field, int max, boolean required, List<FieldError> errors) {
        Object v = in.get(field);
        if (v == null || (v instanceof String s && s.isBlank())) {
            if (required) errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        s = s.strip();
        if (s.length() > max) errors.add(new FieldError(field, "must be at most " + max + " characters"));
        else if (s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) errors.add(new FieldError(field, "must not contain control characters"));
        else return s;
        return null;
    }

    private static List<String> strings(Map<String, Object> in, String field, boolean required, List<FieldError> errors) {
        Object v = in.get(field);
        if (v == null) {
            if (required) errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!(v instanceof List<?> list)) {
            errors.add(new FieldError(field, "must be an array of strings"));
            return null;
        }
        if (list.size() > 50) {
            errors.add(new FieldError(field, "must have at most 50 entries"));
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || s.isBlank() || s.length() > 64) errors.add(new FieldError(field + "[" + i + "]", "must be a name"));
            else out.add(s.strip());
        }
        return new ArrayList<>(out);
    }

    private static UUID team(Object requested, Connection old, Caller caller, List<FieldError> errors) {
        if (requested == null) {
            if (old != null) return old.teamId();
            if (caller.defaultTeamId() == null) errors.add(new FieldError("team_id", "is required (you belong to no team)"));
            return caller.defaultTeamId();
        }
        UUID id = requested instanceof String s ? io.maestro.core.record.Validator.parseUuid(s) : null;
        if (id == null) {
            errors.add(new FieldError("team_id", "is not a valid id"));
            return null;
        }
        if (!caller.isMember(id)) throw ProblemException.forbidden("You are not a member of team " + id);
        return id;
    }

    /** The datacenter the records go to: one the connection's team may read. */
    private UUID datacenter(Object v, UUID teamId, List<FieldError> errors) {
        if (v == null) {
            errors.add(new FieldError("datacenter_id", "is required"));
            return null;
        }
        UUID id = v instanceof String s ? io.maestro.core.record.Validator.parseUuid(s) : null;
        if (id == null) {
            errors.add(new FieldError("datacenter_id", "is not a valid id"));
            return null;
        }
        if (teamId == null) return id;
        Caller team = new Caller(new UUID(0, 0), "discovery", false, List.of(teamId), List.of(), teamId, null, false);
        if (store.existing(kinds.get("datacenters"), List.of(id), Scope.of(team)).isEmpty()) {
            errors.add(new FieldError("datacenter_id", "no datacenter with id " + id + " that the team may read"));
        }
        return id;
    }

    private void credentials(Object v, UUID id, Connection old, Draft d, List<FieldError> errors) {
        if (v == null) {
            if (old == null) errors.add(new FieldError("credentials", "is required: {access_key_id, secret_access_key}"));
            else {
                d.accessKeyId = old.accessKeyId();
                d.secretSealed = old.secretSealed();
            }
            return;
        }
        if (!(v instanceof Map<?, ?> m)) {
            errors.add(new FieldError("credentials", "must be an object {access_key_id, secret_access_key}"));
            return;
        }
        for (Object key : m.keySet()) {
            if (!Set.of("access_key_id", "secret_access_key", "has_secret").contains(String.valueOf(key))) {
                errors.add(new FieldError("credentials." + key, "unknown field"));
            }
        }
        if (!(m.get("access_key_id") instanceof String ak) || ak.isBlank() || ak.strip().length() > 128
                || ak.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            errors.add(new FieldError("credentials.access_key_id", "is required: a string of at most 128 characters"));
        } else {
            d.accessKeyId = ak.strip();
        }
        Object secret = m.get("secret_access_key");
        if (secret == null || "".equals(secret)) {
            // "" (an untouched password field) or nothing keeps the stored secret
            d.secretSealed = old == null ? null : old.secretSealed();
            if (d.secretSealed == null) errors.add(new FieldError("credentials.secret_access_key", "is required"));
        } else if (!(secret instanceof String s) || s.length() > 4096) {
            errors.add(new FieldError("credentials.secret_access_key", "must be a string of at most 4096 characters"));
        } else {
            d.secretSealed = secrets.seal(s, COLLECTION, id, SECRET_COLUMN);
        }
    }

    /**
     * The server sends signed requests to this URL, so a user may only name one the operator
     * allowed (MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS): otherwise a request forgery from the server.
     */
    private String endpoint(Object v, List<FieldError> errors) {
        if (v == null || (v instanceof String s && s.isBlank())) return null;
        if (!(v instanceof String s)) {
            errors.add(new FieldError("endpoint_url", "must be a string (an http or https URL) or null"));
            return null;
        }
        String url = s.strip();
        URI uri = AllowedUrls.uri(url);
        if (uri == null) {
            errors.add(new FieldError("endpoint_url", "must be an http or https URL"));
            return null;
        }
        if (!allowedEndpoints.allows(uri)) {
            errors.add(new FieldError("endpoint_url", allowedEndpoints.isEmpty()
                    ? "is not allowed: this server allows no endpoints (MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS is unset)"
                    : "is not allowed: it must start with one of MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS"));
            return null;
        }
        return url;
    }

    private static String duration(Map<String, Object> in, String field, String dflt, Duration min, List<FieldError> errors) {
        Object v = in.get(field);
        if (v == null) return dflt;
        if (!(v instanceof String s)) {
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT15M"));
            return null;
        }
        try {
            Duration d = Duration.parse(s.strip().toUpperCase());
            if (d.compareTo(min) < 0) {
                errors.add(new FieldError(field, "must be at least " + min));
                return null;
            }
            return d.toString();
        } catch (DateTimeParseException e) {
            // periods of days (P3D) parse as durations; months and years are not fixed lengths
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT15M or P3D"));
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object body) {
        if (!(body instanceof Map)) throw ProblemException.badField("body", "must be a JSON object");
        return (Map<String, Object>) body;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
