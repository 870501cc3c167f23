package io.maestro.integrations.webhook;

import io.maestro.core.AllowedUrls;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.SecretCodec;
import io.maestro.core.record.Errors;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Renderer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Webhooks, a team-owned collection: its members read them, its admins (and global admins)
 * write them, as team-owned records are administered. The secret is sealed with the
 * {@link SecretCodec} and never returned ({@code has_secret}).
 */
@Service
public class Webhooks {
    static final List<String> ACTIONS = List.of("create", "update", "delete");
    /** Fields a client may send back from a GET; ignored on writes. */
    private static final Set<String> READ_ONLY = Set.of("id", "has_secret", "version", "created_at", "updated_at");
    private static final Set<String> WRITABLE = Set.of("name", "url", "secret", "collections", "actions", "enabled", "team_id");

    private final WebhookStore store;
    /** Where a webhook secret is stored; a new webhook's secret is bound to the column only (its id comes later). */
    private static final String SECRET_COLUMN = "secret";
    private final SecretCodec secrets;
    private final Kinds kinds;

    private final AllowedUrls allowedUrls;

    public Webhooks(WebhookStore store, SecretCodec secrets, Kinds kinds,
                    @Value("${maestro.webhooks.allowed-urls:}") String allowedUrls) {
        this.store = store;
        this.allowedUrls = AllowedUrls.parse(allowedUrls, "MAESTRO_WEBHOOKS_ALLOWED_URLS");
        this.secrets = secrets;
        this.kinds = kinds;
    }

    /** A stored webhook. {@code secret} is sealed. */
    record Hook(UUID id, UUID teamId, String name, String url, String secret, List<String> collections, List<String> actions,
                boolean enabled, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
        Map<String, Object> doc() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id.toString());
            m.put("team_id", teamId.toString());
            m.put("name", name);
            m.put("url", url);
            m.put("has_secret", secret != null);
            m.put("collections", collections);
            m.put("actions", actions);
            m.put("enabled", enabled);
            m.put("version", version);
            m.put("created_at", Renderer.time(createdAt));
            m.put("updated_at", Renderer.time(updatedAt));
            return m;
        }
    }

    // ---- reads

    public List<Map<String, Object>> list(Caller caller) {
        if (!caller.globalAdmin() && caller.teamIds().isEmpty()) return List.of();
        return store.hooks(caller.globalAdmin() ? null : caller.teamIds()).stream().map(Hook::doc).toList();
    }

    /** A webhook the caller may read (member of its team); 404 otherwise, as for any record they may not read. */
    Hook readable(UUID id, Caller caller) {
        Hook h = find(id).orElseThrow(() -> ProblemException.notFound("Webhook"));
        if (!caller.isMember(h.teamId())) throw ProblemException.notFound("Webhook");
        return h;
    }

    /** A webhook the caller may change: an admin of its team, not through a read token. */
    Hook administered(UUID id, Caller caller) {
        Hook h = readable(id, caller);
        requireAdmin(h.teamId(), caller);
        return h;
    }

    public Map<String, Object> get(UUID id, Caller caller) {
        return readable(id, caller).doc();
    }

    java.util.Optional<Hook> find(UUID id) {
        return store.find(id);
    }

    /** Secrets opened for sending; sealed for the webhook's own row (see {@link #SECRET_COLUMN}). */
    String openSecret(UUID webhookId, String sealed) {
        return sealed == null ? null : secrets.open(sealed, "webhooks", webhookId, SECRET_COLUMN);
    }

    // ---- writes

    @Transactional
    public Map<String, Object> create(Object body, Caller caller) {
        Map<String, Object> in = object(body);
        Errors errors = new Errors();
        UUID team = team(in.get("team_id"), caller, errors);
        Hook h = validate(in, null, errors);
        errors.throwIfAny();
        requireAdmin(team, caller);
        UUID id = UUID.randomUUID();
        store.insert(id, team, h, now());
        return find(id).orElseThrow().doc();
    }

    /** PUT (whole, {@code merge} false) or PATCH (merge patch): an omitted secret is kept, a null one removed. */
    @Transactional
    public Map<String, Object> update(UUID id, Object body, boolean merge, Long ifMatch, Caller caller) {
        Hook existing = administered(id, caller);
        if (ifMatch != null && ifMatch != existing.version()) {
            throw new ProblemException(412, "Precondition failed", "The webhook was changed since you read it (its version does not match If-Match)");
        }
        Map<String, Object> in = object(body);
        Map<String, Object> input = in;
        if (merge) {
            input = new LinkedHashMap<>(existing.doc());
            input.remove("has_secret");
            for (Map.Entry<String, Object> e : in.entrySet()) {
                if (e.getValue() == null && !e.getKey().equals("secret")) input.remove(e.getKey());
                else input.put(e.getKey(), e.getValue());
            }
        }
        Errors errors = new Errors();
        UUID team = existing.teamId();
        if (input.get("team_id") != null && !String.valueOf(input.get("team_id")).equals(team.toString())) {
            team = team(input.get("team_id"), caller, errors);
        }
        Hook h = validate(input, existing, errors);
        errors.throwIfAny();
        if (!team.equals(existing.teamId())) requireAdmin(team, caller);
        if (!store.update(id, existing.version(), team, h, now())) throw new ProblemException(412, "Precondition failed", "The webhook was changed meanwhile; read it again");
        return find(id).orElseThrow().doc();
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        administered(id, caller);
        store.delete(id);
    }

    // ---- validation

    private Hook validate(Map<String, Object> in, Hook existing, Errors errors) {
        for (String key : in.keySet()) {
            if (!WRITABLE.contains(key) && !READ_ONLY.contains(key)) errors.add(key, "unknown field");
        }
        String name = null;
        if (!(in.get("name") instanceof String s) || s.isBlank()) errors.add("name", "is required");
        else if (s.length() > 255) errors.add("name", "must be at most 255 characters");
        else name = s.strip();

        String url = url(in.get("url"), errors);

        String secret = existing == null ? null : existing.secret();
        if (in.containsKey("secret")) {
            Object s = in.get("secret");
            if (s == null) secret = null;
            else if (!(s instanceof String text) || text.isEmpty() || text.length() > 1024) errors.add("secret", "must be a string of 1 to 1024 characters");
            else secret = secrets.seal(text, "webhooks", existing == null ? null : existing.id(), SECRET_COLUMN);
        }

        List<String> collections = strings("collections", in.get("collections"), kinds.all().stream().map(Kind::collection).toList(), errors);
        List<String> actions = strings("actions", in.get("actions"), ACTIONS, errors);

        boolean enabled = true;
        if (in.get("enabled") != null) {
            if (in.get("enabled") instanceof Boolean b) enabled = b;
            else errors.add("enabled", "must be true or false");
        }
        return new Hook(null, null, name, url, secret, collections, actions, enabled, 0, null, null);
    }

    /** Only http and https, with a host, at most 2048 characters, to a destination {@link #refusal} allows. */
    String url(Object value, Errors errors) {
        if (!(value instanceof String s) || s.isBlank()) {
            errors.add("url", "is required (an http or https URL)");
            return null;
        }
        if (s.length() > 2048) {
            errors.add("url", "must be at most 2048 characters");
            return null;
        }
        URI uri = AllowedUrls.uri(s);
        if (uri == null) {
            errors.add("url", "must be an http or https URL with a host (and no user:password)");
            return null;
        }
        String refused = refusal(uri, false);
        if (refused != null) {
            errors.add("url", refused);
            return null;
        }
        return uri.toString();
    }

    /**
     * Why the server will not send to this URL, or null: a receiver must be on a public address
     * unless the operator allows its URL (MAESTRO_WEBHOOKS_ALLOWED_URLS), or a team admin could make
     * the server call what only it can reach (cloud metadata, the database, admin ports). Checked on
     * write and again before each send (a name may resolve elsewhere later; then one that does not
     * resolve is refused too).
     */
    String refusal(URI url, boolean sending) {
        if (allowedUrls.allows(url)) return null;
        String notPublic = AllowedUrls.notPublic(url, sending);
        return notPublic == null ? null : "is not allowed: " + notPublic + "; an operator may allow it with MAESTRO_WEBHOOKS_ALLOWED_URLS";
    }

    /** A list of allowed strings; absent or null: all of them. */
    private static List<String> strings(String field, Object value, List<String> allowed, Errors errors) {
        if (value == null) return allowed;
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            errors.add(field, "must be a non-empty array of: " + String.join(", ", allowed));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof String s) || !allowed.contains(s)) {
                String shown = String.valueOf(item);
                errors.add(field + "[" + i + "]", "unknown value '" + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)
                        + "'; allowed: " + String.join(", ", allowed));
            } else if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The named team (the caller must be its admin), else the caller's default team. */
    private UUID team(Object requested, Caller caller, Errors errors) {
        if (requested == null) {
            if (caller.defaultTeamId() == null) errors.add("team_id", "is required (you belong to no team)");
            return caller.defaultTeamId();
        }
        UUID id = requested instanceof String s ? parse(s) : null;
        if (id == null) {
            errors.add("team_id", "must be a team id");
            return null;
        }
        if (!store.teamExists(id)) {
            errors.add("team_id", "no team with id " + id);
            return null;
        }
        return id;
    }

    static void requireAdmin(UUID team, Caller caller) {
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        if (team == null || !caller.isTeamAdmin(team)) throw ProblemException.forbidden("Only admins of the team manage its webhooks");
    }

    private static UUID parse(String s) {
        try {
            return s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
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
