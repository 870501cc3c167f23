package io.maestro.core.access;

import java.util.List;
import java.util.UUID;

/**
 * Who is asking: the user, the teams they belong to (and where they are team admin), whether
 * they are a global admin, and through what (password or a token of some scope).
 */
public record Caller(UUID userId, String username, boolean globalAdmin, List<UUID> teamIds,
                     List<UUID> adminTeamIds, UUID defaultTeamId, String via, boolean readOnly) {

    public Caller {
        teamIds = List.copyOf(teamIds);
        adminTeamIds = List.copyOf(adminTeamIds);
    }

    public boolean isMember(UUID teamId) {
        return globalAdmin || teamIds.contains(teamId);
    }

    public boolean isTeamAdmin(UUID teamId) {
        return globalAdmin || adminTeamIds.contains(teamId);
    }

    /** Name written to history: the user, or the token that acted for them. */
    public String actor() {
        return via == null ? username : username + " (" + via + ")";
    }
}
