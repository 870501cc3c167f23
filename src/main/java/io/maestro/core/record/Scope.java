package io.maestro.core.record;

import io.maestro.core.access.Caller;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The access predicate every query of team-owned records carries: the caller's teams, or
 * nothing for global admins. Built once per request from the {@link Caller}; SQL, never a
 * filter after the fetch.
 */
public final class Scope {
    private final boolean all;
    private final List<UUID> teams;
    private final UUID userId;

    private Scope(boolean all, List<UUID> teams, UUID userId) {
        this.all = all;
        this.teams = teams;
        this.userId = userId;
    }

    public static Scope of(Caller caller) {
        return new Scope(caller.globalAdmin(), caller.teamIds(), caller.userId());
    }

    /** For internal work that must see every record (integrity checks, auto relations). */
    public static Scope unrestricted() {
        return new Scope(true, List.of(), null);
    }

    public boolean unrestrictedAccess() {
        return all;
    }

    /**
     * SQL condition on {@code alias}'s team that limits rows to what the caller may read:
     * their teams' records and records shared with them or their teams. A share names its
     * collection too: it opens that record, never a record of another kind with the same id.
     * The collection's parameter is named after it, so one statement may hold the predicates of
     * several kinds (a record's reverse relations).
     */
    public String predicate(Kind kind, String alias, Map<String, Object> params) {
        if (all || kind.global()) return "1=1";
        String kindParam = "scope_kind_" + kind.collection();
        bind(params);
        params.put(kindParam, kind.collection());
        String shared = alias + ".id IN (SELECT a.record_id FROM record_access a WHERE a.kind = :" + kindParam + " AND (a.user_id = :scope_user"
                + (teams.isEmpty() ? "" : " OR a.team_id IN (:scope_teams)") + "))";
        if (teams.isEmpty()) return shared;
        return "(" + alias + ".team_id IN (:scope_teams) OR " + shared + ")";
    }

    /**
     * What the SQL text of {@link #predicate} depends on: callers of one shape get the same text
     * and differ only in the parameters {@link #bind} sets, so a statement can be built once per shape.
     */
    public String shape() {
        return all ? "all" : teams.isEmpty() ? "user" : "teams";
    }

    /** Sets the caller's own parameters of {@link #predicate}: who they are and their teams. */
    public void bind(Map<String, Object> params) {
        if (all) return;
        params.put("scope_user", userId);
        if (!teams.isEmpty()) params.put("scope_teams", teams);
    }
}
