package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Graphs: from a record's page to the drawing of what it is connected to, and on to a neighbour. */
class GraphUiTest extends UiTest {

    @Test
    void aSystemsGraphDrawsItsRecordsAndLeadsToThem() {
        Inventory inv = Inventory.create(admin());
        signInAsAdmin();
        open("/graph");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Webshop")).click();
        page.waitForLoadState();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Graph of Webshop");
        // two hops: the system; its client, application and database; the app's server and load balancer, the database's server
        page.waitForFunction("() => window.maestroGraph && window.maestroGraph.nodes().length > 0");
        assertThat(((Number) page.evaluate("() => window.maestroGraph.nodes().length")).intValue()).isEqualTo(7);
        assertThat(page.locator("tbody tr")).hasCount(7);
        assertThat(page.locator("tbody")).containsText("shop-lb");
        assertThat(page.locator("tbody")).containsText("shop-frontend");
        assertThat(page.locator("tbody")).containsText("ACME Retail");
        assertThat(page.locator("main")).containsText("7 records");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("graph-system");
        assertThat(narrowScrollWidth).as("page width at phone width").isLessThanOrEqualTo(NARROW);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("1 hop")).click();
        page.waitForLoadState();
        assertThat(page.locator("tbody tr")).hasCount(4);

        // the table's links lead to the records, the detail page back to the graph
        page.locator("tbody").getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("shop-frontend")).click();
        assertThat(page).hasURL(Pattern.compile("/applications/" + inv.ids.get("app") + "$"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Graph").setExact(true)).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Graph of shop-frontend");
        page.waitForFunction("() => window.maestroGraph && window.maestroGraph.nodes().length > 0");
        assertThat(consoleErrors).isEmpty();
    }
}
