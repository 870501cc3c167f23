package io.maestro.identity;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the {@link Caller} of a request from the authenticated user and their team memberships. */
@Component
public class CurrentCaller implements CallerProvider {
    private final JdbcClient jdbc;

    public CurrentCaller(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /** The user and their memberships in one query: it runs on every API request. */
    public Caller forUser(String username, String via, boolean readOnly) {
        UUID[] user = new UUID[1];
        boolean[] admin = new boolean[1];
        List<UUID> teams = new ArrayList<>();
        List<UUID> adminTeams = new ArrayList<>();
        jdbc.sql("SELECT u.id, u.global_admin, m.team_id, m.role FROM app_user u LEFT JOIN team_member m ON m.user_id = u.id "
                        + "LEFT JOIN team t ON t.id = m.team_id WHERE u.username = :u ORDER BY t.created_at, t.name")
                .param("u", username).query(rs -> {
                    user[0] = rs.getObject("id", UUID.class);
                    admin[0] = rs.getBoolean("global_admin");
                    UUID team = rs.getObject("team_id", UUID.class);
                    if (team == null) return;
                    teams.add(team);
                    if ("admin".equals(rs.getString("role"))) adminTeams.add(team);
                });
        if (user[0] == null) throw new ProblemException(401, "Unauthorized", "Unknown user");
        return new Caller(user[0], username, admin[0], teams, adminTeams, teams.isEmpty() ? null : teams.get(0), via, readOnly);
    }

    /** Set as authentication details when a request came with an API token. */
    public record TokenDetails(UUID tokenId, String name, boolean readOnly) {
    }
}
