package io.maestro.web;

import io.maestro.support.ApiTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The estate the insight page tests look at, made through the API by the admin: team red's client
 * Globex, its system red-payments, the application red-billing on server red-app01 depending on the
 * database red-ledger on server red-db01 (in datacenter red-dc); and team blue's application
 * blue-spy, which depends on red's database, and server blue-01. The user {@link #RED} is a member
 * of team red only.
 */
final class InsightEstate {
    static final String RED = "insight-red-user";
    static final String RED_PASSWORD = "insight-red-password-1";

    final Map<String, String> ids = new LinkedHashMap<>();
    UUID redTeam;
    UUID blueTeam;
    /** When the estate was complete: the last write's instant. */
    OffsetDateTime built;

    static InsightEstate create(ApiTest.Client admin, JdbcTemplate jdbc, PasswordEncoder encoder) {
        InsightEstate e = new InsightEstate();
        jdbc.update("DELETE FROM saved_report");
        e.redTeam = team(jdbc, "insight-red");
        e.blueTeam = team(jdbc, "insight-blue");
        if (jdbc.queryForObject("SELECT COUNT(*) FROM app_user WHERE username = ?", Long.class, RED) == 0) {
            UUID user = UUID.randomUUID();
            jdbc.update("INSERT INTO app_user (id, username, password_hash, global_admin, created_at) VALUES (?, ?, ?, FALSE, ?)",
                    user, RED, encoder.encode(RED_PASSWORD), OffsetDateTime.now());
            jdbc.update("INSERT INTO team_member (team_id, user_id, role) VALUES (?, ?, 'admin')", e.redTeam, user);
        }
        e.add(admin, "dc", "datacenters", "{\"name\": \"red-dc\", \"team_id\": \"%s\"}", e.redTeam);
        e.add(admin, "db01", "servers", """
                {"hostname": "red-db01", "ipv4_private": "10.9.0.1", "environment": "Production", "os": {"base": "Linux"},
                 "cpu": 8, "memory": 64, "datacenter": {"id": "%s"}, "team_id": "%s"}""", e.ids.get("dc"), e.redTeam);
        e.add(admin, "app01", "servers", "{\"hostname\": \"red-app01\", \"environment\": \"Staging\", \"os\": {\"base\": \"Linux\"}, \"team_id\": \"%s\"}",
                e.redTeam);
        e.add(admin, "globex", "clients", "{\"name\": \"Globex\", \"team_id\": \"%s\"}", e.redTeam);
        e.add(admin, "payments", "systems", "{\"name\": \"red-payments\", \"client_ids\": [\"%s\"], \"team_id\": \"%s\"}", e.ids.get("globex"), e.redTeam);
        e.add(admin, "ledger", "databases", "{\"name\": \"red-ledger\", \"engine\": \"PostgreSQL\", \"server_ids\": [\"%s\"], \"team_id\": \"%s\"}",
                e.ids.get("db01"), e.redTeam);
        e.add(admin, "billing", "applications", """
                {"name": "red-billing", "server_ids": ["%s"], "system_ids": ["%s"], "dependencies": [{"target_id": "%s"}], "team_id": "%s"}""",
                e.ids.get("app01"), e.ids.get("payments"), e.ids.get("ledger"), e.redTeam);
        // team blue's application depends on red's database: it is hurt too, but red may not see it
        e.add(admin, "spy", "applications", "{\"name\": \"blue-spy\", \"dependencies\": [{\"target_id\": \"%s\"}], \"team_id\": \"%s\"}",
                e.ids.get("ledger"), e.blueTeam);
        e.add(admin, "blue01", "servers", "{\"hostname\": \"blue-01\", \"environment\": \"Production\", \"team_id\": \"%s\"}", e.blueTeam);
        return e;
    }

    private static UUID team(JdbcTemplate jdbc, String name) {
        List<UUID> found = jdbc.queryForList("SELECT id FROM team WHERE name = ?", UUID.class, name);
        if (!found.isEmpty()) return found.get(0);
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO team (id, name, created_at) VALUES (?, ?, ?)", id, name, OffsetDateTime.now());
        return id;
    }

    private void add(ApiTest.Client admin, String key, String collection, String body, Object... args) {
        ApiTest.Response r = admin.post("/" + collection, ApiTest.json(body, args));
        assertThat(r.status()).as(collection + " " + r).isEqualTo(201);
        ids.put(key, r.id());
        built = OffsetDateTime.parse(String.valueOf(r.body().get("updated_at")));
    }

    /** An instant after the estate was built, to the second (what the as-of picker can say); later writes are stamped after it. */
    OffsetDateTime secondAfterBuilt(io.maestro.support.TestClock clock) {
        OffsetDateTime at = built.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
        clock.passing(at);
        return at;
    }
}
