package io.maestro.web;

import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of every kind (list, detail, new and edit forms), the dashboard and search: each
 * loads without JavaScript errors, has no serious or critical accessibility problem (axe-core),
 * does not scroll sideways at 390 px (tables scroll in their own box), and is saved as a
 * screenshot at 1280 and 390 px.
 */
class PagesUiTest extends UiTest {

    @Test
    void everyPageIsAccessibleAndFreeOfScriptErrors() {
        Inventory inv = Inventory.create(admin());
        signInAsAdmin();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("dashboard", "/");
        pages.put("search", "/search?q=web");
        pages.put("options", "/options");
        pages.put("option-list", "/options/db_engine");
        pages.put("option-edit", "/options/db_engine/edit");
        String team = defaultTeam();
        pages.put("users", "/users");
        pages.put("users-new", "/users/new");
        pages.put("teams", "/teams");
        pages.put("teams-new", "/teams/new");
        pages.put("team", "/teams/" + team);
        pages.put("tokens", "/tokens");
        pages.put("tokens-new", "/tokens/new");
        Map<String, String> detailOf = new LinkedHashMap<>();
        detailOf.put("servers", "web01");
        detailOf.put("applications", "app");
        detailOf.put("databases", "oracle");
        detailOf.put("loadbalancers", "lb");
        detailOf.put("datacenters", "dc");
        detailOf.put("systems", "system");
        detailOf.put("clients", "client");
        detailOf.put("services", "service");
        detailOf.put("providers", "provider");
        detailOf.forEach((collection, key) -> {
            String id = inv.ids.get(key);
            pages.put(collection + "-list", "/" + collection);
            pages.put(collection + "-detail", "/" + collection + "/" + id);
            pages.put(collection + "-new", "/" + collection + "/new");
            pages.put(collection + "-edit", "/" + collection + "/" + id + "/edit");
        });
        pages.put("databases-mysql-edit", "/databases/" + inv.ids.get("mysql") + "/edit");
        pages.put("servers-duplicate-detail", "/servers/" + inv.ids.get("web01b"));
        pages.put("servers-access", "/servers/" + inv.ids.get("web01") + "#p-access");

        List<String> problems = new ArrayList<>();
        pages.forEach((name, path) -> {
            var response = page.navigate(base() + path);
            assertThat(response.status()).as(path).isEqualTo(200);
            page.waitForLoadState();
            accessibilityViolations().forEach(v -> problems.add(path + ": " + v));
            screenshots(name);
            if (narrowScrollWidth > NARROW) problems.add(path + ": " + narrowScrollWidth + " px wide at " + NARROW + " px");
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void darkThemeKeepsContrast() {
        Inventory inv = Inventory.create(admin());
        page.emulateMedia(new com.microsoft.playwright.Page.EmulateMediaOptions().setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
        signInAsAdmin();
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/", "/servers", "/servers/" + inv.ids.get("web01"), "/servers/" + inv.ids.get("web01") + "/edit",
                "/databases/" + inv.ids.get("oracle") + "/edit", "/servers/" + inv.ids.get("web01") + "#p-access", "/users/new",
                "/teams/" + defaultTeam())) {
            open(path);
            accessibilityViolations().forEach(v -> problems.add(path + ": " + v));
        }
        open("/servers/" + inv.ids.get("web01b"));
        screenshots("dark-server-detail");
        open("/servers");
        screenshots("dark-server-list");
        open("/teams/" + defaultTeam());
        screenshots("dark-team");
        assertThat(problems).isEmpty();
    }

    private String defaultTeam() {
        return String.valueOf(jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", java.util.UUID.class));
    }
}
