package io.maestro.identity;

import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Users, teams, /me, tokens, login protection and security headers. */
class IdentityApiTest extends IdentityTest {

    @Test
    void globalAdminsCreateUsersAndPasswordsNeverComeBack() {
        Response created = admin().post("/users", Map.of("username", "alice", "password", PASSWORD, "email", "alice@example.com"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/users/" + created.id());
        assertThat(created.body()).containsEntry("username", "alice").containsEntry("email", "alice@example.com")
                .containsEntry("global_admin", false).doesNotContainKeys("password", "password_hash");
        assertThat(created.text()).doesNotContain(PASSWORD).doesNotContain("$2a$");
        assertThat(admin().get("/users").text()).doesNotContain(PASSWORD).doesNotContain("$2a$").contains("alice");
        String hash = jdbc.queryForObject("SELECT password_hash FROM app_user WHERE username = 'alice'", String.class);
        assertThat(hash).matches("\\$2a\\$\\d\\d\\$.{53}").doesNotContain(PASSWORD);

        Response me = login("alice").get("/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).containsEntry("username", "alice").containsEntry("global_admin", false)
                .containsEntry("teams", List.of()).containsEntry("authenticated_by", "password");

        problem(login("alice").post("/users", Map.of("username", "mallory", "password", PASSWORD)), 403);
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = 'mallory'")).isZero();
    }

    @Test
    void badUserInputIsA4xxAndStoresNothing() {
        Response shortPw = admin().post("/users", Map.of("username", "bob", "password", "123456789"));
        problem(shortPw, 400);
        assertThat(shortPw.text()).contains("password").contains("at least 10");
        problem(admin().post("/users", Map.of("username", "bob", "password", "é".repeat(40))), 400); // 80 bytes: bcrypt would cut it
        problem(admin().post("/users", Map.of("username", "bad name", "password", PASSWORD)), 400);
        problem(admin().post("/users", Map.of("username", "bob", "password", PASSWORD, "role", "god")), 400);
        problem(admin().post("/users", Map.of("username", "bob", "password", PASSWORD, "email", "not-an-email")), 400);
        problem(admin().post("/users", Map.of("username", "bob", "password", PASSWORD, "global_admin", "yes")), 400);
        problem(admin().post("/users", "[1,2]"), 400);
        problem(admin().post("/users", "{not json"), 400);
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username LIKE 'bob%' OR username = 'bad name'")).isZero();
        user("bob");
        problem(admin().post("/users", Map.of("username", "bob", "password", PASSWORD)), 409);
        problem(admin().get("/users/not-a-uuid"), 404);
        problem(admin().get("/users/00000000-0000-0000-0000-000000000000"), 404);
    }

    @Test
    void usersSeeThemselvesAndTheirTeammatesOnly() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String ops = team("ops", "alice");
        member(ops, bob, "member", login("alice"));
        team("solo", "carol");

        Response list = login("bob").get("/users");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.items()).extracting(u -> u.get("username")).containsExactly("alice", "bob");
        assertThat(list.text()).doesNotContain(carol).doesNotContain("solo");
        assertThat(login("bob").get("/users/" + alice).status()).isEqualTo(200);
        problem(login("bob").get("/users/" + carol), 404);
        assertThat(login("carol").get("/users").items()).extracting(u -> u.get("username")).containsExactly("carol");
        assertThat(admin().get("/users").items()).extracting(u -> u.get("username")).contains("admin", "alice", "bob", "carol");

        Response me = login("bob").get("/me");
        assertThat(me.body().get("teams")).isEqualTo(List.of(Map.of("id", ops, "name", "ops", "role", "member")));
        assertThat(me.body()).containsEntry("default_team_id", ops);
    }

    @Test
    void teamsCreatorIsAdminAndAdminsManageMembers() {
        String alice = user("alice");
        String bob = user("bob");
        user("carol");
        Response created = login("alice").post("/teams", Map.of("name", "ops", "email", "ops@example.com"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String ops = created.id();
        assertThat(created.body()).containsEntry("role", "admin").containsEntry("member_count", 1);

        // by username works as well as by id
        Response added = login("alice").put("/teams/" + ops + "/members/bob", Map.of("role", "member"));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body()).containsEntry("member_count", 2);

        problem(login("bob").put("/teams/" + ops + "/members/carol", Map.of("role", "member")), 403);
        problem(login("carol").get("/teams/" + ops), 404);
        problem(login("carol").put("/teams/" + ops + "/members/carol", Map.of("role", "admin")), 404);
        assertThat(login("carol").get("/teams").items()).isEmpty();
        assertThat(login("bob").get("/teams").items()).extracting(t -> t.get("name")).containsExactly("ops");
        assertThat(admin().get("/teams").items()).extracting(t -> t.get("name")).contains("default", "ops");

        problem(login("alice").put("/teams/" + ops + "/members/" + bob, Map.of("role", "owner")), 400);
        problem(login("alice").put("/teams/" + ops + "/members/" + bob, Map.of()), 400);
        problem(login("alice").put("/teams/" + ops + "/members/" + bob, Map.of("role", "admin", "x", 1)), 400);
        problem(login("alice").put("/teams/" + ops + "/members/nobody", Map.of("role", "member")), 404);
        assertThat(role(ops, bob)).isEqualTo("member");

        // the last admin cannot leave nor be demoted
        problem(login("alice").delete("/teams/" + ops + "/members/" + alice), 409);
        problem(login("alice").put("/teams/" + ops + "/members/" + alice, Map.of("role", "member")), 409);
        member(ops, bob, "admin", login("alice"));
        assertThat(login("bob").delete("/teams/" + ops + "/members/" + alice).status()).isEqualTo(204);
        assertThat(role(ops, alice)).isNull();
        problem(login("alice").get("/teams/" + ops), 404);

        problem(login("bob").post("/teams", Map.of("name", "OPS")), 409);
        problem(login("bob").post("/teams", Map.of("email", "x@example.com")), 400);
    }

    @Test
    void membershipChangesTakeEffectAtOnceDespiteRememberedCallers() {
        user("alice");
        String bob = user("bob");
        String ops = login("alice").post("/teams", Map.of("name", "ops")).id();
        String server = login("alice").post("/servers", Map.of("hostname", "web-1", "team_id", ops)).id();
        problem(login("bob").get("/servers/" + server), 404);
        member(ops, bob, "member", login("alice"));
        assertThat(login("bob").get("/servers/" + server).status()).isEqualTo(200);
        assertThat(login("alice").delete("/teams/" + ops + "/members/bob").status()).isEqualTo(204);
        problem(login("bob").get("/servers/" + server), 404);
        problem(login("bob").get("/servers/" + server + "/history"), 404);
    }

    @Test
    void passwordChangesTakeEffectAtOnce() {
        String alice = user("alice");
        String bob = user("bob");
        assertThat(login("alice").get("/me").status()).isEqualTo(200); // now cached

        problem(login("alice").patch("/users/" + alice, Map.of("password", "another-password-2")), 400);
        problem(login("alice").patch("/users/" + alice, Map.of("password", "another-password-2", "current_password", "wrong-password")), 400);
        problem(login("alice").patch("/users/" + alice, Map.of("password", "short", "current_password", PASSWORD)), 400);
        problem(login("alice").patch("/users/" + bob, Map.of("email", "x@example.com")), 404);
        problem(login("alice").patch("/users/" + alice, Map.of("global_admin", true)), 403);
        assertThat(login("alice").get("/me").status()).isEqualTo(200);

        Response changed = login("alice").patch("/users/" + alice, Map.of("password", "another-password-2", "current_password", PASSWORD));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        problem(login("alice").get("/me"), 401);
        assertThat(as("alice", "another-password-2").get("/me").status()).isEqualTo(200);

        assertThat(login("bob").get("/me").status()).isEqualTo(200);
        assertThat(admin().patch("/users/" + bob, Map.of("password", "reset-by-admin-3")).status()).isEqualTo(200);
        problem(login("bob").get("/me"), 401);
        assertThat(as("bob", "reset-by-admin-3").get("/me").status()).isEqualTo(200);
    }

    @Test
    void lastGlobalAdminStaysAndUsersCanBeDeleted() {
        String admin = (String) admin().get("/me").body().get("id");
        problem(admin().patch("/users/" + admin, Map.of("global_admin", false)), 409);
        problem(admin().delete("/users/" + admin), 409);
        String bob = user("bob");
        String token = token("bob", "write");
        problem(login("bob").delete("/users/" + bob), 403);
        assertThat(admin().delete("/users/" + bob).status()).isEqualTo(204);
        problem(login("bob").get("/me"), 401);
        problem(bearer(token).get("/me"), 401);
        problem(admin().delete("/users/" + bob), 404);
    }

    @Test
    void aDisabledUserSignsInNoMoreByPasswordOrTokenUntilEnabledAgain() {
        String alice = user("alice");
        String bob = user("bob");
        String token = token("alice", "write");
        String blue = team("blue", "alice");
        String server = login("alice").post("/servers", Map.of("hostname", "alice-web", "team_id", blue)).id();
        assertThat(login("alice").get("/me").status()).isEqualTo(200); // remembered by this node
        assertThat(bearer(token).get("/me").status()).isEqualTo(200);

        // only global admins, never themselves, and only true or false
        problem(login("bob").patch("/users/" + bob, Map.of("disabled", true)), 403);
        problem(login("alice").patch("/users/" + bob, Map.of("disabled", true)), 404);
        String admin = (String) admin().get("/me").body().get("id");
        problem(admin().patch("/users/" + admin, Map.of("disabled", true)), 409);
        Response notBool = admin().patch("/users/" + alice, Map.of("disabled", "yes"));
        problem(notBool, 400);
        assertThat(notBool.body().get("errors")).isEqualTo(List.of(Map.of("field", "disabled", "message", "must be true or false")));
        assertThat(login("alice").get("/me").status()).isEqualTo(200);

        Response disabled = admin().patch("/users/" + alice, Map.of("disabled", true));
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.body()).containsEntry("disabled", true);
        Response refused = login("alice").get("/me");
        problem(refused, 401);
        assertThat(refused.body().get("detail")).asString().contains("disabled");
        // a wrong password is told nothing more than before
        Response wrong = as("alice", "not-her-password").get("/me");
        problem(wrong, 401);
        assertThat(wrong.text()).doesNotContain("disabled");
        problem(bearer(token).get("/me"), 401);
        // what she wrote and where she belongs stay; others still see her
        assertThat(admin().get("/servers/" + server).status()).isEqualTo(200);
        assertThat(admin().get("/users/" + alice).body()).containsEntry("disabled", true).containsEntry("username", "alice")
                .extracting("teams").asList().hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM api_token WHERE user_id = '" + alice + "' AND revoked_at IS NULL")).isEqualTo(1);

        Response enabled = admin().patch("/users/" + alice, Map.of("disabled", false));
        assertThat(enabled.body()).containsEntry("disabled", false);
        assertThat(login("alice").get("/me").status()).isEqualTo(200);
        assertThat(bearer(token).get("/me").status()).isEqualTo(200);
    }

    @Test
    void aDisabledGlobalAdminDoesNotCountAsTheOneWhoStays() {
        String admin = (String) admin().get("/me").body().get("id");
        String root = user("root");
        assertThat(admin().patch("/users/" + root, Map.of("global_admin", true)).status()).isEqualTo(200);
        assertThat(admin().patch("/users/" + root, Map.of("disabled", true)).status()).isEqualTo(200);
        problem(admin().patch("/users/" + admin, Map.of("global_admin", false)), 409);
        problem(login("root").delete("/users/" + admin), 401);
        assertThat(admin().patch("/users/" + root, Map.of("disabled", false)).status()).isEqualTo(200);
        assertThat(login("root").patch("/users/" + admin, Map.of("disabled", true)).status()).isEqualTo(200);
        problem(admin().get("/me"), 401);
        assertThat(login("root").patch("/users/" + admin, Map.of("disabled", false)).status()).isEqualTo(200);
        assertThat(admin().get("/me").status()).isEqualTo(200);
    }

    @Test
    void aDisplayNameIsOptionalAndAnyoneSetsTheirOwn() {
        Response created = admin().post("/users", Map.of("username", "carol", "password", PASSWORD, "display_name", "  Carol Jones "));
        assertThat(created.body()).containsEntry("display_name", "Carol Jones").containsEntry("disabled", false);
        String carol = created.id();
        assertThat(login("carol").patch("/users/" + carol, Map.of("display_name", "C. Jones")).body()).containsEntry("display_name", "C. Jones");
        Response tooLong = login("carol").patch("/users/" + carol, Map.of("display_name", "x".repeat(101)));
        problem(tooLong, 400);
        assertThat(tooLong.text()).contains("display_name");
        assertThat(admin().get("/users/" + carol).body()).containsEntry("display_name", "C. Jones");
        assertThat(admin().patch("/users/" + carol, Map.of("display_name", "")).body()).containsEntry("display_name", null);
    }

    @Test
    void tokensAreShownOnceStoredHashedAndRevocable() {
        String alice = user("alice");
        String ops = team("ops", "alice");
        Response created = login("alice").post("/tokens", Map.of("name", "ci", "scope", "write", "expires_at", "2099-01-01T00:00:00Z"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = (String) created.body().get("token");
        assertThat(token).matches("mae_[A-Za-z0-9_-]{43}");
        assertThat(created.body()).containsEntry("name", "ci").containsEntry("scope", "write")
                .containsEntry("expires_at", "2099-01-01T00:00:00Z");
        String id = created.id();

        Response list = login("alice").get("/tokens");
        assertThat(list.items()).extracting(t -> t.get("id")).containsExactly(id);
        assertThat(list.text()).doesNotContain(token).doesNotContain(token.substring(4));
        assertThat(login("alice").get("/tokens/" + id).text()).doesNotContain(token.substring(4));
        assertThat(count("SELECT COUNT(*) FROM api_token WHERE token_hash = '" + ApiTokens.hash(token) + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM api_token WHERE token_hash LIKE '%" + token.substring(4, 20) + "%'")).isZero();

        Response me = bearer(token).get("/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.body()).containsEntry("id", alice).containsEntry("authenticated_by", "token ci");
        Response server = bearer(token).post("/servers", Map.of("hostname", "tok01"));
        assertThat(server.status()).as(server.toString()).isEqualTo(201);
        assertThat(server.body()).containsEntry("team_id", ops);
        assertThat(login("alice").get("/tokens/" + id).body().get("last_used_at")).isNotNull();

        // a token cannot mint tokens nor change the password
        problem(bearer(token).post("/tokens", Map.of("name", "more", "scope", "write")), 403);
        problem(bearer(token).patch("/users/" + alice, Map.of("password", "another-password-2", "current_password", PASSWORD)), 403);

        // others cannot see or revoke it
        user("bob");
        problem(login("bob").delete("/tokens/" + id), 404);
        assertThat(login("bob").get("/tokens").items()).isEmpty();
        assertThat(bearer(token).get("/me").status()).isEqualTo(200);

        assertThat(login("alice").delete("/tokens/" + id).status()).isEqualTo(204);
        Response revoked = bearer(token).get("/me");
        problem(revoked, 401);
        assertThat(revoked.text()).contains("revoked");
        problem(login("alice").delete("/tokens/" + id), 404);
        assertThat(login("alice").get("/tokens").items()).isEmpty();
    }

    @Test
    void readTokensOnlyRead() {
        user("alice");
        team("ops", "alice");
        String read = token("alice", "read");
        Response me = bearer(read).get("/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).containsEntry("read_only", true);
        assertThat(bearer(read).get("/servers").status()).isEqualTo(200);
        problem(bearer(read).post("/servers", Map.of("hostname", "nope01")), 403);
        problem(bearer(read).put("/options/environment", List.of(Map.of("value", "X"))), 403);
        problem(bearer(read).post("/teams", Map.of("name", "sneaky")), 403);
        problem(bearer(read).delete("/tokens/" + login("alice").get("/tokens").items().get(0).get("id")), 403);
        assertThat(count("SELECT COUNT(*) FROM server")).isZero();
        assertThat(count("SELECT COUNT(*) FROM team WHERE name = 'sneaky'")).isZero();

        // a global admin's read token reads everything and changes nothing, settings included
        String adminRead = (String) admin().post("/tokens", Map.of("name", "audit", "scope", "read")).body().get("token");
        Object environments = admin().get("/options/environment").body();
        assertThat(bearer(adminRead).get("/users").status()).isEqualTo(200);
        problem(bearer(adminRead).put("/options/environment", List.of(Map.of("value", "Only"))), 403);
        problem(bearer(adminRead).post("/services", Map.of("name", "Sneaky")), 403);
        problem(bearer(adminRead).post("/users", Map.of("username", "sneaky", "password", PASSWORD)), 403);
        assertThat(admin().get("/options/environment").body()).isEqualTo(environments);
        assertThat(count("SELECT COUNT(*) FROM service WHERE name = 'Sneaky'")).isZero();
    }

    @Test
    void expiredMalformedAndUnknownTokensAre401() {
        user("alice");
        String token = token("alice", "read");
        jdbc.update("UPDATE api_token SET expires_at = ?", java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(5)));
        Response expired = bearer(token).get("/me");
        problem(expired, 401);
        assertThat(expired.text()).contains("expired");

        String made = "mae_" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        for (String bad : List.of(made, "mae_short", "not-a-token", token + "x", token.substring(0, token.length() - 1), "mae_" + "!".repeat(43), "")) {
            Response r = bearer(bad).get("/servers");
            problem(r, 401);
            assertThat(r.header("WWW-Authenticate")).as(bad).isNotNull();
        }
        problem(login("alice").post("/tokens", Map.of("name", "x", "scope", "admin")), 400);
        problem(login("alice").post("/tokens", Map.of("name", "x", "expires_at", "2001-01-01T00:00:00Z")), 400);
        problem(login("alice").post("/tokens", Map.of("name", "x", "expires_at", "tomorrow")), 400);
        problem(login("alice").post("/tokens", Map.of("scope", "read")), 400);
        problem(login("alice").post("/tokens", Map.of("name", "x", "owner", "bob")), 400);
        assertThat(count("SELECT COUNT(*) FROM api_token")).isEqualTo(1);
    }

    @Test
    void malformedCredentialsAre401Problems() {
        user("alice");
        List<String> headers = List.of(
                "Basic !!!not-base64!!!",
                "Basic " + b64("no-colon-here"),
                "Basic ",
                "Basic " + b64("alice:wrong-password"),
                "Basic " + b64("nobody-at-all:" + PASSWORD),
                "Basic " + b64(":"),
                "Basic " + b64("alice:" + "x".repeat(200)),
                "Bearer",
                "Digest username=alice",
                "alice:" + PASSWORD);
        for (String h : headers) {
            Response r = anonymous().get("/servers", "Authorization", h);
            assertThat(r.status()).as(h + " -> " + r).isEqualTo(401);
            assertThat(r.contentType()).as(h).startsWith("application/problem+json");
        }
        problem(anonymous().get("/servers"), 401);
        problem(anonymous().get("/me"), 401);
    }

    @Test
    void tenFailuresLockAUsernameFor15Minutes() {
        user("alice");
        user("bob");
        assertThat(login("alice").get("/me").status()).isEqualTo(200); // a remembered success does not outlive the lock
        for (int i = 0; i < 10; i++) problem(as("alice", "wrong-password-" + i).get("/me"), 401);
        Response locked = login("alice").get("/me");
        problem(locked, 429);
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(800L, 900L);
        problem(as("alice", "wrong-again-0").get("/me"), 429);
        assertThat(count("SELECT COUNT(*) FROM login_failure WHERE username = 'alice'")).isEqualTo(10); // locked attempts are not counted

        // another user is not affected, nor does their success unlock alice
        assertThat(login("bob").get("/me").status()).isEqualTo(200);
        problem(login("alice").get("/me"), 429);

        // 14 minutes later still locked; 15 minutes after the tenth failure open again
        shiftFailures("alice", 14 * 60);
        problem(login("alice").get("/me"), 429);
        shiftFailures("alice", 61);
        assertThat(login("alice").get("/me").status()).isEqualTo(200);
    }

    @Test
    void nineFailuresOrFailuresSpreadOverMoreThan15MinutesDoNotLock() {
        user("alice");
        for (int i = 0; i < 9; i++) problem(as("alice", "wrong-password-" + i).get("/me"), 401);
        assertThat(login("alice").get("/me").status()).isEqualTo(200);
        shiftFailures("alice", 16 * 60);
        problem(as("alice", "wrong-password-x").get("/me"), 401);
        assertThat(login("alice").get("/me").status()).isEqualTo(200);
        // unknown usernames are counted too, so guessing names does not get unlimited tries
        for (int i = 0; i < 10; i++) problem(as("ghost", "pw-" + i + "-xxxxxxx").get("/me"), 401);
        problem(as("ghost", "pw-x-xxxxxxx").get("/me"), 429);
    }

    @Test
    void aLockHoldsOnlyForTheAddressThatGuessed() {
        user("alice");
        problem(as("alice", "wrong-password-0").get("/me"), 401);
        String here = jdbc.queryForObject("SELECT address FROM login_failure WHERE username = 'alice'", String.class);
        jdbc.update("DELETE FROM login_failure");
        // someone elsewhere guessed alice's password ten times: alice signing in from here is not locked out
        for (int i = 0; i < 10; i++) {
            jdbc.update("INSERT INTO login_failure (username, address, failed_at) VALUES ('alice', '203.0.113.9', ?)",
                    java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(i));
        }
        assertThat(login("alice").get("/me").status()).isEqualTo(200);
        // from here, ten wrong guesses lock alice here
        for (int i = 0; i < 10; i++) problem(as("alice", "wrong-password-" + i).get("/me"), 401);
        problem(login("alice").get("/me"), 429);
        assertThat(count("SELECT COUNT(*) FROM login_failure WHERE address = '" + here + "'")).isEqualTo(10);
    }

    @Test
    void oneAddressGuessingManyUsernamesIsLimitedToo() {
        user("alice");
        problem(as("ghost-0", "wrong-password").get("/me"), 401);
        String here = jdbc.queryForObject("SELECT address FROM login_failure", String.class);
        for (int i = 1; i < 100; i++) {
            jdbc.update("INSERT INTO login_failure (username, address, failed_at) VALUES (?, ?, ?)", "ghost-" + i, here,
                    java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        }
        Response refused = login("alice").get("/me");
        problem(refused, 429);
        assertThat(refused.text()).contains("from this address");
        assertThat(count("SELECT COUNT(*) FROM login_failure")).isEqualTo(100); // refused attempts are not counted
    }

    @Test
    void parallelGuessesGetTenPasswordChecksNotMore() throws Exception {
        user("alice");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String password = "wrong-password-" + i;
                answers.add(pool.submit(() -> as("alice", password).get("/me").status()));
            }
            Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
            for (var a : answers) byStatus.merge(a.get(), 1, Integer::sum);
            assertThat(byStatus).isEqualTo(Map.of(401, 10, 429, 30));
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT COUNT(*) FROM login_failure WHERE username = 'alice'")).isEqualTo(10);
        problem(login("alice").get("/me"), 429);
    }

    @Test
    void aRightPasswordGivesItsPlaceInTheCountBack() {
        user("alice");
        for (int i = 0; i < 9; i++) problem(as("alice", "wrong-password-" + i).get("/me"), 401);
        assertThat(login("alice").get("/me").status()).isEqualTo(200); // a real check (failures forget remembered successes)
        assertThat(count("SELECT COUNT(*) FROM login_failure WHERE username = 'alice'")).isEqualTo(9);
        problem(as("alice", "wrong-password-9").get("/me"), 401);
        problem(login("alice").get("/me"), 429);
    }

    @org.springframework.beans.factory.annotation.Autowired
    Bootstrap bootstrap;

    @Test
    void aDeletedAdminIsNotCreatedAgainAtTheNextStart() {
        jdbc.update("UPDATE app_user SET username = 'admin-renamed' WHERE username = 'admin'");
        try {
            bootstrap.run(null);
            assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = 'admin'")).isZero();
            assertThat(count("SELECT COUNT(*) FROM team WHERE name = 'default'")).isEqualTo(1);
        } finally {
            jdbc.update("UPDATE app_user SET username = 'admin' WHERE username = 'admin-renamed'");
        }
    }

    @Test
    void formLoginIsThrottledToo() throws Exception {
        user("alice");
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = formLogin(browser, "alice", "wrong-password-" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location").orElse("")).contains("/login?error");
        }
        HttpResponse<String> locked = formLogin(browser, "alice", PASSWORD);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many failed logins");
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        problem(login("alice").get("/me"), 429); // the same lock for the API

        jdbc.update("DELETE FROM login_failure");
        HttpResponse<String> ok = formLogin(browser, "alice", PASSWORD);
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    @Test
    void headersWithControlCharactersAreRefused() throws Exception {
        String auth = "Authorization: Basic " + b64("admin:" + ADMIN_PASSWORD) + "\r\n";
        assertThat(rawStatus(auth + "Accept: application/json\r\n")).isEqualTo(200);
        // Tomcat passes bytes 0x80-0xFF on; U+0085 is a control character, refused by the firewall
        assertThat(rawStatus(auth + "Accept: application/json\u0085\r\n")).isEqualTo(400);
        assertThat(rawStatus("Authorization: Basic " + b64("admin:" + ADMIN_PASSWORD) + "\u0085\r\n")).isEqualTo(400);
        assertThat(rawStatus("Authorization: Bearer abc\u0085\r\n")).isEqualTo(400);
    }

    private int rawStatus(String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /api/v1/servers HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void securityHeadersOnEveryResponse() throws Exception {
        List<Response> responses = List.of(admin().get("/servers"), anonymous().get("/servers"), admin().get("/servers/nope"),
                admin().get("/no-such-collection"), admin().post("/servers", "{bad"), anonymous().get("/actuator/health"),
                anonymous().get("/v3/api-docs"), bearer("mae_bad").get("/me"));
        for (Response r : responses) assertSecurityHeaders(r.headers(), r.toString());
        HttpClient plain = HttpClient.newHttpClient();
        for (String path : List.of("/login", "/", "/no-such-page", "/error")) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertSecurityHeaders(r.headers(), path + " " + r.statusCode());
        }
    }

    private static void assertSecurityHeaders(java.net.http.HttpHeaders h, String what) {
        assertThat(h.firstValue("X-Content-Type-Options")).as(what).contains("nosniff");
        assertThat(h.firstValue("X-Frame-Options")).as(what).contains("DENY");
        assertThat(h.firstValue("Content-Security-Policy").orElse("")).as(what).contains("frame-ancestors 'none'").contains("default-src 'self'");
        assertThat(h.firstValue("Referrer-Policy")).as(what).isPresent();
    }

    private HttpResponse<String> formLogin(HttpClient browser, String user, String password) throws Exception {
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"").matcher(page.body());
        assertThat(m.find()).as("csrf field on the login page").isTrue();
        String csrf = m.group(1) != null ? m.group(1) : m.group(2);
        String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf);
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void shiftFailures(String user, int seconds) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, failed_at FROM login_failure WHERE username = ?", user);
        for (Map<String, Object> row : rows) {
            java.time.Instant at = ((java.sql.Timestamp) jdbc.queryForObject("SELECT failed_at FROM login_failure WHERE id = ?",
                    java.sql.Timestamp.class, row.get("id"))).toInstant();
            jdbc.update("UPDATE login_failure SET failed_at = ? WHERE id = ?",
                    java.time.OffsetDateTime.ofInstant(at.minusSeconds(seconds), java.time.ZoneOffset.UTC), row.get("id"));
        }
    }

    private String role(String team, String user) {
        List<String> r = jdbc.queryForList("SELECT role FROM team_member WHERE team_id = ? AND user_id = ?", String.class,
                java.util.UUID.fromString(team), java.util.UUID.fromString(user));
        return r.isEmpty() ? null : r.get(0);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
