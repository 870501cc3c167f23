package io.maestro.web;

import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.Page;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class LoginUiTest extends UiTest {

    @Test
    void anonymousVisitorsAreSentToTheLoginForm() {
        open("/servers?environment=Production");
        assertThat(page.url()).endsWith("/login");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in to Maestro"))).isVisible();
        screenshots("login");
        assertThat(accessibilityViolations()).isEmpty();
    }

    @Test
    void signsInShowsTheUserAndSignsOut() {
        open("/servers?environment=Production");
        page.getByLabel("Username").fill("admin");
        page.getByLabel("Password").fill(ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForLoadState();
        // back where the visitor wanted to go, filters included
        assertThat(page.url()).endsWith("/servers?environment=Production");
        assertThat(page.locator(".usermenu summary")).containsText("admin");

        page.locator(".usermenu summary").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        page.waitForLoadState();
        assertThat(page.url()).contains("/login?logout");
        assertThat(page.getByText("You are signed out.")).isVisible();
        open("/servers");
        assertThat(page.url()).endsWith("/login");
    }

    @Test
    void wrongPasswordIsRefused() {
        signIn("admin", "not-the-password");
        assertThat(page.url()).contains("/login?error");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong username or password");
        open("/");
        assertThat(page.url()).endsWith("/login");
    }

    @Test
    void formPostsWithoutTheCsrfTokenAreRefused() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + ADMIN_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void pagesForbidInlineScripts() {
        signInAsAdmin();
        var response = page.navigate(base() + "/");
        String csp = response.headers().get("content-security-policy");
        assertThat(csp).contains("script-src 'self';").doesNotContain("script-src 'self' 'unsafe-inline'");
    }

    @Test
    void swaggerUiStillRunsUnderTheStricterPolicy() {
        open("/swagger-ui/index.html");
        assertThat(page.locator(".swagger-ui .info .title")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000)); // a loaded machine builds the document slowly
    }

    @Test
    void keyboardAloneSignsInAndMovesThroughMenusAndTabs() {
        String id = admin().post("/servers", java.util.Map.of("hostname", "web01")).id();
        open("/servers/" + id);
        // the username field has focus on the login page (wait for it: keys typed before would be lost)
        assertThat(page.getByLabel("Username")).isFocused(new com.microsoft.playwright.assertions.LocatorAssertions.IsFocusedOptions().setTimeout(30_000));
        page.keyboard().type("admin");
        page.keyboard().press("Tab");
        page.keyboard().type(ADMIN_PASSWORD);
        page.keyboard().press("Enter");
        assertThat(page).hasURL(base() + "/servers/" + id);

        // detail tabs: arrow keys move between them
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("General")).focus();
        page.keyboard().press("ArrowRight");
        assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Storage"))).isFocused();
        assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Storage"))).hasAttribute("aria-selected", "true");
        assertThat(page.locator("#p-storage")).isVisible();
        assertThat(page.locator("#p-general")).isHidden();

        // the user menu opens with Enter and closes with Escape
        page.locator(".usermenu summary").focus();
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isVisible();
        page.keyboard().press("Escape");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isHidden();

        // at phone width the navigation folds behind the menu button
        page.setViewportSize(NARROW, 844);
        assertThat(page.locator("#nav")).isHidden();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).click();
        assertThat(page.locator("#nav")).isVisible();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"))).hasAttribute("aria-expanded", "true");
    }
}
