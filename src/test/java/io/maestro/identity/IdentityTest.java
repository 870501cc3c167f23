package io.maestro.identity;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Base of the access tests: starts each test with only user admin and team default. */
abstract class IdentityTest extends ApiTest {
    static final String PASSWORD = "a-long-password-1";

    @BeforeEach
    void onlyAdmin() {
        jdbc.update("DELETE FROM api_token");
        jdbc.update("DELETE FROM login_failure");
        jdbc.update("DELETE FROM team_member WHERE user_id IN (SELECT id FROM app_user WHERE username <> 'admin')"
                + " OR team_id IN (SELECT id FROM team WHERE name <> 'default')");
        jdbc.update("DELETE FROM app_user WHERE username <> 'admin'");
        jdbc.update("DELETE FROM team WHERE name <> 'default'");
        jdbc.update("UPDATE app_user SET disabled = FALSE, display_name = NULL WHERE username = 'admin'"); // a test that failed half-way
    }

    /** Creates a user (as admin) and returns its id. */
    String user(String name) {
        Response r = admin().post("/users", Map.of("username", name, "password", PASSWORD, "email", name + "@example.com"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    Client login(String name) {
        return as(name, PASSWORD);
    }

    /** Creates a team as {@code creator} (who becomes its admin) and returns its id. */
    String team(String name, String creator) {
        Response r = login(creator).post("/teams", Map.of("name", name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    void member(String team, String userId, String role, Client by) {
        Response r = by.put("/teams/" + team + "/members/" + userId, Map.of("role", role));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** A token of {@code scope} for {@code user}; returns the secret. */
    String token(String user, String scope) {
        Response r = login(user).post("/tokens", Map.of("name", user + "-" + scope, "scope", scope));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return (String) r.body().get("token");
    }

    static void problem(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        assertThat(r.body()).containsEntry("status", status);
    }
}
