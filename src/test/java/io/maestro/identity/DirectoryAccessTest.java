package io.maestro.identity;

import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages name no team or user the API would hide: the owner picker of a new system and the
 * share tab show the caller's teams and those sharing with them, and themselves and their teams'
 * members (AccessPolicy's directory rule), checked for a user in no team and a user in one team.
 */
class DirectoryAccessTest extends IdentityTest {

    /** A signed-in browser session (form login with its CSRF token), reading pages as HTML. */
    private final class Session {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();

        Session(String username) throws Exception {
            String login = page("/login");
            Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
            assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
            String form = "username=" + enc(username) + "&password=" + enc(PASSWORD) + "&_csrf=" + enc(csrf.group(1));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("Location").orElse("")).as("signed in").doesNotContain("error");
        }

        String page(String path) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            return r.body();
        }

        private URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void picksAndTheShareTabNameOnlyWhatTheApiShows() throws Exception {
        user("dx-nobody");
        String solo = user("dx-solo");
        user("dx-secretive");
        user("dx-friend");
        String alpha = team("dx-alpha", "dx-solo");
        team("dx-hidden-team", "dx-secretive");
        String sharer = team("dx-sharer-team", "dx-friend");
        // a record of dx-sharer-team shared with dx-solo: its team may be named to dx-solo, its members not
        String shared = login("dx-friend").post("/clients", Map.of("name", "dx-shared-client", "team_id", sharer)).id();
        assertThat(login("dx-friend").put("/clients/" + shared + "/access", List.of(Map.of("user_id", solo, "level", "read"))).status()).isEqualTo(200);
        String system = login("dx-solo").post("/systems", Map.of("name", "dx-system", "team_id", alpha)).id();

        // a user in no team: the API shows them only themselves
        assertThat(login("dx-nobody").get("/teams").items()).isEmpty();
        String nobodyForm = new Session("dx-nobody").page("/systems/new");
        assertThat(nobodyForm).contains("dx-nobody")
                .doesNotContain("dx-solo", "dx-secretive", "dx-friend", "dx-alpha", "dx-hidden-team", "dx-sharer-team");

        // a user in one team: that team and its members, and the team that shares with them
        assertThat(login("dx-solo").get("/users").items()).extracting(u -> u.get("username")).containsExactly("dx-solo");
        Session soloSession = new Session("dx-solo");
        String soloForm = soloSession.page("/systems/new");
        assertThat(soloForm).contains("dx-alpha", "dx-solo", "dx-sharer-team")
                .doesNotContain("dx-secretive", "dx-hidden-team", "dx-nobody", "dx-friend");
        String shareTab = soloSession.page("/systems/" + system);
        assertThat(shareTab).as("the share tab is offered to the team admin").contains("dl-share-users");
        assertThat(shareTab).contains("dx-alpha").doesNotContain("dx-secretive", "dx-hidden-team", "dx-nobody", "dx-friend");
    }
}
