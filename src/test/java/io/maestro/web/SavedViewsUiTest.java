package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The column chooser, saved views (personal and shared with a team) and the first-run empty states. */
class SavedViewsUiTest extends UiTest {

    @BeforeEach
    void noViews() {
        jdbc.update("DELETE FROM saved_view");
        jdbc.update("DELETE FROM app_user WHERE username IN ('carol-views', 'dave-views')");
    }

    @Test
    void aSavedViewReopensWithItsFiltersSortAndColumns() {
        admin().post("/servers", Map.of("hostname", "web01", "environment", "Production", "cpu", 8));
        admin().post("/servers", Map.of("hostname", "web02", "environment", "Production", "cpu", 2));
        admin().post("/servers", Map.of("hostname", "dev01", "environment", "Development", "cpu", 1));
        signInAsAdmin();
        open("/servers?environment=Production&sort=-hostname");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Columns…")).click();
        assertThat(accessibilityViolations()).isEmpty();
        page.getByLabel("CPU (cores)").check();
        page.getByLabel("Distribution").uncheck();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show these columns")).click();
        assertThat(page.locator("table.list thead")).containsText("CPU (cores)");
        assertThat(page.locator("table.list thead")).not().containsText("Distribution");
        assertThat(page.locator("table.list tbody tr")).hasCount(2);
        assertThat(accessibilityViolations()).isEmpty();

        page.getByText("Views", new Page.GetByTextOptions().setExact(true)).click();
        page.getByLabel("Save this view as").fill("Production by CPU");
        page.getByLabel("Seen by").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Team default"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Production by CPU' saved for team default");

        // from the navigation, the view opens with its filter, sort and columns
        open("/");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Saved views")).click();
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("saved-views");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Production by CPU")).click();
        assertThat(page.locator("#filter-environment")).hasValue("Production");
        assertThat(page.locator("table.list tbody tr")).hasCount(2);
        assertThat(page.locator("table.list tbody tr").first()).containsText("web02"); // -hostname
        assertThat(page.locator("table.list thead")).containsText("CPU (cores)");
        assertThat(page.locator("table.list tbody tr").first()).containsText("2");
        assertThat(page.locator("table.list thead")).not().containsText("Distribution");

        // a member of the team sees it; someone outside does not
        String carol = admin().post("/users", Map.of("username", "carol-views", "password", "carol-password-1")).id();
        admin().post("/users", Map.of("username", "dave-views", "password", "dave-password-1"));
        String team = String.valueOf(jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", java.util.UUID.class));
        assertThat(admin().put("/teams/" + team + "/members/" + carol, Map.of("role", "member")).status()).isEqualTo(200);
        context.clearCookies();
        signIn("carol-views", "carol-password-1");
        open("/views");
        assertThat(page.locator("main")).containsText("Production by CPU");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete view Production by CPU"))).hasCount(0);
        context.clearCookies();
        signIn("dave-views", "dave-password-1");
        open("/views");
        assertThat(page.locator("main")).not().containsText("Production by CPU");
        assertThat(page.locator("main")).containsText("No saved views yet");
    }

    @Test
    void aViewWithoutANameIsNotSaved() {
        signInAsAdmin();
        open("/servers");
        page.getByText("Views", new Page.GetByTextOptions().setExact(true)).click();
        page.locator("#view-name").evaluate("i => i.removeAttribute('required')");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("name is required");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM saved_view", Integer.class)).isZero();
    }

    @Test
    void anEmptyListExplainsTheKindAndOffersTheWaysToFillIt() {
        signInAsAdmin();
        open("/servers");
        var empty = page.locator(".empty-state");
        assertThat(empty).containsText("No servers yet");
        assertThat(empty.getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Create the first server"))).isVisible();
        assertThat(empty.getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Import a CSV or NDJSON file"))).isVisible();
        assertThat(empty).containsText("/api/v1/servers");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("empty-servers");
        assertThat(narrowScrollWidth).isLessThanOrEqualTo(NARROW);
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        open("/applications");
        assertThat(page.locator(".empty-state")).containsText("business software");
        assertThat(accessibilityViolations()).isEmpty();
        // a filter that matches nothing is not a first run
        admin().post("/servers", Map.of("hostname", "web01"));
        open("/servers?environment=Production");
        assertThat(page.locator(".list-meta")).containsText("Nothing found.");
        assertThat(page.locator(".empty-state")).hasCount(0);
    }

    @Test
    void theDashboardOfAnEmptyInventoryOffersTheFirstSteps() {
        signInAsAdmin();
        open("/");
        var steps = page.locator(".first-steps");
        assertThat(steps).containsText("three first steps");
        assertThat(steps.getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("import a CSV or NDJSON file")))
                .hasAttribute("href", "/servers/import");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("first-steps");
        admin().post("/servers", Map.of("hostname", "web01"));
        open("/");
        assertThat(page.locator(".first-steps")).hasCount(0);
    }
}
