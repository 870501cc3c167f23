package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Warnings while typing: leaving a field of the server or application form shows what saving would say, before saving. */
class FieldChecksUiTest extends UiTest {

    private long servers() {
        return ((Number) admin().get("/servers?size=1").body().get("total")).longValue();
    }

    @Test
    void leavingHostnameIpOrInstanceIdShowsTheConflictsBeforeSaving() {
        String dc = admin().post("/datacenters", Map.of("name", "aws-east", "provider", "AWS")).id();
        String web01 = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1",
                "datacenter", Map.of("id", dc, "instance_id", "i-1"))).id();
        signInAsAdmin();
        open("/servers/new");
        page.getByLabel("Hostname").fill("WEB01");
        page.getByLabel("Hostname").press("Tab");
        Locator hostNote = page.locator(".field:has([name=hostname]) .field-note");
        assertThat(hostNote).containsText("same hostname");
        assertThat(hostNote.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("web01"))).hasAttribute("href", "/servers/" + web01);
        assertThat(page.getByLabel("Hostname")).hasAttribute("aria-describedby", java.util.regex.Pattern.compile("note-f-hostname"));

        page.getByLabel("Private IPv4").fill("10.0.0.1");
        page.getByLabel("Private IPv4").press("Tab");
        assertThat(page.locator(".field:has([name=ipv4_private]) .field-note")).containsText("same private ipv4");

        page.locator("#f-datacenter-id").fill("aws");
        page.locator(".pick-option", new Page.LocatorOptions().setHasText("aws-east")).click();
        page.getByLabel("Instance ID").fill("i-1");
        page.getByLabel("Instance ID").press("Tab");
        Locator instanceNote = page.locator(".field:has([name='datacenter.instance_id']) .field-note.conflict");
        assertThat(instanceNote).containsText("saving will be refused");
        assertThat(instanceNote.getByRole(AriaRole.LINK)).hasAttribute("href", "/servers/" + web01);
        assertThat(hostNote).containsText("same hostname"); // the warnings stay beside the conflict
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("field-checks");
        assertThat(servers()).as("checks store nothing").isEqualTo(1);

        // another instance id: the conflict goes, the warnings stay; saving works as the contract says
        page.getByLabel("Instance ID").fill("i-2");
        page.getByLabel("Instance ID").press("Tab");
        assertThat(instanceNote).hasCount(0);
        assertThat(hostNote).containsText("same hostname");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create server")).click();
        assertThat(page.locator(".alert.warning")).containsText("same hostname");
        assertThat(servers()).isEqualTo(2);

        // on the edit form, the record itself is no conflict
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        page.getByLabel("Hostname").fill("web99");
        page.getByLabel("Hostname").press("Tab");
        page.getByLabel("Instance ID").fill("i-2");
        page.getByLabel("Instance ID").press("Tab");
        page.getByLabel("Hostname").fill("web01");
        page.getByLabel("Hostname").press("Tab");
        assertThat(hostNote).containsText("same hostname");
        assertThat(page.locator(".field-note.conflict")).hasCount(0);
    }

    @Test
    void anApplicationNameAlreadyUsedInTheTeamIsSaidOnLeavingTheField() {
        String shop = admin().post("/applications", Map.of("name", "shop")).id();
        signInAsAdmin();
        open("/applications/new");
        page.locator("#f-name").fill("shop");
        page.locator("#f-name").press("Tab");
        Locator note = page.locator(".field:has([name=name]) .field-note");
        assertThat(note).containsText("same name");
        assertThat(note.getByRole(AriaRole.LINK)).hasAttribute("href", "/applications/" + shop);
        page.locator("#f-name").fill("shop-2");
        page.locator("#f-name").press("Tab");
        assertThat(note).hasCount(0);
        assertThat(((Number) admin().get("/applications?size=1").body().get("total")).longValue()).isEqualTo(1);
    }
}
