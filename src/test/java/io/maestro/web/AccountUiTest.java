package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The account page: a user changes their own email and password, then signs in with the new one. */
class AccountUiTest extends UiTest {

    @BeforeEach
    void freshUser() {
        jdbc.update("DELETE FROM app_user WHERE username = 'erin-account'");
        admin().post("/users", Map.of("username", "erin-account", "password", "erin-password-1", "email", "erin@old.example"));
    }

    private void button(String name) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name)).click();
    }

    @Test
    void changeOwnEmailAndPasswordThenSignInWithTheNewOne() {
        signIn("erin-account", "erin-password-1");
        page.getByText("erin-account").first().click(); // the user menu
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Your account")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Your account");
        assertThat(page.getByLabel("Email", new Page.GetByLabelOptions().setExact(true))).hasValue("erin@old.example");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("account");

        page.getByLabel("Email", new Page.GetByLabelOptions().setExact(true)).fill("erin@new.example");
        button("Save email");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Email saved.");
        assertThat(as("erin-account", "erin-password-1").get("/me").body()).containsEntry("email", "erin@new.example");

        // wrong current password, then a repeat that does not match: said at the fields, nothing changed
        page.locator("#f-pw-current_password").fill("not-my-password");
        page.locator("#f-pw-password").fill("erin-password-2");
        page.locator("#f-pw-password_again").fill("erin-password-2");
        button("Change password");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("is wrong");
        page.locator("#f-pw-current_password").fill("erin-password-1");
        page.locator("#f-pw-password").fill("erin-password-2");
        page.locator("#f-pw-password_again").fill("erin-password-3");
        button("Change password");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("does not match");
        assertThat(accessibilityViolations()).isEmpty();
        assertThat(as("erin-account", "erin-password-1").get("/me").status()).isEqualTo(200);

        page.locator("#f-pw-current_password").fill("erin-password-1");
        page.locator("#f-pw-password").fill("erin-password-2");
        page.locator("#f-pw-password_again").fill("erin-password-2");
        button("Change password");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Password changed");

        context.clearCookies();
        signIn("erin-account", "erin-password-1");
        assertThat(page).hasURL(java.util.regex.Pattern.compile("/login"));
        signIn("erin-account", "erin-password-2");
        assertThat(page.getByText("erin-account").first()).isVisible();
        assertThat(as("erin-account", "erin-password-2").get("/me").status()).isEqualTo(200);
        assertThat(as("erin-account", "erin-password-1").get("/me").status()).isEqualTo(401);
    }
}
