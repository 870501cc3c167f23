package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.identity.ApiTokens;
import io.maestro.support.Keycloak;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on against a real Keycloak: Chromium clicks "Sign in with Keycloak", signs in on
 * Keycloak's own login page and lands in Maestro as that user, with the teams its groups name.
 */
class SsoUiTest extends UiTest {

    @DynamicPropertySource
    static void sso(DynamicPropertyRegistry registry) {
        registry.add("maestro.sso.issuer", () -> Keycloak.shared().issuer());
        registry.add("maestro.sso.client-id", () -> Keycloak.CLIENT_ID);
        registry.add("maestro.sso.client-secret", () -> Keycloak.CLIENT_SECRET);
        registry.add("maestro.sso.name", () -> "Keycloak");
        registry.add("maestro.sso.admin-group", () -> "maestro-admins");
    }

    @Autowired
    ApiTokens tokens;

    @AfterEach
    void restoreGroups() {
        Keycloak.shared().setGroups("paula", "maestro-payments-admin", "maestro-ops-member", "unrelated-group");
    }

    private void signInAtKeycloak(String user, String password) {
        open("/login");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Keycloak")).click();
        page.waitForURL(url -> url.startsWith(Keycloak.shared().base()));
        page.locator("#username").fill(user);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(base()));
        page.waitForLoadState();
    }

    private Map<String, String> teamsOf(String username) {
        Map<String, String> out = new java.util.TreeMap<>();
        jdbc.query("SELECT t.name, m.role FROM team_member m JOIN team t ON t.id = m.team_id JOIN app_user u ON u.id = m.user_id "
                + "WHERE u.username = ?", rs -> {
            out.put(rs.getString("name"), rs.getString("role"));
        }, username);
        return out;
    }

    @Test
    void signsInThroughKeycloaksOwnPageWithTheTeamsItsGroupsName() {
        Keycloak.shared().setGroups("paula", "maestro-payments-admin", "maestro-ops-member", "unrelated-group");
        open("/login");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Keycloak"))).isVisible();
        assertThat(page.getByLabel("Username")).isVisible(); // local users too, by default
        screenshots("login-sso");
        assertThat(accessibilityViolations()).isEmpty();

        signInAtKeycloak("paula", "paula-password-1");
        assertThat(page.url()).doesNotContain("/login");
        assertThat(page.locator(".usermenu summary")).containsText("paula");

        // created at first login, linked to Keycloak's subject, without a local password
        Map<String, Object> user = jdbc.queryForMap("SELECT id, email, global_admin, sso_issuer, sso_subject, password_hash FROM app_user WHERE username = 'paula'");
        assertThat(user.get("sso_issuer")).isEqualTo(Keycloak.shared().issuer());
        assertThat(user.get("sso_subject")).isNotNull();
        assertThat(user.get("email")).isEqualTo("paula@example.com");
        assertThat(user.get("global_admin")).isEqualTo(false);
        assertThat(teamsOf("paula")).isEqualTo(Map.of("payments", "admin", "ops", "member")); // unrelated-group gives nothing
        assertThat(as("paula", "paula-password-1").get("/me").status()).isEqualTo(401); // no local password
        // API tokens work for SSO users
        String token = (String) tokens.create((UUID) user.get("id"), Map.of("name", "ci", "scope", "read")).get("token");
        Response me = bearer(token).get("/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text()).contains("\"username\":\"paula\"").contains("payments");
    }

    @Test
    void groupsChangedAtTheProviderChangeTheTeamsAtTheNextLogin() {
        Keycloak.shared().setGroups("paula", "maestro-payments-admin", "maestro-ops-member");
        signInAtKeycloak("paula", "paula-password-1");
        assertThat(teamsOf("paula")).containsEntry("payments", "admin");
        String payments = jdbc.queryForObject("SELECT CAST(id AS VARCHAR) FROM team WHERE name = 'payments'", String.class);
        assertThat(page.navigate(base() + "/teams/" + payments).status()).isEqualTo(200);

        Keycloak.shared().setGroups("paula", "maestro-ops-member");
        page.locator(".usermenu summary").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        page.waitForLoadState();
        // Keycloak still knows the browser: the button signs in again without its form, with the new groups
        open("/login");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Keycloak")).click();
        page.waitForURL(url -> url.startsWith(base()) && !url.contains("/login"));
        assertThat(teamsOf("paula")).isEqualTo(Map.of("ops", "member"));
        assertThat(page.navigate(base() + "/teams/" + payments).status()).isEqualTo(404);
    }

    @Test
    void theAdminGroupMakesAGlobalAdmin() {
        signInAtKeycloak("ada", "ada-password-1");
        assertThat(jdbc.queryForObject("SELECT global_admin FROM app_user WHERE username = 'ada'", Boolean.class)).isTrue();
        assertThat(page.navigate(base() + "/users/new").status()).isEqualTo(200); // a page for global admins only
    }

    @Test
    void aForgedStateIsRefusedWithAClearMessageAndNoSession() {
        open("/login/oauth2/code/sso?code=forged-code&state=forged-state");
        assertThat(page.url()).contains("/login?sso_error=authorization_request_not_found");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("was not started here");
        open("/");
        assertThat(page.url()).endsWith("/login"); // signed in as nobody
    }

    @Test
    void aRedirectUriPointingElsewhereIsRefusedByTheProvider() {
        String authorize = Keycloak.shared().issuer() + "/protocol/openid-connect/auth?client_id=maestro&response_type=code&scope=openid"
                + "&redirect_uri=" + java.net.URLEncoder.encode("http://evil.example/login/oauth2/code/sso", java.nio.charset.StandardCharsets.UTF_8)
                + "&state=x&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256";
        page.navigate(authorize);
        assertThat(page.content()).containsIgnoringCase("Invalid parameter: redirect_uri");
        assertThat(page.url()).startsWith(Keycloak.shared().base()); // the browser stays at the provider, nothing is sent elsewhere
    }
}
