package io.maestro.core.access;

import io.maestro.core.ProblemException;
import io.maestro.core.record.Errors;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Row;
import io.maestro.core.record.Scope;
import io.maestro.core.record.Validator;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Every access rule in one place (docs/access.md): what a caller may read (the predicate every
 * query carries), change and administer, which team a new record goes to, which history entries
 * they see, and which teams and users the pages may name to them. The record service, bulk,
 * sharing, history, graph and the web pages ask here instead of deciding themselves.
 */
@Component
public class AccessPolicy {
    private static final Set<String> CHANGE = Set.of("write", "admin");
    private static final Set<String> ADMIN = Set.of("admin");

    private final AccessStore store;
    private final Kinds kinds;

    AccessPolicy(AccessStore store, Kinds kinds) {
        this.store = store;
        this.kinds = kinds;
    }

    // ---- reading

    /** The read predicate of the caller: their teams' records and those shared with them (global admins: all). */
    public Scope readScope(Caller caller) {
        return Scope.of(caller);
    }

    /**
     * The read rule for history entries ({@code alias} a change row with kind, record_id and
     * team_id at the time of the change): the caller's teams' changes, changes of records shared
     * with them now, and the catalogs.
     */
    public String historyPredicate(Caller caller, String alias, Map<String, Object> params) {
        if (caller.globalAdmin()) return "1=1";
        List<String> global = kinds.all().stream().filter(Kind::global).map(Kind::collection).toList();
        params.put("global_kinds", global);
        params.put("me", caller.userId());
        String shared = alias + ".record_id IN (SELECT a.record_id FROM record_access a WHERE a.kind = " + alias + ".kind AND (a.user_id = :me"
                + (caller.teamIds().isEmpty() ? "" : " OR a.team_id IN (:teams)") + "))";
        String own = "";
        if (!caller.teamIds().isEmpty()) {
            params.put("teams", caller.teamIds());
            own = alias + ".team_id IN (:teams) OR ";
        }
        return "(" + own + shared + " OR " + alias + ".kind IN (:global_kinds))";
    }

    // ---- changing

    /** What a caller may do with a record they can read: change it; delete, share or move it. */
    public record Rights(boolean change, boolean administer) {
    }

    /** The rights {@link #requireChange} and {@link #requireAdmin} enforce, asked ahead (the UI offers only what will work). */
    public Rights rights(Kind kind, UUID id, UUID teamId, Caller caller) {
        if (caller.readOnly() || (kind.global() && !caller.globalAdmin())) return new Rights(false, false);
        if (kind.global()) return new Rights(true, true);
        boolean admin = mayAdminister(kind, id, teamId, caller);
        return new Rights(admin || mayChange(kind, id, teamId, caller), admin);
    }

    /** Whether the caller may write records of this kind at all (catalogs: global admins; else any write-capable caller). */
    public boolean mayWriteKind(Kind kind, Caller caller) {
        return kind.global() ? caller.globalAdmin() : !caller.readOnly();
    }

    /** 403 unless the caller may change {@code row} (PUT, PATCH, a bulk row updating it). */
    public void requireChange(Kind kind, Row row, Caller caller) {
        requireCatalogWriter(kind, caller);
        if (caller.readOnly()) throw readOnly();
        if (!kind.global() && !mayChange(kind, row.id(), row.teamId(), caller)) {
            throw ProblemException.forbidden("You may read but not change this " + kind.label().toLowerCase());
        }
    }

    /** 403 unless the caller may administer {@code row}: delete it, change its access, move it to another team. */
    public void requireAdmin(Kind kind, Row row, Caller caller) {
        requireCatalogWriter(kind, caller);
        if (kind.global()) return;
        if (caller.readOnly()) throw readOnly();
        if (!mayAdminister(kind, row.id(), row.teamId(), caller)) {
            throw ProblemException.forbidden("Only admins of the owning team may delete this " + kind.label().toLowerCase());
        }
    }

    /** Members of the owning team and admins of the record see whom it is shared with; a read or write share does not. */
    public void requireShareViewer(Kind kind, Row row, Caller caller) {
        if (!caller.isMember(row.teamId()) && !store.sharedAt(kind.collection(), row.id(), caller, ADMIN)) {
            throw ProblemException.forbidden("Only members of the owning team and admins of this "
                    + kind.label().toLowerCase() + " see whom it is shared with");
        }
    }

    /**
     * The team a new record goes to: the one named, if the caller belongs to it, else their
     * default team (catalog entries: the default team, for global admins). A bad or unknown
     * team_id is a field error added to {@code errors}, reported with the others; 403 when the
     * caller may not create here at all.
     */
    public UUID teamForNew(Kind kind, Object requested, Caller caller, Errors errors) {
        if (kind.global()) {
            requireCatalogWriter(kind, caller);
            return store.defaultTeam();
        }
        if (caller.readOnly()) throw readOnly();
        if (requested == null) {
            if (caller.defaultTeamId() == null) errors.add("team_id", "is required (you belong to no team)");
            return caller.defaultTeamId();
        }
        if (!(requested instanceof String text)) {
            errors.add("team_id", "must be an id (string)");
            return null;
        }
        UUID id = Validator.parseUuid(text);
        if (id == null) {
            errors.add("team_id", "is not a valid id");
            return null;
        }
        if (!store.teamExists(id)) {
            errors.add("team_id", "no team with id " + id);
            return null;
        }
        if (!caller.isMember(id)) throw ProblemException.forbidden("You are not a member of team " + id);
        return id;
    }

    private boolean mayChange(Kind kind, UUID id, UUID teamId, Caller caller) {
        return caller.isMember(teamId) || store.sharedAt(kind.collection(), id, caller, CHANGE);
    }

    private boolean mayAdminister(Kind kind, UUID id, UUID teamId, Caller caller) {
        return caller.isTeamAdmin(teamId) || store.sharedAt(kind.collection(), id, caller, ADMIN);
    }

    private static void requireCatalogWriter(Kind kind, Caller caller) {
        if (kind.global() && !caller.globalAdmin()) {
            throw ProblemException.forbidden("Only global admins change the " + kind.collection() + " catalog");
        }
    }

    private static ProblemException readOnly() {
        return ProblemException.forbidden("This token may only read");
    }

    // ---- the directory: which teams and users may be named to the caller

    /**
     * Teams the caller may see named: those they belong to and those owning a record shared with
     * them (global admins: all). Team pickers and the share tab offer these.
     */
    public Map<UUID, String> visibleTeams(Caller caller) {
        Map<String, String> tables = new LinkedHashMap<>();
        kinds.all().stream().filter(k -> !k.global()).forEach(k -> tables.put(k.collection(), k.table()));
        return store.teams(caller, caller.globalAdmin(), tables);
    }

    /** Teams a caller may put records in: every team for a global admin, else their own. */
    public Map<UUID, String> teamsToWriteIn(Caller caller) {
        if (caller.globalAdmin()) return visibleTeams(caller);
        Map<UUID, String> names = store.names("team", "name", caller.teamIds());
        Map<UUID, String> out = new LinkedHashMap<>();
        caller.teamIds().forEach(id -> out.put(id, names.getOrDefault(id, id.toString())));
        return out;
    }

    /** Users the caller may see named: themselves and the members of their teams (as GET /users; global admins: all). */
    public Map<UUID, String> visibleUsers(Caller caller, int limit) {
        return store.users(caller, caller.globalAdmin(), limit);
    }

    /**
     * Names of teams the caller already holds ids of (a readable record's team or owner): the
     * record shows the id, so its name tells nothing more.
     */
    public Map<UUID, String> teamNames(Collection<UUID> ids) {
        return store.names("team", "name", ids);
    }

    public Map<UUID, String> userNames(Collection<UUID> ids) {
        return store.names("app_user", "username", ids);
    }

    /** The id of a team named in a form (sharing with it): the services take ids. */
    public Optional<UUID> teamId(String name) {
        return store.teamId(name);
    }

    /** The id of a user named in a form (sharing with, adding to a team): the services take ids. */
    public Optional<UUID> userId(String username) {
        return store.userId(username);
    }
}
