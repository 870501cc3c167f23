package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin › Users, Teams and Tokens, and the Access tab of records, as their users see them.
 * Users and teams outlive a test (only the inventory is emptied), so names carry a random suffix.
 */
class AdminUiTest extends UiTest {
    private static final String PASSWORD = "a-long-enough-password";
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aGlobalAdminCreatesAUserAndATeamAndTheMemberSeesIt() {
        String alice = "alice-" + suffix;
        String team = "payments-" + suffix;
        signInAsAdmin();
        nav("Users");
        assertThat(page.locator("main table")).containsText("admin");
        checkPage("admin-users");

        // errors show by the field, with what was typed kept
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New user")).click();
        page.getByLabel("Username").fill(alice);
        page.getByLabel("Password").fill("short");
        page.getByLabel("Email").fill(alice + "@example.com");
        button("Create user").click();
        assertThat(page.locator("[data-field=password] .error")).containsText("at least 10 characters");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Password");
        assertThat(page.getByLabel("Username")).hasValue(alice);
        assertThat(page.getByLabel("Email")).hasValue(alice + "@example.com");
        checkPage("admin-user-form-errors");
        page.getByLabel("Username").fill("admin");
        page.getByLabel("Password").fill(PASSWORD);
        button("Create user").click();
        assertThat(page.locator("[data-field=username] .error")).containsText("is taken");

        page.getByLabel("Username").fill(alice);
        page.getByLabel("Password").fill(PASSWORD);
        button("Create user").click();
        assertThat(heading(alice)).isVisible();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("created");

        nav("Teams");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New team")).click();
        button("Create team").click();
        assertThat(page.locator("[data-field=name] .error")).containsText("is required");
        page.getByLabel("Name").fill(team);
        page.getByLabel("Email").fill(team + "@example.com");
        button("Create team").click();
        assertThat(heading(team)).isVisible();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("you are its admin");

        page.getByLabel("Username").fill("nobody-" + suffix);
        button("Add member").click();
        assertThat(page.locator("[data-field=username] .error")).containsText("no user with this name");
        page.getByLabel("Username").fill(alice);
        page.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("member");
        button("Add member").click();
        assertThat(page.locator("main table")).containsText(alice);
        assertThat(page.getByLabel("Role of " + alice, new Page.GetByLabelOptions().setExact(true))).hasValue("member");
        checkPage("admin-team");

        // the new member signs in and sees the team, and their role in it
        context.clearCookies();
        signIn(alice, PASSWORD);
        nav("Teams");
        assertThat(page.locator("main table")).containsText(team);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(team)).click();
        assertThat(page.locator(".meta")).containsText("member");
        // members do not manage the team: no role selects, only their own "Leave team"
        assertThat(page.getByLabel("Role of " + alice, new Page.GetByLabelOptions().setExact(true))).hasCount(0);
        assertThat(button("Remove admin")).hasCount(0);
        assertThat(button("Leave team")).hasCount(1);
        checkPage("admin-teams-member");
    }

    @Test
    void aMemberCreatesATokenSeesItOnceAndRevokesIt() {
        String bob = user("bob");
        signIn(bob, PASSWORD);
        nav("Tokens");
        assertThat(page.locator("main")).containsText("You have no tokens");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New token")).click();
        button("Create token").click();
        assertThat(page.locator("[data-field=name] .error")).containsText("is required");
        page.getByLabel("Name").fill("ci");
        page.getByLabel("Scope").selectOption("read");
        page.getByLabel("Expires").fill("2099-01-31");
        button("Create token").click();
        String value = page.getByLabel("Token").inputValue();
        assertThat(value).startsWith("mae_");
        assertThat(page.locator("main")).containsText("shown only this once");
        checkPage("admin-token-created");
        assertThat(bearer(value).get("/me").body().get("username")).isEqualTo(bob);

        nav("Tokens");
        assertThat(page.locator("main table")).containsText("ci");
        assertThat(page.locator("main table")).containsText("2099-01-31");
        assertThat(page.content()).doesNotContain(value);
        checkPage("admin-tokens");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Revoke ci")).click();
        assertThat(heading("Revoke token ci?")).isVisible();
        button("Revoke").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("revoked");
        assertThat(page.locator("main")).containsText("You have no tokens");
        assertThat(bearer(value).get("/me").status()).isEqualTo(401);
    }

    @Test
    void deleteAndShareShowOnlyToThoseWhoMayAndASharedRecordReachesTheOtherTeam() {
        String carol = user("carol");
        String dave = user("dave");
        String erin = user("erin");
        String blue = as(carol, PASSWORD).post("/teams", Map.of("name", "blue-" + suffix)).id();
        as(carol, PASSWORD).put("/teams/" + blue + "/members/" + dave, Map.of("role", "member"));
        String green = "green-" + suffix;
        as(erin, PASSWORD).post("/teams", Map.of("name", green));
        String server = as(carol, PASSWORD).post("/servers", Map.of("hostname", "blue-db-" + suffix, "team_id", blue)).id();

        // a member changes the record but neither deletes nor shares it
        signIn(dave, PASSWORD);
        open("/servers/" + server);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit"))).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Share"))).hasCount(0);
        assertThat(page.navigate(base() + "/servers/" + server + "/delete").status()).isEqualTo(403);

        // the team admin does, and shares it with another team
        context.clearCookies();
        signIn(carol, PASSWORD);
        open("/servers/" + server);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete"))).isVisible();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Share")).click();
        assertThat(page.locator("#p-access")).isVisible();
        assertThat(page.locator("#p-access")).containsText("Not shared with anyone else");
        page.getByLabel("or user").fill("nobody-" + suffix);
        button("Share").click();
        assertThat(page.locator("#p-access [data-field=username] .error")).containsText("no user with this name");
        assertThat(page.getByLabel("or user")).hasValue("nobody-" + suffix);
        page.getByLabel("or user").fill("");
        // green is not one of carol's teams, so the form does not suggest it: she types its name
        page.getByLabel("Team", new Page.GetByLabelOptions().setExact(true)).fill(green);
        page.getByLabel("Level", new Page.GetByLabelOptions().setExact(true)).selectOption("read");
        button("Share").click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Access saved");
        Locator shares = page.locator("#p-access table");
        assertThat(shares).containsText(green);
        assertThat(page.getByLabel("Level for " + green, new Page.GetByLabelOptions().setExact(true))).hasValue("read");
        checkPage("record-access");

        // a member of that team now finds it in the list, read-only
        context.clearCookies();
        signIn(erin, PASSWORD);
        open("/servers");
        assertThat(page.locator("main table")).containsText("blue-db-" + suffix);
        open("/servers/" + server);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Access"))).hasCount(0);

        // the admin changes the level and removes the share again
        context.clearCookies();
        signIn(carol, PASSWORD);
        open("/servers/" + server + "#p-access");
        page.getByLabel("Level for " + green, new Page.GetByLabelOptions().setExact(true)).selectOption("write");
        button("Save level for " + green).click();
        assertThat(page.getByLabel("Level for " + green, new Page.GetByLabelOptions().setExact(true))).hasValue("write");
        button("Stop sharing with " + green).click();
        assertThat(page.locator("#p-access")).containsText("Not shared with anyone else");
        assertThat((java.util.List<?>) admin().get("/servers/" + server + "/access").json()).isEmpty();
    }

    /** A user made through the API (not what these tests look at), with a name unique to this run. */
    private String user(String name) {
        String username = name + "-" + suffix;
        admin().post("/users", Map.of("username", username, "password", PASSWORD));
        return username;
    }

    private void nav(String name) {
        page.locator("#nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name).setExact(true)).click();
        page.waitForLoadState();
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator heading(String name) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name));
    }
}
