package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The global search box, list filters kept in the URL, sorting, paging, and the dashboard's counts. */
class SearchUiTest extends UiTest {

    @Test
    void globalSearchFindsEveryKind() {
        Inventory.create(admin());
        signInAsAdmin();
        open("/");
        page.getByLabel("Search everything").fill("shop");
        page.getByLabel("Search everything").press("Enter");
        page.waitForLoadState();
        assertThat(page).hasURL(Pattern.compile("/search\\?q=shop$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(Pattern.compile("^Applications")))).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(Pattern.compile("^Load balancers")))).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(Pattern.compile("^Systems")))).isVisible();
        // IPs are searched too
        page.getByLabel("Search every kind").fill("10.0.1.5");
        page.getByLabel("Search every kind").press("Enter");
        page.waitForLoadState();
        page.locator("main").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("db01")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("db01");
    }

    @Test
    void listFiltersSortAndPagesKeepTheirStateInTheUrl() {
        for (int i = 1; i <= 60; i++) {
            admin().post("/servers", Map.of("hostname", String.format("app%02d", i), "environment", i % 2 == 0 ? "Production" : "Development",
                    "os", Map.of("base", i % 3 == 0 ? "Windows" : "Linux")));
        }
        signInAsAdmin();
        open("/servers");
        assertThat(page.locator(".list-meta")).hasText("1–50 of 60");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next →")).click();
        assertThat(page.locator(".list-meta")).hasText("51–60 of 60");

        open("/servers");
        page.getByLabel("Environment").selectOption("Production"); // htmx swaps the results and pushes the URL
        assertThat(page.locator(".list-meta")).hasText("1–30 of 30");
        assertThat(page).hasURL(Pattern.compile("/servers\\?environment=Production$"));
        page.locator("#filter-os\\.base").selectOption("Windows");
        assertThat(page.locator(".list-meta")).hasText("1–10 of 10");
        page.getByLabel("Search", new Page.GetByLabelOptions().setExact(true)).fill("app1");
        assertThat(page.locator(".list-meta")).hasText("1–2 of 2"); // Production and Windows: app12, app18
        assertThat(page).hasURL(Pattern.compile("q=app1"));

        // a bookmarked list URL opens with its filters chosen
        open("/servers?environment=Production&sort=-hostname");
        assertThat(page.getByLabel("Environment")).hasValue("Production");
        assertThat(page.locator("table.list tbody tr").first().locator("td").first()).hasText("app60");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Hostname")).click();
        assertThat(page).hasURL(Pattern.compile("sort=hostname"));
        assertThat(page.locator("table.list tbody tr").first().locator("td").first()).hasText("app02");
        assertThat(page.locator("th[aria-sort=ascending]")).hasText("Hostname");
    }

    @Test
    void pagesAfterTheFirstSkipTheCountUntilTheLast() {
        for (int i = 1; i <= 25; i++) admin().post("/servers", Map.of("hostname", String.format("node%02d", i)));
        signInAsAdmin();
        open("/servers?size=10");
        assertThat(page.locator(".list-meta")).hasText("1–10 of 25");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next →")).click();
        assertThat(page).hasURL(Pattern.compile("total=false"));
        assertThat(page.locator(".list-meta")).hasText("11–20"); // no count behind it
        assertThat(page.locator("table.list tbody tr").first().locator("td").first()).hasText("node11");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next →")).click();
        assertThat(page.locator(".list-meta")).hasText("21–25 of 25"); // the last page is its own count
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next →"))).hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Previous")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("← Previous")).click();
        assertThat(page.locator(".list-meta")).hasText("1–10 of 25");
    }

    @Test
    void relatedRecordsOpenAsFilteredLists() {
        Inventory inv = Inventory.create(admin());
        signInAsAdmin();
        open("/systems/" + inv.ids.get("system"));
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Members")).click();
        assertThat(page.locator("#p-related")).containsText("shop-frontend");
        assertThat(page.locator("#p-related")).containsText("orders");
        page.locator("#p-related .show-group", new Page.LocatorOptions().setHasText("Applications"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open as list")).click();
        assertThat(page).hasURL(Pattern.compile("/applications\\?system_ids=" + inv.ids.get("system")));
        assertThat(page.locator(".active-filters")).containsText("Webshop");
        assertThat(page.locator(".list-meta")).hasText("1–1 of 1");
    }

    @Test
    void dashboardCountsPerKindEnvironmentAndProvider() {
        Inventory.create(admin());
        signInAsAdmin();
        open("/");
        assertThat(page.locator(".cards a", new Page.LocatorOptions().setHasText("Servers"))).containsText("3");
        Locator envTable = page.locator("section[aria-labelledby=h-env] table");
        Locator serversRow = envTable.locator("tr", new Locator.LocatorOptions().setHasText("Servers"));
        assertThat(serversRow.locator("td").nth(0)).hasText("1"); // Production
        assertThat(serversRow.locator("td").last()).hasText("3");
        Locator providers = page.locator("section[aria-labelledby=h-prov] table");
        assertThat(providers.locator("tr", new Locator.LocatorOptions().setHasText("AWS"))).containsText("1");
        Locator duplicates = page.locator("section[aria-labelledby=h-dups] table");
        assertThat(duplicates.locator("tr", new Locator.LocatorOptions().setHasText("Hostname"))).containsText("WEB01");
        Locator recent = page.locator("section[aria-labelledby=h-recent] table");
        assertThat(recent.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("shop-lb"))).isVisible();
        serversRow.locator("td").nth(0).getByRole(AriaRole.LINK).click();
        assertThat(page).hasURL(Pattern.compile("/servers\\?environment=Production"));
        assertThat(page.locator(".list-meta")).hasText("1–1 of 1");
    }

    @Test
    void unknownPagesAndRecordsAnswerNotFound() {
        signInAsAdmin();
        var r = page.navigate(base() + "/servers/00000000-0000-0000-0000-000000000001");
        assertThat(r.status()).isEqualTo(404);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Server not found");
        r = page.navigate(base() + "/servers/not-an-id/edit");
        assertThat(r.status()).isEqualTo(404);
        // odd text in a list URL is searched for, never interpreted
        r = page.navigate(base() + "/servers?q=%7Bx%7D%26sort%3D&environment=");
        assertThat(r.status()).isEqualTo(200);
        assertThat(page.locator("#q")).hasValue("{x}&sort=");
        r = page.navigate(base() + "/servers?bogus=1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("unknown filter");
        r = page.navigate(base() + "/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(List.of(page.title())).isNotEmpty();
    }
}
