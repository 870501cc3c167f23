package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings › Integrations: the snippets name this instance; a webhook is created, pinged and its delivery redelivered. */
class IntegrationsUiTest extends UiTest {

    @BeforeEach
    @org.junit.jupiter.api.AfterEach
    void noWebhooks() {
        jdbc.update("DELETE FROM webhook_delivery");
        jdbc.update("DELETE FROM webhook_event");
        jdbc.update("DELETE FROM webhook");
    }

    @Test
    void snippetsWebhookFormAndDeliveryLog() {
        signInAsAdmin();
        open("/");
        page.locator("#nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Integrations").setExact(true)).click();
        page.waitForLoadState();
        assertThat(page.locator("pre.snippet").first().textContent()).contains(base() + "/api/v1/integrations/prometheus?port=9100");
        assertThat(page.locator("pre.snippet").nth(1).textContent()).contains("MAESTRO_URL=" + base());
        check("integrations");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New webhook")).click();
        page.waitForLoadState();
        page.getByLabel("Name").fill("chat");
        page.getByLabel("URL").fill("ftp://nowhere.example");
        button("Create webhook").click();
        page.waitForLoadState();
        assertThat(page.content()).contains("must be an http or https URL");
        check("webhook-form-error");
        // the receiver is nobody: deliveries fail and are retried, which is what the log shows
        page.getByLabel("URL").fill("http://127.0.0.1:9/nobody");
        page.getByLabel("Secret").fill("s3cret-ui");
        page.getByLabel("Collections").fill("servers");
        button("Create webhook").click();
        page.waitForLoadState();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("chat")).isVisible()).isTrue();
        assertThat(page.content()).contains("Webhook created").doesNotContain("s3cret-ui");

        button("Ping").click();
        page.waitForLoadState();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!page.content().contains("Connect") && System.nanoTime() < deadline) {
            page.reload();
            page.waitForLoadState();
        }
        assertThat(page.locator("table.grid").textContent()).contains("ping").contains("pending");
        check("webhook-deliveries");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Redeliver ping").setExact(false)).first().click();
        page.waitForLoadState();
        assertThat(page.content()).contains("Redelivery queued");
        assertThat(page.locator("table.grid tbody tr").count()).isEqualTo(2);

        open("/integrations");
        assertThat(page.locator("table.grid").textContent()).contains("chat").contains("servers");
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private void check(String name) {
        assertThat(accessibilityViolations()).as(name).isEmpty();
        screenshots(name);
        assertThat(narrowScrollWidth).as(name + " width at " + NARROW + " px").isLessThanOrEqualTo(NARROW);
    }
}
