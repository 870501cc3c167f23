package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The database form that changes with the engine, and the pickers that link records. */
class DatabaseUiTest extends UiTest {

    private Locator input(String name) {
        return page.locator("[name=\"" + name + "\"]");
    }

    private void click(String buttonText) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(buttonText).setExact(true)).click();
    }

    private void pick(String inputId, String typed, String option) {
        page.locator("#" + inputId).fill(typed);
        page.locator("#" + inputId + "-list .pick-option", new Page.LocatorOptions().setHasText(option)).click();
    }

    @Test
    void oracleSectionForOracleAndMysqlSectionForTheMysqlFamily() {
        signInAsAdmin();
        open("/databases/new");
        Locator oracle = page.locator("#s-oracle");
        Locator mysql = page.locator("#s-mysql");
        assertThat(oracle).isHidden();
        assertThat(mysql).isHidden();
        page.getByLabel("Engine").selectOption("Oracle");
        assertThat(oracle).isVisible();
        assertThat(mysql).isHidden();
        page.getByLabel("Engine").selectOption("MariaDB");
        assertThat(oracle).isHidden();
        assertThat(mysql).isVisible();
        page.getByLabel("Engine").selectOption("PostgreSQL");
        assertThat(oracle).isHidden();
        assertThat(mysql).isHidden();

        // Oracle with ASM groups and CDBs with their PDBs
        input("name").fill("orders");
        page.getByLabel("Engine").selectOption("Oracle");
        page.getByLabel("Oracle version").selectOption("19c");
        page.getByLabel("Oracle mode").selectOption("rac");
        click("Add ASM disk group");
        input("oracle.asm_groups[0].name").fill("DATA");
        input("oracle.asm_groups[0].size_gb").fill("2048");
        click("Add CDB");
        input("oracle.cdbs[0].name").fill("CDB1");
        input("oracle.cdbs[0].pdbs").fill("ORDERS, BILLING");
        screenshots("database-form-oracle");
        click("Create database");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("orders").setLevel(1))).isVisible();
        Map<String, Object> stored = admin().get("/databases/" + currentId()).body();
        Map<String, Object> ora = (Map<String, Object>) stored.get("oracle");
        assertThat(ora).containsEntry("version", "19c").containsEntry("mode", "rac");
        assertThat((List<Object>) ora.get("cdbs")).containsExactly(Map.of("name", "CDB1", "pdbs", List.of("ORDERS", "BILLING")));
        assertThat(stored.get("mysql")).isNull();
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Oracle")).click();
        assertThat(page.locator("#p-oracle")).containsText("CDB1");
        assertThat(page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("MySQL"))).hasCount(0);

        // switching the engine to MySQL: the Oracle section is left out, the MySQL one is saved
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        // the form's script must listen before the engine changes: on a loaded machine it runs well after the section shows
        page.waitForURL(url -> url.endsWith("/edit"));
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
        assertThat(oracle).isVisible();
        page.getByLabel("Engine").selectOption("MySQL");
        assertThat(mysql).isVisible();
        page.getByLabel("Topology").selectOption("master-slave");
        page.getByLabel("Replicas").fill("2");
        click("Save");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("saved");
        stored = admin().get("/databases/" + currentId()).body();
        assertThat(stored).containsEntry("engine", "MySQL");
        assertThat(stored.get("oracle")).isNull();
        assertThat((Map<String, Object>) stored.get("mysql")).containsEntry("topology", "master-slave").containsEntry("replicas", 2);
    }

    @Test
    void pickersSearchAsYouTypeAndLinkBothWays() {
        for (int i = 1; i <= 30; i++) admin().post("/servers", Map.of("hostname", String.format("node%02d", i)));
        String db01 = admin().post("/servers", Map.of("hostname", "db01", "ipv4_private", "10.9.9.9")).id();
        signInAsAdmin();
        open("/databases/new");
        input("name").fill("catalog");
        page.getByLabel("Engine").selectOption("PostgreSQL");
        Locator servers = page.locator("#f-server_ids");
        servers.fill("node");
        assertThat(page.locator("#f-server_ids-list .pick-option")).hasCount(20); // the search answers at most 20
        servers.fill("10.9.9");
        assertThat(page.locator("#f-server_ids-list .pick-option")).hasCount(1);
        // keyboard: down, enter
        servers.press("ArrowDown");
        servers.press("Enter");
        assertThat(page.locator("#f-server_ids-chips .chip")).hasText(java.util.regex.Pattern.compile("db01"));
        pick("f-server_ids", "node07", "node07");
        assertThat(page.locator("#f-server_ids-chips .chip")).hasCount(2);
        // remove one chip again
        page.locator("#f-server_ids-chips .chip", new Page.LocatorOptions().setHasText("node07")).getByRole(AriaRole.BUTTON).click();
        assertThat(page.locator("#f-server_ids-chips .chip")).hasCount(1);
        click("Create database");

        String dbId = currentId();
        assertThat((List<Object>) admin().get("/databases/" + dbId).body().get("server_ids")).containsExactly(db01);
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Servers & datacenters")).click();
        page.locator("#p-servers").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("db01")).click();
        // the server shows the database that runs on it, and the service it got automatically
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Applications & databases")).click();
        assertThat(page.locator("#p-related").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("catalog"))).isVisible();
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Services")).click();
        assertThat(page.locator("#p-services")).containsText("PostgreSQL");
        assertThat(page.locator("#p-services")).containsText("auto");
    }

    @Test
    void loadBalancerTargetsMixServersAndApplications() {
        String web = admin().post("/servers", Map.of("hostname", "web01")).id();
        String app = admin().post("/applications", Map.of("name", "webshop")).id();
        signInAsAdmin();
        open("/loadbalancers/new");
        input("name").fill("shop-lb");
        page.getByLabel("Service").fill("HAProxy");
        pick("f-target_ids", "web", "web01");
        pick("f-target_ids", "web", "webshop");
        click("Create load balancer");
        Map<String, Object> lb = admin().get("/loadbalancers/" + currentId()).body();
        assertThat((List<Object>) lb.get("target_ids")).containsExactlyInAnyOrder(web, app);
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Targets")).click();
        assertThat(page.locator("#p-targets")).containsText("Application");
        assertThat(page.locator("#p-targets")).containsText("Server");
    }
}
