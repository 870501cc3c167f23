package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.Keycloak;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Single sign-on with the wrong client secret, and local users switched off. */
class SsoMisconfiguredUiTest extends UiTest {

    @DynamicPropertySource
    static void sso(DynamicPropertyRegistry registry) {
        registry.add("maestro.sso.issuer", () -> Keycloak.shared().issuer());
        registry.add("maestro.sso.client-id", () -> Keycloak.CLIENT_ID);
        registry.add("maestro.sso.client-secret", () -> "not-the-client-secret");
        registry.add("maestro.sso.name", () -> "Keycloak");
        registry.add("maestro.local-login", () -> "false");
    }

    @Test
    void aWrongClientSecretEndsOnAClearErrorWithNoSession() {
        open("/login");
        // a cold Keycloak renders its first login page slowly on a loaded machine: wait for the page, not the click
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Keycloak")).click(
                new com.microsoft.playwright.Locator.ClickOptions().setNoWaitAfter(true));
        page.waitForURL(url -> url.startsWith(Keycloak.shared().base()), new Page.WaitForURLOptions().setTimeout(120_000));
        page.locator("#username").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setTimeout(120_000));
        page.locator("#username").fill("paula");
        page.locator("#password").fill("paula-password-1");
        page.locator("#kc-login").click();
        page.waitForURL(url -> url.startsWith(base() + "/login?sso_error="));
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Single sign-on failed");
        open("/");
        assertThat(page.url()).endsWith("/login");
    }

    @Test
    void withLocalLoginSwitchedOffOnlySingleSignOnIsOffered() {
        open("/login");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Keycloak"))).isVisible();
        assertThat(page.getByLabel("Password")).hasCount(0);
        assertThat(accessibilityViolations()).isEmpty();
        // HTTP Basic with a right password is refused too; the API answers problem+json
        Response r = admin().get("/me");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
