package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** An issuer that does not answer (wrong URL, provider down): Maestro starts, the button explains, local users still sign in. */
@TestPropertySource(properties = {"maestro.sso.issuer=http://127.0.0.1:9/realms/nowhere", "maestro.sso.client-id=maestro",
        "maestro.sso.client-secret=secret", "maestro.sso.name=Nowhere"})
class SsoProviderDownUiTest extends UiTest {

    @Test
    void theButtonExplainsAndLocalUsersStillSignIn() {
        open("/login");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in with Nowhere")).click();
        page.waitForLoadState();
        assertThat(page.url()).contains("/login?sso_error=provider_unavailable");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Single sign-on is not available");
        signInAsAdmin();
    }
}
