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
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Production by CPU").setExact(true)).click();
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
    void aSavedViewIsRenamedRefilteredSharedUpdatedFromTheListAndDeleted() {
        admin().post("/servers", Map.of("hostname", "web01", "environment", "Production", "cpu", 8));
        admin().post("/servers", Map.of("hostname", "web02", "environment", "Production", "cpu", 2));
        admin().post("/servers", Map.of("hostname", "dev01", "environment", "Development", "cpu", 1));
        signInAsAdmin();
        open("/servers?environment=Production");
        page.getByText("Views", new Page.GetByTextOptions().setExact(true)).click();
        page.getByLabel("Save this view as").fill("Prod");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Prod' saved");
        String id = jdbc.queryForObject("SELECT id FROM saved_view WHERE name = 'Prod'", java.util.UUID.class).toString();

        open("/views");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit view Prod")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit view Prod");
        assertThat(page.getByLabel("Filters and sort")).hasValue("environment=Production");
        assertThat(page.getByLabel("CPU (cores)")).not().isChecked();
        checkPage("view-edit");

        // no name and a filter the list does not know: said at each field, nothing stored
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Name").setExact(true)).fill("");
        page.getByLabel("Filters and sort").fill("environment=Development&colour=red");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.locator("[data-field=name] .error")).containsText("is required");
        assertThat(page.locator("[data-field=query] .error")).containsText("colour: unknown filter");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Filters and sort");
        assertThat(page.getByLabel("Filters and sort")).hasValue("environment=Development&colour=red");
        checkPage("view-edit-errors");
        assertThat(jdbc.queryForMap("SELECT name, query, columns, team_id FROM saved_view WHERE id = ?", java.util.UUID.fromString(id)))
                .containsEntry("NAME", "Prod").containsEntry("QUERY", "environment=Production").containsEntry("TEAM_ID", null);

        // renamed, other filters and a column, shared with the team
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Name").setExact(true)).fill("Dev boxes");
        page.getByLabel("Filters and sort").fill("environment=Development&sort=-hostname");
        page.getByLabel("Seen by").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Team default"));
        page.getByLabel("CPU (cores)").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Dev boxes' saved.");
        assertThat(page.locator("main table")).containsText("team default");
        assertThat(page.locator("main")).not().containsText("Prod");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Dev boxes").setExact(true)).click();
        page.waitForLoadState(); // the filters change through htmx, once its script has run
        assertThat(page.locator("#filter-environment")).hasValue("Development");
        assertThat(page.locator("table.list tbody tr")).hasCount(1);
        assertThat(page.locator("table.list thead")).containsText("CPU (cores)");

        // changed on the list, then written back into the view
        page.locator("#filter-environment").selectOption("Production");
        assertThat(page.locator("table.list tbody tr")).hasCount(2);
        assertThat(page.locator("table.list thead")).containsText("CPU (cores)"); // the chosen columns stay
        page.locator("details.saved-views > summary").click(); // "Views (1)"
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Update view Dev boxes with this list")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Dev boxes' now shows this list's filters, sort and columns.");
        assertThat(page.locator("table.list tbody tr")).hasCount(2);
        Map<String, Object> stored = jdbc.queryForMap("SELECT name, query, columns FROM saved_view WHERE id = ?", java.util.UUID.fromString(id));
        assertThat(stored).containsEntry("NAME", "Dev boxes");
        assertThat((String) stored.get("QUERY")).contains("environment=Production").contains("sort=-hostname");
        assertThat((String) stored.get("COLUMNS")).contains("cpu");

        // a member of the team sees it but neither edits nor deletes it
        String carol = admin().post("/users", Map.of("username", "carol-views", "password", "carol-password-1")).id();
        String team = String.valueOf(jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", java.util.UUID.class));
        admin().put("/teams/" + team + "/members/" + carol, Map.of("role", "member"));
        var carols = context.browser().newContext();
        Page other = carols.newPage();
        watch(other);
        signIn(other, "carol-views", "carol-password-1");
        other.navigate(base() + "/views");
        assertThat(other.locator("main")).containsText("Dev boxes");
        assertThat(other.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit view Dev boxes"))).hasCount(0);
        assertThat(other.navigate(base() + "/views/" + id + "/edit").status()).isEqualTo(403);
        carols.close();

        // deleted from its edit page
        open("/views/" + id + "/edit");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete view Dev boxes")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Dev boxes' deleted.");
        assertThat(page.locator("main")).containsText("No saved views yet");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM saved_view", Integer.class)).isZero();
    }

    @Test
    void aViewIsEditedWithTheKeyboardAloneInTheDark() {
        admin().post("/servers", Map.of("hostname", "web01", "environment", "Production"));
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signInAsAdmin();
        open("/servers?environment=Production");
        page.getByText("Views", new Page.GetByTextOptions().setExact(true)).click();
        page.getByLabel("Save this view as").fill("Prod");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Prod' saved");
        open("/views");
        checkPage("dark-views");
        tabTo(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit view Prod")));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit view Prod");
        checkPage("dark-view-edit");
        tabTo(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Name").setExact(true)));
        page.keyboard().press("ControlOrMeta+a");
        page.keyboard().type("Production web");
        tabTo(page.getByLabel("CPU (cores)"));
        page.keyboard().press("Space");
        tabTo(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save view")));
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("View 'Production web' saved.");
        assertThat((String) jdbc.queryForObject("SELECT columns FROM saved_view", String.class)).contains("cpu");
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
