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

/** The server form with its Storage, Datacenter, Auth and Services tabs, as the user guide walks through it. */
class ServerUiTest extends UiTest {

    private Locator input(String name) {
        return page.locator("[name=\"" + name + "\"]");
    }

    private void click(String buttonText) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(buttonText).setExact(true)).click();
    }

    @Test
    void createsEditsAndDeletesAServerThroughItsForm() {
        String dc = admin().post("/datacenters", Map.of("name", "aws-east", "provider", "AWS", "regions", List.of("us-east-1"),
                "zones", List.of(Map.of("name", "us-east-1a", "region", "us-east-1")))).id();
        signInAsAdmin();
        open("/servers");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New server")).click();
        page.getByLabel("Hostname").fill("web01");
        page.getByLabel("Private IPv4").fill("10.0.0.11");
        page.getByLabel("Environment").selectOption("Production");
        page.getByLabel("OS", new Page.GetByLabelOptions().setExact(true)).selectOption("Linux");
        page.getByLabel("CPU (cores)").fill("4");
        page.getByLabel("Memory (GB)").fill("15.5");
        // Storage: two rows added without a reload, the first removed again
        click("Add storage");
        click("Add storage");
        input("storage[0].mount").fill("/tmp");
        page.locator("#f-storage tbody [data-remove-row]").first().click();
        input("storage[1].mount").fill("/");
        input("storage[1].size_gb").fill("40");
        input("storage[1].root").check();
        // Datacenter: picked by typing
        page.locator("#f-datacenter-id").fill("aws");
        page.locator(".pick-option", new Page.LocatorOptions().setHasText("aws-east")).click();
        // the datacenter's regions and zones are offered
        assertThat(page.locator("#dl-f-datacenter-region option[value='us-east-1']")).hasCount(1);
        assertThat(page.locator("#dl-f-datacenter-zone option[value='us-east-1a']")).hasCount(1);
        page.getByLabel("Region").fill("us-east-1");
        page.getByLabel("Instance ID").fill("i-0abc");
        // Auth with a write-only secret
        click("Add auth");
        input("auth[0].name").fill("ops key");
        input("auth[0].type").selectOption("PKI");
        input("auth[0].username").fill("ubuntu");
        input("auth[0].secret").fill("s3cret-key");
        click("Add service");
        input("services[0].name").fill("Nginx");
        input("services[0].version").fill("1.24");
        input("services[0].status").selectOption("Active");
        click("Create server");

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("web01").setLevel(1))).isVisible();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Server created.");
        String id = currentId();
        Map<String, Object> stored = admin().get("/servers/" + id).body();
        assertThat(stored).containsEntry("ipv4_private", "10.0.0.11").containsEntry("environment", "Production")
                .containsEntry("cpu", 4).containsEntry("memory", 15.5);
        assertThat((Map<String, Object>) stored.get("os")).containsEntry("base", "Linux");
        assertThat((List<Map<String, Object>>) stored.get("storage")).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("mount", "/").containsEntry("size_gb", 40.0).containsEntry("root", true));
        assertThat((Map<String, Object>) stored.get("datacenter")).containsEntry("id", dc).containsEntry("instance_id", "i-0abc");
        assertThat((List<Map<String, Object>>) stored.get("auth")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("name", "ops key").containsEntry("has_secret", true));
        assertThat((List<Map<String, Object>>) stored.get("services")).singleElement()
                .satisfies(s -> assertThat(s).containsEntry("name", "Nginx").containsEntry("version", "1.24"));

        // the tabs of the detail page
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Storage")).click();
        assertThat(page.locator("#p-storage")).containsText("/");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Datacenter")).click();
        assertThat(page.locator("#p-datacenter").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("aws-east"))).isVisible();
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Auth")).click();
        assertThat(page.locator("#p-auth")).containsText("set");
        assertThat(page.content()).doesNotContain("s3cret-key");

        // edit: the secret is not echoed, a blank secret keeps it
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        assertThat(input("auth[0].secret")).hasValue("");
        assertThat(page.content()).doesNotContain("s3cret-key");
        page.getByLabel("Private IPv4").fill("10.0.0.12");
        click("Save");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("Server saved.");
        stored = admin().get("/servers/" + id).body();
        assertThat(stored).containsEntry("ipv4_private", "10.0.0.12").containsEntry("version", 2);
        assertThat((List<Map<String, Object>>) stored.get("auth")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("has_secret", true));
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("History")).click();
        assertThat(page.locator("#p-history")).containsText("ipv4_private: 10.0.0.11 → 10.0.0.12");
        assertThat(page.locator("#p-history tbody tr")).hasCount(2);
        assertThat(page.locator("#p-history")).not().containsText("s3cret-key");

        // delete, after a confirmation page
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText("Delete server web01?");
        click("Delete");
        assertThat(page).hasURL(base() + "/servers");
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("deleted");
        assertThat(admin().get("/servers/" + id).status()).isEqualTo(404);
    }

    @Test
    void duplicateHostnameIsSavedWithANoticeLinkingTheOtherServer() {
        String first = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1")).id();
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("WEB01");
        page.getByLabel("Private IPv4").fill("10.0.0.1");
        click("Create server");
        Locator notice = page.locator(".alert.warning");
        assertThat(notice).containsText("same hostname");
        assertThat(notice).containsText("same private ipv4");
        notice.getByRole(AriaRole.LINK).first().click();
        assertThat(page).hasURL(base() + "/servers/" + first);
        assertThat(admin().get("/servers?size=10").body().get("total")).isEqualTo(2);
    }

    @Test
    void repeatedInstanceIdLinksTheExistingServer() {
        String dc = admin().post("/datacenters", Map.of("name", "aws-east", "provider", "AWS")).id();
        String existing = admin().post("/servers", Map.of("hostname", "web01", "datacenter", Map.of("id", dc, "instance_id", "i-1"))).id();
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("web02");
        page.locator("#f-datacenter-id").fill("aws");
        page.locator(".pick-option", new Page.LocatorOptions().setHasText("aws-east")).click();
        page.getByLabel("Instance ID").fill("i-1");
        click("Create server");
        Locator alert = page.getByRole(AriaRole.ALERT);
        assertThat(alert).containsText("already has this instance_id");
        assertThat(page.locator("#f-datacenter-instance_id")).hasValue("i-1");
        alert.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("open the existing server")).click();
        assertThat(page).hasURL(base() + "/servers/" + existing);
        assertThat(admin().get("/servers?hostname=web02").body().get("total")).isEqualTo(0);
    }

    @Test
    void invalidInputIsShownByEachFieldWithWhatWasTyped() {
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("bad_host!");
        page.getByLabel("Private IPv4").fill("999.1.1.1");
        page.getByLabel("CPU (cores)").fill("four");
        click("Add storage");
        input("storage[0].mount").fill("/data");
        input("storage[0].size_gb").fill("lots");
        click("Create server");

        Locator summary = page.getByRole(AriaRole.ALERT);
        assertThat(summary).containsText("Nothing was saved");
        assertThat(summary).containsText("Private IPv4");
        assertThat(summary).containsText("Storage 1 › Size (GB)");
        assertThat(page.locator("[data-field='ipv4_private'] .error")).containsText("must be a valid IPv4 address");
        assertThat(page.locator("[data-field='hostname'] .error")).containsText("valid hostname");
        assertThat(page.locator("[data-field='cpu'] .error")).containsText("integer");
        assertThat(page.locator("[data-field='storage[0].size_gb'] .error")).containsText("number");
        assertThat(page.getByLabel("Private IPv4")).hasAttribute("aria-invalid", "true");
        screenshots("server-form-errors");
        // what was typed is still there
        assertThat(page.getByLabel("Hostname")).hasValue("bad_host!");
        assertThat(page.getByLabel("Private IPv4")).hasValue("999.1.1.1");
        assertThat(page.getByLabel("CPU (cores)")).hasValue("four");
        assertThat(input("storage[0].mount")).hasValue("/data");
        assertThat(input("storage[0].size_gb")).hasValue("lots");
        // the summary links to the field
        summary.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Private IPv4")).click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile("#f-ipv4_private$"));
        assertThat(admin().get("/servers").body().get("total")).isEqualTo(0);

        // fixing it saves
        page.getByLabel("Hostname").fill("good-host");
        page.getByLabel("Private IPv4").fill("10.1.1.1");
        page.getByLabel("CPU (cores)").fill("2");
        input("storage[0].size_gb").fill("100");
        click("Create server");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("good-host").setLevel(1))).isVisible();
    }

    @Test
    void markupTypedIntoTextFieldsIsShownAsTextAndNeverRun() {
        String evil = "<script>window.pwned=1</script><b>bold</b><img src=x onerror=\"window.pwned=2\">";
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("web01");
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(evil);
        page.getByLabel("Description").fill(evil);
        click("Add tag");
        input("tags[0].key").fill("note");
        input("tags[0].value").fill(evil);
        click("Create server");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(evil);
        assertThat(page.locator("main b")).hasCount(0);
        assertThat(page.locator("main img")).hasCount(0);
        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        open("/servers");
        assertThat(page.locator("main b")).hasCount(0);
        open("/search?q=web01");
        assertThat(page.locator("main b")).hasCount(0);
        // offered by a picker and chosen: still text
        open("/applications/new");
        page.locator("#f-server_ids").fill("web01");
        assertThat(page.locator("#f-server_ids-list .pick-option")).containsText("<b>bold</b>");
        page.locator("#f-server_ids-list .pick-option").first().click();
        assertThat(page.locator("#f-server_ids-chips .chip")).containsText("<script>");
        assertThat(page.locator("main b")).hasCount(0);
        assertThat(page.locator("main img")).hasCount(0);
        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void tamperedIdsAreReportedAndNothingIsStored() {
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("web01");
        // a hidden datacenter id that names nothing, as a tampered form would send
        page.evaluate("() => { const i = document.createElement('input'); i.type = 'hidden'; i.name = 'datacenter.id';"
                + " i.value = '00000000-0000-0000-0000-000000000001'; document.querySelector('.record-form').appendChild(i); }");
        click("Create server");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("no datacenter with id 00000000-0000-0000-0000-000000000001");
        assertThat(admin().get("/servers").body().get("total")).isEqualTo(0);
    }

    @Test
    void emptyRequiredFieldsAndOverLongTextAreRefused() {
        signInAsAdmin();
        open("/servers/new");
        click("Create server");
        assertThat(page.locator("[data-field='hostname'] .error")).containsText("is required");
        // the browser stops typing at the limit; a tampered form is still checked by the server
        page.getByLabel("Hostname").fill("web01");
        page.evaluate("() => document.getElementById('f-os-dist').removeAttribute('maxlength')");
        page.locator("#f-os-dist").fill("x".repeat(65));
        click("Create server");
        assertThat(page.locator("[data-field='os.dist'] .error")).containsText("at most 64 characters");
        assertThat(admin().get("/servers").body().get("total")).isEqualTo(0);
    }

    @Test
    void aSaveOverSomeoneElsesChangeIsRefused() {
        String id = admin().post("/servers", Map.of("hostname", "web01")).id();
        signInAsAdmin();
        open("/servers/" + id + "/edit");
        admin().patch("/servers/" + id, Map.of("ipv4_private", "10.0.0.99")); // someone else, meanwhile
        page.getByLabel("Private IPv4").fill("10.0.0.1");
        click("Save");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("changed since you read it");
        assertThat(page.getByLabel("Private IPv4")).hasValue("10.0.0.1");
        assertThat(admin().get("/servers/" + id).body()).containsEntry("ipv4_private", "10.0.0.99");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Open the current version")).click();
        assertThat(page.getByLabel("Private IPv4")).hasValue("10.0.0.99");
    }
}
