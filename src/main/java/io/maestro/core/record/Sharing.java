package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.AccessStore;
import io.maestro.core.access.Caller;
import io.maestro.core.schema.Field;
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
 * Sharing of one inventory record with teams or users ({@code record_access}), at read, write or
 * admin level. {@link Scope} reads these rows in every query; this class only lists and replaces them.
 */
@Service
public class Sharing {
    public static final List<String> LEVELS = List.of("read", "write", "admin");
    private static final Set<String> KEYS = Set.of("team_id", "user_id", "level", "name");
    private static final int MAX_ENTRIES = 500;

    private final Kinds kinds;
    private final RecordStore store;
    private final WritePipeline pipeline;
    private final AccessPolicy access;
    private final AccessStore shares;

    Sharing(Kinds kinds, RecordStore store, WritePipeline pipeline, AccessPolicy access, AccessStore shares) {
        this.kinds = kinds;
        this.store = store;
        this.pipeline = pipeline;
        this.access = access;
        this.shares = shares;
    }

    /** Members of the owning team and admins of the record see who else has it; mere sharers do not. */
    @Transactional(readOnly = true)
    public List<Map<String, Object>> get(Kind kind, UUID id, Caller caller) {
        Row row = readable(kind, id, caller);
        access.requireShareViewer(kind, row, caller);
        return entries(kind, id);
    }

    /** Replaces the whole share list; needs admin on the record (team admin, admin share or global admin). */
    @Transactional
    public List<Map<String, Object>> replace(Kind kind, UUID id, Object body, Caller caller) {
        Row row = readable(kind, id, caller);
        access.requireAdmin(kind, row, caller);
        List<Entry> entries = parse(body);
        shares.replaceShares(kind.collection(), id, entries.stream()
                .map(e -> new AccessStore.Share(e.team() ? e.principal() : null, e.team() ? null : e.principal(), e.level(), null)).toList());
        return entries(kind, id);
    }

    /**
     * Forgets a deleted user or team ({@code collection} users or teams): its shares, and
     * references to it such as a system's owner, so no record keeps a dangling id.
     */
    public void forgetPrincipal(UUID principal, String collection, Caller caller) {
        shares.deleteSharesOf(principal);
        OffsetDateTime now = pipeline.now();
        for (Kind kind : kinds.all()) {
            for (RecordStore.Column c : store.columns(kind)) {
                if (c.field().type == Field.Type.REF && c.field().refKinds().contains(collection)) {
                    List<UUID> changed = store.idsWhere(kind, c.name(), principal, Integer.MAX_VALUE);
                    store.clearColumn(kind, c.name(), principal);
                    pipeline.touch(kind, changed, now, caller);
                }
            }
        }
    }

    private Row readable(Kind kind, UUID id, Caller caller) {
        if (kind.global()) {
            throw ProblemException.notFound(kind.label() + " sharing (catalog entries are readable by everyone and not shared)");
        }
        return store.find(kind, id, access.readScope(caller)).orElseThrow(() -> ProblemException.notFound(kind.label()));
    }

    private record Entry(int index, boolean team, UUID principal, String level) {
    }

    private List<Entry> parse(Object body) {
        if (!(body instanceof List<?> items)) {
            throw ProblemException.badField("body", "must be an array of {team_id | user_id, level}");
        }
        if (items.size() > MAX_ENTRIES) throw ProblemException.badField("body", "must have at most " + MAX_ENTRIES + " entries");
        List<FieldError> errors = new ArrayList<>();
        List<Entry> out = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        List<UUID> teams = new ArrayList<>();
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = "[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                errors.add(new FieldError(p, "must be an object {team_id | user_id, level}"));
                continue;
            }
            m.keySet().stream().map(String::valueOf).filter(k -> !KEYS.contains(k))
                    .forEach(k -> errors.add(new FieldError(p + "." + k, "unknown field")));
            boolean team = m.get("team_id") != null;
            boolean user = m.get("user_id") != null;
            if (team == user) {
                errors.add(new FieldError(p, "give exactly one of team_id and user_id"));
                continue;
            }
            String key = team ? "team_id" : "user_id";
            UUID principal = uuid(m.get(key));
            if (principal == null) {
                errors.add(new FieldError(p + "." + key, "is not a valid id"));
                continue;
            }
            Object level = m.get("level");
            if (!(level instanceof String l) || !LEVELS.contains(l)) {
                errors.add(new FieldError(p + ".level", level == null ? "is required (read, write or admin)" : "must be read, write or admin"));
                continue;
            }
            if (!seen.add(principal)) {
                errors.add(new FieldError(p + "." + key, "is listed twice"));
                continue;
            }
            (team ? teams : users).add(principal);
            out.add(new Entry(i, team, principal, l));
        }
        Set<UUID> known = new HashSet<>(ids("team", teams));
        known.addAll(ids("app_user", users));
        for (Entry e : out) {
            if (!known.contains(e.principal())) {
                errors.add(new FieldError("[" + e.index() + "]." + (e.team() ? "team_id" : "user_id"),
                        "no " + (e.team() ? "team" : "user") + " with id " + e.principal()));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("The access list is invalid", errors);
        return out;
    }

    private List<UUID> ids(String table, List<UUID> ids) {
        return shares.existingPrincipals(table, ids);
    }

    private List<Map<String, Object>> entries(Kind kind, UUID id) {
        return shares.shares(kind.collection(), id).stream().map(sh -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (sh.teamId() != null) m.put("team_id", sh.teamId().toString());
            else m.put("user_id", sh.userId().toString());
            m.put("name", sh.name());
            m.put("level", sh.level());
            return m;
        }).toList();
    }

    private static UUID uuid(Object v) {
        if (!(v instanceof String s)) return null;
        try {
            UUID id = UUID.fromString(s.strip());
            return id.toString().equalsIgnoreCase(s.strip()) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
