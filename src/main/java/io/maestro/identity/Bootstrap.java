package io.maestro.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
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

    private final AccountStore accounts;
    private final PasswordEncoder encoder;
    private final String configuredPassword;

    Bootstrap(AccountStore accounts, PasswordEncoder encoder, @Value("${maestro.admin-password:}") String configuredPassword) {
        this.accounts = accounts;
        this.encoder = encoder;
        this.configuredPassword = configuredPassword;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean first = accounts.claimInstallation(now);
        // the catalog's team exists on every installation
        UUID team = accounts.defaultTeam(now);
        if (!first || accounts.userId("admin").isPresent()) return;
        boolean generated = configuredPassword == null || configuredPassword.isBlank();
        String password = generated ? randomPassword() : configuredPassword;
        UUID user = UUID.randomUUID();
        accounts.insertUser(user, "admin", encoder.encode(password), null, null, true, now);
        accounts.addMember(team, user, "admin");
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
