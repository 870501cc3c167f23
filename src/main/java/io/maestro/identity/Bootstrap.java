package io.maestro.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * First start: team {@code default} and user {@code admin} (a global admin in it). The password
 * comes from MAESTRO_ADMIN_PASSWORD, or is generated and printed once; there is no fixed default.
 * Only on an empty installation: the {@code installation} row marks that it happened, so a
 * deleted admin stays deleted, and of several nodes starting at once on an empty database the
 * one whose row went in creates the admin while the others wait for its commit and skip.
 */
@Component
@Order(0)
public class Bootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;
    private final String configuredPassword;

    public Bootstrap(JdbcClient jdbc, PasswordEncoder encoder, @Value("${maestro.admin-password:}") String configuredPassword) {
        this.jdbc = jdbc;
        this.encoder = encoder;
        this.configuredPassword = configuredPassword;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean first = jdbc.sql("INSERT INTO installation (id, created_at) VALUES (1, :now) ON CONFLICT DO NOTHING")
                .param("now", now).update() == 1;
        // the catalog's team exists on every installation (another node may be creating it right now)
        jdbc.sql("INSERT INTO team (id, name, email, created_at) SELECT :id, 'default', NULL, :now "
                        + "WHERE NOT EXISTS (SELECT 1 FROM team WHERE name = 'default') ON CONFLICT DO NOTHING")
                .param("id", UUID.randomUUID()).param("now", now).update();
        if (!first) return;
        UUID team = jdbc.sql("SELECT id FROM team WHERE name = 'default'").query(UUID.class).single();
        if (jdbc.sql("SELECT COUNT(*) FROM app_user WHERE username = 'admin'").query(Long.class).single() > 0) return;
        boolean generated = configuredPassword == null || configuredPassword.isBlank();
        String password = generated ? randomPassword() : configuredPassword;
        UUID user = UUID.randomUUID();
        jdbc.sql("INSERT INTO app_user (id, username, password_hash, email, global_admin, created_at) "
                        + "VALUES (:id, 'admin', :hash, NULL, TRUE, :now)")
                .param("id", user).param("hash", encoder.encode(password)).param("now", now).update();
        jdbc.sql("INSERT INTO team_member (team_id, user_id, role) VALUES (:team, :user, 'admin')")
                .param("team", team).param("user", user).update();
        if (generated) {
            log.warn("\n\n    Created user 'admin' with password: {}\n    It is shown only this once; set MAESTRO_ADMIN_PASSWORD to choose it.\n", password);
        } else {
            log.info("Created user 'admin' with the password from MAESTRO_ADMIN_PASSWORD");
        }
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
