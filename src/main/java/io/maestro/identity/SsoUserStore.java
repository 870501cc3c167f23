package io.maestro.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of single sign-on users: found by (issuer, subject), their teams set from the provider's groups. */
@Repository
public class SsoUserStore {
    /** Stands where a bcrypt hash would be: no password ever matches it, so an SSO user has no local password. */
    static final String NO_PASSWORD = "!sso";

    private final JdbcClient jdbc;

    public SsoUserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Linked(UUID id, String username, boolean disabled) {
    }

    Optional<Linked> find(String issuer, String subject) {
        return jdbc.sql("SELECT id, username, disabled FROM app_user WHERE sso_issuer = :i AND sso_subject = :s")
                .param("i", issuer).param("s", subject)
                .query((rs, n) -> new Linked(rs.getObject("id", UUID.class), rs.getString("username"), rs.getBoolean("disabled"))).optional();
    }

    boolean usernameTaken(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE LOWER(username) = :u").param("u", username.toLowerCase())
                .query(Long.class).single() > 0;
    }

    UUID create(String username, String email, boolean globalAdmin, String issuer, String subject) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO app_user (id, username, password_hash, email, global_admin, created_at, sso_issuer, sso_subject) "
                        + "VALUES (:id, :u, :p, :e, :a, :now, :i, :s)")
                .param("id", id).param("u", username).param("p", NO_PASSWORD).param("e", email).param("a", globalAdmin)
                .param("now", now()).param("i", issuer).param("s", subject).update();
        return id;
    }

    void update(UUID id, String email, Boolean globalAdmin) {
        jdbc.sql("UPDATE app_user SET email = :e WHERE id = :id").param("e", email).param("id", id).update();
        if (globalAdmin != null) jdbc.sql("UPDATE app_user SET global_admin = :a WHERE id = :id").param("a", globalAdmin).param("id", id).update();
    }

    boolean globalAdmin(UUID id) {
        return jdbc.sql("SELECT global_admin FROM app_user WHERE id = :id").param("id", id).query(Boolean.class).single();
    }

    /** The team named {@code name} (any case), created when missing (another node may be creating it at the same moment). */
    UUID team(String name) {
        jdbc.sql("INSERT INTO team (id, name, email, created_at) SELECT :id, :n, NULL, :now "
                        + "WHERE NOT EXISTS (SELECT 1 FROM team WHERE LOWER(name) = :lower) ON CONFLICT DO NOTHING")
                .param("id", UUID.randomUUID()).param("n", name).param("lower", name.toLowerCase()).param("now", now()).update();
        return jdbc.sql("SELECT id FROM team WHERE LOWER(name) = :lower").param("lower", name.toLowerCase()).query(UUID.class).single();
    }

    /** Makes the user's memberships exactly {@code roles} (team id → member or admin). */
    void setMemberships(UUID user, Map<UUID, String> roles) {
        jdbc.sql("SELECT team_id FROM team_member WHERE user_id = :u").param("u", user).query(UUID.class).list().stream()
                .filter(t -> !roles.containsKey(t))
                .forEach(t -> jdbc.sql("DELETE FROM team_member WHERE team_id = :t AND user_id = :u").param("t", t).param("u", user).update());
        roles.forEach((team, role) -> {
            int n = jdbc.sql("UPDATE team_member SET role = :r WHERE team_id = :t AND user_id = :u")
                    .param("r", role).param("t", team).param("u", user).update();
            if (n == 0) {
                jdbc.sql("INSERT INTO team_member (team_id, user_id, role) VALUES (:t, :u, :r)")
                        .param("t", team).param("u", user).param("r", role).update();
            }
        });
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
