package io.maestro.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin › Users as a global admin runs it: edit a user (field errors at the field), disable them
 * (their open session ends and they cannot sign in), enable them again, delete them after a
 * confirmation; and what a user who is no global admin gets instead. Checked through the API.
 */
class UserAdminUiTest extends UiTest {
    private static final String PASSWORD = "a-long-enough-password";
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aGlobalAdminEditsDisablesEnablesAndDeletesAUser() {
        String erin = "erin-" + suffix;
        String erinId = admin().post("/users", Map.of("username", erin, "password", PASSWORD, "email", erin + "@old.example")).id();
        // erin is signed in elsewhere while the admin works
        BrowserContext erinsBrowser = context.browser().newContext();
        Page erinsPage = erinsBrowser.newPage();
        watch(erinsPage);
        signIn(erinsPage, erin, PASSWORD);
        assertThat(erinsPage.locator(".whoami")).hasText(erin);

        signInAsAdmin();
        open("/users");
        Locator row = page.locator("main table tr", new Page.LocatorOptions().setHasText(erin));
        assertThat(row).containsText("Active");
        checkPage("users-list");
        row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Edit " + erin)).click();
        assertThat(heading("Edit user " + erin)).isVisible();
        assertThat(page.getByLabel("Email")).hasValue(erin + "@old.example");

        // a bad email and a short password: said at each field, what was typed kept, nothing stored
        page.getByLabel("Display name").fill("Erin Example");
        page.getByLabel("Email").fill("not-an-email");
        page.getByLabel("New password").fill("short");
        button("Save user").click();
        assertThat(page.locator("[data-field=email] .error")).containsText("must be an email address");
        assertThat(page.locator("[data-field=password] .error")).containsText("at least 10 characters");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Email");
        assertThat(page.getByLabel("Display name")).hasValue("Erin Example");
        assertThat(page.getByLabel("Email")).hasValue("not-an-email");
        checkPage("user-edit-errors");
        assertThat(admin().get("/users/" + erinId).body()).containsEntry("email", erin + "@old.example").containsEntry("display_name", null);

        page.getByLabel("Email").fill(erin + "@new.example");
        page.getByLabel("New password").fill("");
        button("Save user").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("User " + erin + " saved.");
        assertThat(page.locator(".meta")).containsText("Erin Example");
        assertThat(admin().get("/users/" + erinId).body()).containsEntry("email", erin + "@new.example")
                .containsEntry("display_name", "Erin Example").containsEntry("global_admin", false);

        // disabled: her open session ends, she cannot sign in again
        button("Disable").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("disabled");
        assertThat(page.locator(".meta .badge")).containsText("Disabled");
        assertThat(button("Enable")).isVisible();
        checkPage("user-disabled");
        assertThat(admin().get("/users/" + erinId).body()).containsEntry("disabled", true);
        erinsPage.navigate(base() + "/servers");
        assertThat(erinsPage).hasURL(Pattern.compile("/login"));
        signIn(erinsPage, erin, PASSWORD);
        assertThat(erinsPage.getByRole(AriaRole.ALERT)).containsText("This account is disabled");
        assertThat(as(erin, PASSWORD).get("/me").status()).isEqualTo(401);
        open("/users");
        assertThat(page.locator("main table tr", new Page.LocatorOptions().setHasText(erin))).containsText("Disabled");

        // enabled again, she signs in
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(erin).setExact(true)).click();
        button("Enable").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("enabled");
        signIn(erinsPage, erin, PASSWORD);
        assertThat(erinsPage.locator(".whoami")).hasText(erin);
        erinsBrowser.close();

        // deleted after a confirmation naming her
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete").setExact(true)).click();
        assertThat(heading("Delete user " + erin + "?")).isVisible();
        checkPage("user-delete");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Cancel")).click();
        assertThat(heading(erin)).isVisible();
        assertThat(admin().get("/users/" + erinId).status()).isEqualTo(200);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete").setExact(true)).click();
        button("Delete " + erin).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("User " + erin + " deleted.");
        assertThat(page.locator("main table")).not().containsText(erin);
        assertThat(admin().get("/users/" + erinId).status()).isEqualTo(404);
        assertThat(as(erin, PASSWORD).get("/me").status()).isEqualTo(401);
    }

    @Test
    void theAdminCannotDisableOrDemoteThemselvesIntoALockout() {
        String admin = (String) admin().get("/me").body().get("id");
        jdbc.update("UPDATE app_user SET global_admin = FALSE WHERE username <> 'admin'"); // admin is the only one (users outlive tests)
        signInAsAdmin();
        open("/users/" + admin);
        // no Disable or Delete for oneself
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit"))).isVisible();
        assertThat(button("Disable")).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete").setExact(true))).hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        page.getByLabel("Global admin (sees and changes everything)").uncheck();
        button("Save user").click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("last enabled global admin");
        assertThat(page.getByLabel("Global admin (sees and changes everything)")).not().isChecked();
        assertThat(admin().get("/me").body()).containsEntry("global_admin", true);
    }

    @Test
    void someoneWhoIsNoGlobalAdminCannotReachThePages() {
        String bob = "bob-" + suffix;
        String bobId = admin().post("/users", Map.of("username", bob, "password", PASSWORD)).id();
        String admin = (String) admin().get("/me").body().get("id");
        signIn(bob, PASSWORD);
        open("/users");
        assertThat(page.locator("main table")).containsText(bob);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New user"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit " + bob))).hasCount(0);
        open("/users/" + bobId);
        assertThat(heading(bob)).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit"))).hasCount(0);
        assertThat(button("Disable")).hasCount(0);
        for (String path : new String[]{"/users/" + bobId + "/edit", "/users/" + bobId + "/delete", "/users/new"}) {
            assertThat(page.navigate(base() + path).status()).as(path).isEqualTo(403);
            assertThat(page.locator("main")).containsText("Only global admins");
        }
        // a form sent anyway (with the session's CSRF token) is refused and changes nothing
        open("/users/" + bobId);
        @SuppressWarnings("unchecked")
        Map<String, Object> csrf = (Map<String, Object>) io.maestro.core.Json.parse(
                ((String) page.evaluate("() => document.body.getAttribute('hx-headers')")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String action : new String[]{"/users/" + admin + "/disable", "/users/" + bobId + "/delete", "/users/" + bobId + "/edit"}) {
            var options = com.microsoft.playwright.options.RequestOptions.create()
                    .setForm(com.microsoft.playwright.options.FormData.create().set("global_admin", "on"))
                    .setMaxRedirects(0);
            csrf.forEach((name, value) -> options.setHeader(name, String.valueOf(value)));
            assertThat(page.request().post(base() + action, options).status()).as(action).isIn(403, 404);
        }
        assertThat(admin().get("/me").body()).containsEntry("disabled", false);
        assertThat(admin().get("/users/" + bobId).body()).containsEntry("global_admin", false).containsEntry("disabled", false);
    }

    @Test
    void theUserPagesWorkWithTheKeyboardAloneInTheDark() {
        String frank = "frank-" + suffix;
        String frankId = admin().post("/users", Map.of("username", frank, "password", PASSWORD)).id();
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signInAsAdmin();
        open("/users/" + frankId);
        checkPage("dark-user");
        tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")));
        page.keyboard().press("Enter");
        assertThat(heading("Edit user " + frank)).isVisible();
        checkPage("dark-user-edit");
        tabTo(page.getByLabel("Display name"));
        page.keyboard().type("Frank Keys");
        tabTo(button("Save user"));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("saved");
        tabTo(button("Disable"));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("disabled");
        tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete").setExact(true)));
        page.keyboard().press("Enter");
        assertThat(heading("Delete user " + frank + "?")).isVisible();
        checkPage("dark-user-delete");
        tabTo(button("Delete " + frank));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("deleted");
        checkPage("dark-users");
        assertThat(admin().get("/users/" + frankId).status()).isEqualTo(404);
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator heading(String name) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name).setExact(true));
    }
}
