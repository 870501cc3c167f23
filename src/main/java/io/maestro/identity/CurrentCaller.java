package io.maestro.identity;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.cluster.ClusterVersion;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Builds the {@link Caller} of a request from the authenticated user and their team memberships. */
@Component
public class CurrentCaller implements CallerProvider {
    /** The {@link ClusterVersion} counter moved by every change of users, teams, memberships and passwords. */
    public static final String IDENTITY = "identity";
    private static final int MAX_ENTRIES = 10_000;

    private final AccountStore accounts;
    private final ClusterVersion versions;
    private final Map<String, Member> members = new ConcurrentHashMap<>();

    CurrentCaller(AccountStore accounts, ClusterVersion versions) {
        this.accounts = accounts;
        this.versions = versions;
    }

    @Override
    public Caller current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            throw new ProblemException(401, "Unauthorized", "Authentication is required");
        }
        String via = auth.getDetails() instanceof TokenDetails t ? "token " + t.name() : null;
        boolean readOnly = auth.getDetails() instanceof TokenDetails t && t.readOnly();
        return forUser(auth.getName(), via, readOnly);
    }

    /**
     * The user and their memberships, read in one query and remembered while the cluster's
     * identity counter is unchanged: every API request needs them, and a script's requests come
     * in bursts. Any change of users, teams or members ({@link Accounts}) moves the counter, so
     * this node forgets at once and every other node within {@link ClusterVersion}'s recheck time.
     */
    public Caller forUser(String username, String via, boolean readOnly) {
        long version = versions.current(IDENTITY); // read before the rows: what is loaded is at least this new
        Member m = members.get(username);
        if (m == null || m.version != version) {
            m = load(username, version);
            if (members.size() > MAX_ENTRIES) members.clear();
            members.put(username, m);
        }
        return new Caller(m.userId, username, m.admin, m.teams, m.adminTeams, m.teams.isEmpty() ? null : m.teams.get(0), via, readOnly);
    }

    /** Forgets every remembered membership: called after any change of users, teams or members. */
    public void forgetAll() {
        members.clear();
    }

    private Member load(String username, long version) {
        AccountStore.Membership m = accounts.membership(username)
                .orElseThrow(() -> new ProblemException(401, "Unauthorized", "Unknown user"));
        // sign-in already refuses them; this ends what was signed in before (a session, a remembered check)
        if (m.disabled()) throw new ProblemException(401, "Unauthorized", "This account is disabled");
        return new Member(m.userId(), m.globalAdmin(), m.teams(), m.adminTeams(), version);
    }

    private record Member(UUID userId, boolean admin, List<UUID> teams, List<UUID> adminTeams, long version) {
    }

    /** Set as authentication details when a request came with an API token. */
    public record TokenDetails(UUID tokenId, String name, boolean readOnly) {
    }
}
