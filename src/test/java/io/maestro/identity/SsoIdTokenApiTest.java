package io.maestro.identity;

import io.maestro.support.ApiTest;
import io.maestro.support.LocalIssuer;
import io.maestro.support.LocalIssuer.IdToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on answers that must not sign anyone in, against a local OIDC provider that issues
 * them on purpose ({@link LocalIssuer}): an ID token signed by another key, expired, altered,
 * from another issuer or issued to another sign-in; a callback replayed in another browser; a
 * redirect URI or forwarded host named by the request. Each ends on the login page with an error,
 * with no session, no user and no team created. The same flow with a valid token signs in, so
 * each refusal is the token's doing, not a broken setup.
 */
class SsoIdTokenApiTest extends ApiTest {
    private static final LocalIssuer ISSUER = LocalIssuer.start();

    @DynamicPropertySource
    static void sso(DynamicPropertyRegistry registry) {
        registry.add("maestro.sso.issuer", ISSUER::issuer);
        registry.add("maestro.sso.client-id", () -> LocalIssuer.CLIENT_ID);
        registry.add("maestro.sso.client-secret", () -> LocalIssuer.CLIENT_SECRET);
        registry.add("maestro.sso.name", () -> "Local");
        registry.add("maestro.sso.admin-group", () -> "maestro-admins");
    }

    @AfterAll
    static void stopIssuer() {
        ISSUER.close();
    }

    @BeforeEach
    void validTokensAndOnlyTheAdmin() {
        ISSUER.next = IdToken.VALID;
        onlyTheAdmin();
        jdbc.update("DELETE FROM spring_session"); // the sessions of earlier tests' sign-ins
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** A browser: keeps cookies, follows no redirect by itself (each hop is recorded). */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private record Hop(URI uri, int status, String location, String body) {
    }

    /** GETs {@code url} and every redirect after it, as a browser would; the last hop is the page shown. */
    private static List<Hop> follow(HttpClient browser, String url, String... headers) {
        List<Hop> hops = new ArrayList<>();
        URI next = URI.create(url);
        for (int i = 0; i < 10 && next != null; i++) {
            HttpRequest.Builder r = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(60));
            if (i == 0) for (int h = 0; h + 1 < headers.length; h += 2) r.header(headers[h], headers[h + 1]);
            try {
                HttpResponse<String> response = browser.send(r.build(), HttpResponse.BodyHandlers.ofString());
                String location = response.headers().firstValue("Location").orElse(null);
                hops.add(new Hop(next, response.statusCode(), location, response.body()));
                next = response.statusCode() / 100 == 3 && location != null ? next.resolve(location) : null;
            } catch (IOException e) {
                throw new AssertionError("GET " + next + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return hops;
    }

    /** The login page's "Sign in with Local" button, followed to its end. */
    private List<Hop> signIn(HttpClient browser) {
        List<Hop> hops = follow(browser, base() + "/login/sso");
        assertThat(hops).as("every hop answered without a server error").allSatisfy(h -> assertThat(h.status()).isLessThan(500));
        return hops;
    }

    private static Hop last(List<Hop> hops) {
        return hops.get(hops.size() - 1);
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    /** Signed in as nobody: the home page sends this browser to the login page. */
    private void assertSignedOut(HttpClient browser) {
        Hop home = follow(browser, base() + "/").get(0);
        assertThat(home.status()).isEqualTo(302);
        assertThat(home.location()).endsWith("/login");
    }

    private void assertNothingCreated(long users, long teams) {
        assertThat(count("SELECT COUNT(*) FROM app_user")).isEqualTo(users);
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = ? OR sso_subject = ?", ISSUER.username, ISSUER.subject)).isZero();
        assertThat(count("SELECT COUNT(*) FROM team")).isEqualTo(teams);
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = ?", ISSUER.username)).isZero();
    }

    @Test
    void aValidIdTokenSignsInWithTheTeamsItsGroupsName() {
        HttpClient browser = browser();
        Hop page = last(signIn(browser));
        assertThat(page.uri().getPath()).isEqualTo("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("lena").contains("Sign out");
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = 'lena' AND sso_subject = ? AND sso_issuer = ?",
                ISSUER.subject, ISSUER.issuer())).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM team_member m JOIN team t ON t.id = m.team_id JOIN app_user u ON u.id = m.user_id"
                + " WHERE u.username = 'lena' AND t.name = 'localteam' AND m.role = 'admin'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'lena'")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = IdToken.class, names = {"SIGNED_BY_ANOTHER_KEY", "EXPIRED", "TAMPERED", "OTHER_ISSUER", "OTHER_NONCE"})
    void anIdTokenThatDoesNotVerifyEndsOnTheLoginPageWithAnErrorAndSignsNobodyIn(IdToken token) {
        long users = count("SELECT COUNT(*) FROM app_user");
        long teams = count("SELECT COUNT(*) FROM team");
        ISSUER.next = token;
        HttpClient browser = browser();
        List<Hop> hops = signIn(browser);
        // it did reach Maestro's callback with a code: the refusal is the token's
        assertThat(hops).anySatisfy(h -> assertThat(h.uri().getPath()).isEqualTo("/login/oauth2/code/sso"));
        Hop page = last(hops);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/login");
        assertThat(page.uri().getQuery()).isEqualTo("sso_error=" + (token == IdToken.OTHER_NONCE ? "invalid_nonce" : "invalid_id_token"));
        assertThat(page.body()).contains("role=\"alert\"")
                .contains("Single sign-on failed: the identity provider");
        assertSignedOut(browser);
        assertNothingCreated(users, teams);
    }

    @Test
    void aCallbackReplayedInAnotherBrowserSignsNobodyIn() {
        List<Hop> hops = signIn(browser());
        Hop callback = hops.stream().filter(h -> h.uri().getPath().equals("/login/oauth2/code/sso")).findFirst().orElseThrow();
        assertThat(last(hops).uri().getPath()).isEqualTo("/");
        long users = count("SELECT COUNT(*) FROM app_user");
        long sessions = count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'lena'");

        HttpClient other = browser();
        Hop page = last(follow(other, callback.uri().toString()));
        assertThat(page.uri().getPath()).isEqualTo("/login");
        assertThat(page.uri().getQuery()).isEqualTo("sso_error=authorization_request_not_found");
        assertThat(page.body()).contains("That sign-in link was not started here or has expired.");
        assertSignedOut(other);
        assertThat(count("SELECT COUNT(*) FROM app_user")).isEqualTo(users);
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'lena'")).isEqualTo(sessions);
    }

    @Test
    void theRedirectUriSentToTheProviderIsMaestrosOwnWhateverTheRequestNames() {
        // a node without a balancer (SERVER_FORWARD_HEADERS_STRATEGY unset) ignores forwarded headers
        Hop start = follow(browser(), base() + "/oauth2/authorization/sso?redirect_uri=http%3A%2F%2Fevil.example%2Fcallback",
                "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443",
                "Forwarded", "host=evil.example;proto=https").get(0);
        assertThat(start.status()).isEqualTo(302);
        assertThat(start.location()).startsWith(ISSUER.issuer() + "/authorize?");
        assertThat(LocalIssuer.query(start.location())).containsEntry("redirect_uri", base() + "/login/oauth2/code/sso")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");

        // and an API answer's Location names the node, not the forwarded host
        Response created = admin().post("/datacenters", json("{\"name\": \"dc-forwarded\"}"), "X-Forwarded-Host", "evil.example");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(base() + "/api/v1/datacenters/" + created.id());
    }
}
