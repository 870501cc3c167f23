package io.maestro.sources;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings › Imports in Chromium: a Terraform state uploaded as a dry run shows its plan (filtered
 * by action, with field changes), nothing is stored until Apply, and the applied import's records
 * read through the API as the plan said. A refused file is explained on the page.
 */
class ImportsUiTest extends UiTest {
    private static final String PASSWORD = "a-long-password-1";

    @BeforeEach
    void freshAccounts() {
        onlyTheAdmin();
        jdbc.update("DELETE FROM source_import");
        assertThat(admin().post("/users", Map.of("username", "uma", "password", PASSWORD)).status()).isEqualTo(201);
        String team = uma().post("/teams", Map.of("name", "imp-ui")).id();
        assertThat(uma().post("/datacenters", Map.of("name", "tf-ui", "team_id", team)).status()).isEqualTo(201);
    }

    Client uma() {
        return as("uma", PASSWORD);
    }

    @Test
    void uploadPlanFilterApply() throws Exception {
        Path state = Paths.get(ImportsUiTest.class.getResource("/imports/estate.tfstate").toURI());
        signIn("uma", PASSWORD);
        page.locator("#nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Imports").setExact(true)).click();
        page.waitForLoadState();
        check("imports");

        // a file of the wrong format is refused on the page, nothing stored
        page.getByLabel("File").setInputFiles(state);
        page.getByLabel("Format").selectOption("ansible");
        button("Upload and import").click();
        page.locator("#import-error:not([hidden])").waitFor();
        assertThat(page.locator("#import-error").textContent()).contains("ansible_facts");
        assertThat(uma().get("/imports").items()).isEmpty();

        page.getByLabel("Format").selectOption("terraform");
        page.getByLabel("Name").fill("estate-ui");
        page.getByLabel("Datacenter").selectOption(new SelectOption().setLabel("tf-ui"));
        button("Upload and import").click();
        page.locator("#import-progress[data-status=succeeded]").waitFor(new Locator.WaitForOptions().setTimeout(180_000));
        assertThat(page.locator("table.plan tbody tr").count()).isEqualTo(8);
        assertThat(page.locator("table.plan").textContent()).contains("i-0aaa000000000000a").contains("ipv4_private").contains("10.0.1.10");
        assertThat(uma().get("/servers").items()).as("a dry run stores nothing").isEmpty();
        check("import-plan");
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Plan by action"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("conflict").setExact(true)).click();
        page.waitForLoadState();
        assertThat(page.content()).contains("Nothing here.");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("All").setExact(true)).click();
        page.waitForLoadState();

        button("Apply this plan").click();
        page.waitForLoadState();
        page.locator("#import-progress[data-status=succeeded]").waitFor(new Locator.WaitForOptions().setTimeout(180_000));
        assertThat(page.locator("#import-progress").textContent()).contains("dry run, applied");
        List<Map<String, Object>> servers = uma().get("/servers?size=100").items();
        assertThat(servers).hasSize(6);
        check("import-applied");

        open("/imports");
        assertThat(page.locator("table.grid").textContent()).contains("estate-ui").contains("succeeded");

        // everything uma may read in one file, which imports back as a plan that changes nothing
        com.microsoft.playwright.Download download = page.waitForDownload(() ->
                page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Export everything you may read (JSON)")).click());
        assertThat(download.suggestedFilename()).isEqualTo("maestro-export.json");
        @SuppressWarnings("unchecked") Map<String, Object> export = (Map<String, Object>) io.maestro.core.Json.parse(java.nio.file.Files.readString(download.path()));
        assertThat((List<?>) export.get("servers")).hasSize(6);
        page.getByLabel("File").setInputFiles(download.path());
        page.getByLabel("Format").selectOption(new SelectOption().setLabel("Maestro JSON (export or upstream)"));
        page.getByLabel("Name").fill("estate-ui");
        button("Upload and import").click();
        page.locator("#import-progress[data-status=succeeded]").waitFor(new Locator.WaitForOptions().setTimeout(180_000));
        assertThat(page.locator("table.plan tbody tr").count()).isEqualTo(9);
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Plan by action"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("unchanged").setExact(true)).click();
        page.waitForLoadState();
        assertThat(page.locator("table.plan tbody tr").count()).as("the export of what is stored changes nothing").isEqualTo(9);
        check("import-export-plan");
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private void check(String name) {
        assertThat(accessibilityViolations()).as(name).isEmpty();
        screenshots(name);
        assertThat(narrowScrollWidth).as(name + " width at " + NARROW + " px").isLessThanOrEqualTo(NARROW);
        assertThat(consoleErrors).as(name + " console").isEmpty();
    }
}
