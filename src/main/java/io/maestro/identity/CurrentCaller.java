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

    public Caller forUser(String username, String via, boolean readOnly) {
        record U(UUID id, boolean admin) {
        }
        U user = jdbc.sql("SELECT id, global_admin FROM app_user WHERE username = :u").param("u", username)
                .query((rs, i) -> new U(rs.getObject("id", UUID.class), rs.getBoolean("global_admin")))
                .optional().orElseThrow(() -> new ProblemException(401, "Unauthorized", "Unknown user"));
        List<UUID> teams = new ArrayList<>();
        List<UUID> adminTeams = new ArrayList<>();
        jdbc.sql("SELECT m.team_id, m.role FROM team_member m JOIN team t ON t.id = m.team_id WHERE m.user_id = :u ORDER BY t.created_at, t.name")
                .param("u", user.id()).query(rs -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    teams.add(team);
                    if ("admin".equals(rs.getString("role"))) adminTeams.add(team);
                });
        return new Caller(user.id(), username, user.admin(), teams, adminTeams, teams.isEmpty() ? null : teams.get(0), via, readOnly);
    }

    /** Set as authentication details when a request came with an API token. */
    public record TokenDetails(UUID tokenId, String name, boolean readOnly) {
    }
}
