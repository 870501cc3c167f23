package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The "as of" control of lists and record pages, the History tab's diffs, and restoring a version from it. */
class TimeTravelUiTest extends UiTest {

    @SuppressWarnings("unchecked")
    private String createdAt(String collection, String id) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) admin().get("/" + collection + "/" + id + "/history").body().get("items");
        return String.valueOf(items.get(items.size() - 1).get("at"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void asOfListShowsTheOldValueAndHidesLaterRecords() {
        String web01 = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1", "environment", "Production")).id();
        String then = createdAt("servers", web01);
        admin().patch("/servers/" + web01, Map.of("ipv4_private", "10.0.0.2"));
        admin().post("/servers", Map.of("hostname", "web02"));
        signInAsAdmin();
        open("/servers?as_of=" + enc(then));
        assertThat(page.locator(".history-banner")).containsText("Historical view, read-only");
        assertThat(page.locator("table.list")).containsText("10.0.0.1");
        assertThat(page.locator("table.list")).not().containsText("web02");
        assertThat(page.locator("table.list")).not().containsText("10.0.0.2");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New server"))).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Edit selected…"))).hasCount(0);
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("as-of-list");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("web01")).click();
        assertThat(page.locator(".history-banner")).containsText("this server as it stood at");
        assertThat(page.locator("#p-general")).containsText("10.0.0.1");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit").setExact(true))).hasCount(0);
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete").setExact(true))).hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to now")).click();
        assertThat(page.locator("#p-general")).containsText("10.0.0.2");

        // the list's control: a date before anything existed lists nothing; back to now lists both
        open("/servers");
        page.getByLabel("As of (UTC)").fill("2020-01-01T00:00");
        assertThat(page.locator(".history-banner")).containsText("2020-01-01 00:00:00 UTC");
        assertThat(page.locator(".list-meta")).containsText("Nothing found.");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Back to now")).click();
        assertThat(page.locator("table.list tbody tr")).hasCount(2);
    }

    @Test
    void aFutureOrUnreadableDateIsSaidOnThePage() {
        admin().post("/servers", Map.of("hostname", "web01"));
        signInAsAdmin();
        open("/servers?as_of=2999-01-01T00:00:00");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("in the future");
        assertThat(page.locator("table.list")).hasCount(0);
        open("/servers?as_of=yesterday");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("must be an ISO-8601 date-time");
        String id = admin().get("/servers?size=1").items().get(0).get("id").toString();
        var response = page.navigate(base() + "/servers/" + id + "?as_of=2999-01-01");
        assertThat(response.status()).isEqualTo(400);
        assertThat(page.locator("main")).containsText("in the future");
    }

    @Test
    void historyTabShowsDiffsAndRestoresAVersion() {
        String web01 = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1", "cpu", 2)).id();
        admin().patch("/servers/" + web01, Map.of("ipv4_private", "10.0.0.2", "cpu", 4));
        signInAsAdmin();
        open("/servers/" + web01 + "#p-history");
        var history = page.locator("#p-history");
        assertThat(history.locator("tbody tr")).hasCount(2);
        var latest = history.locator("tbody tr").first();
        assertThat(latest).containsText("ipv4_private: 10.0.0.1 → 10.0.0.2");
        assertThat(latest).containsText("cpu: 2 → 4");
        assertThat(latest).containsText("admin");
        assertThat(latest.locator("del")).hasCount(2);
        assertThat(latest.getByRole(AriaRole.BUTTON)).hasCount(0); // the current version needs no restore
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("history-tab");

        var first = history.locator("tbody tr").nth(1);
        first.getByRole(AriaRole.LINK).click();
        assertThat(page.locator(".history-banner")).isVisible();
        assertThat(page.locator("#p-general")).containsText("10.0.0.1");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("History")).click();
        page.locator("#p-history tbody tr").nth(1).getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions()
                .setName(java.util.regex.Pattern.compile("^Restore the version"))).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Restored the version of");
        Map<String, Object> now = admin().get("/servers/" + web01).body();
        assertThat(now).containsEntry("ipv4_private", "10.0.0.1").containsEntry("cpu", 2).containsEntry("version", 3);
        assertThat(page.locator("#p-history tbody tr")).hasCount(3);
        assertThat(page.locator("#p-history tbody tr").first()).containsText("admin");
    }

    @Test
    void aDeletedRecordIsFoundAsOfBeforeAndRestored() {
        String gone = admin().post("/servers", Map.of("hostname", "gone01", "role", "Cache")).id();
        String then = createdAt("servers", gone);
        assertThat(admin().delete("/servers/" + gone).status()).isEqualTo(204);
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signInAsAdmin();
        open("/servers?as_of=" + enc(then));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("gone01")).click();
        assertThat(page.locator(".history-banner")).isVisible();
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("dark-as-of-detail");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("History")).click();
        page.locator("#p-history tbody tr").last().getByRole(AriaRole.BUTTON).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Restored");
        assertThat(admin().get("/servers/" + gone).body()).containsEntry("hostname", "gone01").containsEntry("role", "Cache");
    }
}
