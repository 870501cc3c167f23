package io.maestro.web;

import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.Caller;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Names of teams and users for the pages (a record's team, a system's owner, the pickers and the
 * share tab). Which of them a caller may see is the {@link AccessPolicy}'s rule: their teams and
 * those sharing with them, themselves and their teams' members (global admins: all).
 */
@Component
class Directory {
    private final AccessPolicy access;

    Directory(AccessPolicy access) {
        this.access = access;
    }

    /** Names of teams whose ids the page already shows (a readable record's team). */
    Map<UUID, String> teamNames(Collection<UUID> ids) {
        return access.teamNames(ids);
    }

    Map<UUID, String> userNames(Collection<UUID> ids) {
        return access.userNames(ids);
    }

    /** Teams a picker may offer the caller. */
    Map<UUID, String> teams(Caller caller) {
        return access.visibleTeams(caller);
    }

    /** Teams a caller may put records in: every team for a global admin, else their own. */
    Map<UUID, String> teamsFor(Caller caller) {
        return access.teamsToWriteIn(caller);
    }

    /** Users a picker may offer the caller, by name, at most {@code limit}. */
    Map<UUID, String> users(Caller caller, int limit) {
        return access.visibleUsers(caller, limit);
    }

    /** The id of a team by name (the share form takes names where the services take ids). */
    Optional<UUID> teamId(String name) {
        return access.teamId(name);
    }

    /** The id of a user by name: forms take usernames where the services take ids. */
    Optional<UUID> userId(String username) {
        return access.userId(username);
    }
}
