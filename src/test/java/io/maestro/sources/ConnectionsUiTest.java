package io.maestro.sources;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings › Connections in Chromium against a real moto: a connection is created through the
 * form (a refused endpoint first), tested and run; the run page follows the run live until it
 * ends; the discovered server's page shows its source, and a person's edit shows as drift that
 * "Use discovered value" hands back. What the pages did is checked through the API.
 */
class ConnectionsUiTest extends UiTest {
    private static final String SECRET = "ui-secret-access-key-0123456789";
    private static final String PASSWORD = "a-long-password-1";
    private static MotoServer moto;
    private String ops;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) moto.close();
    }

    @BeforeEach
    void freshAccountsAndCloud() throws Exception {
        moto.reset();
        onlyTheAdmin();
        assertThat(admin().post("/users", Map.of("username", "dora", "password", PASSWORD)).status()).isEqualTo(201);
        ops = dora().post("/teams", Map.of("name", "ops")).id();
        assertThat(dora().post("/datacenters", Map.of("name", "aws-ui", "team_id", ops, "regions", List.of("us-east-1"))).status()).isEqualTo(201);
    }

    Client dora() {
        return as("dora", PASSWORD);
    }

    @Test
    @SuppressWarnings("unchecked")
    void createTestRunFollowLiveAndHandDriftBack() {
        Ec2Client ec2 = moto.ec2("us-east-1");
        String instance = DiscoveryApiTest.launch(ec2, InstanceType.T3_MICRO, null, DiscoveryApiTest.tag("Name", "ui-web01"));

        signIn("dora", PASSWORD);
        page.locator("#nav").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Connections").setExact(true)).click();
        page.waitForLoadState();
        assertThat(page.content()).contains("Your teams have no connections yet");
        check("connections-empty");

        link("New connection").click();
        page.waitForLoadState();
        page.getByLabel("Name").fill("aws-ui");
        page.getByLabel("Datacenter").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("aws-ui"));
        page.getByLabel("Regions").fill("us-east-1");
        page.getByLabel("Access key id").fill("AKIAUITEST");
        page.getByLabel("Secret access key").fill(SECRET);
        page.getByLabel("Endpoint URL").fill("http://169.254.169.254/latest");
        button("Create connection").click();
        page.waitForLoadState();
        assertThat(page.content()).contains("MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS");
        assertThat(dora().get("/connections").items()).as("nothing stored after a refused form").isEmpty();
        check("connection-form-error");

        page.getByLabel("Secret access key").fill(SECRET); // never written back into the page
        page.getByLabel("Endpoint URL").fill(moto.url);
        button("Create connection").click();
        page.waitForLoadState();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("aws-ui")).isVisible()).isTrue();
        assertThat(page.content()).contains("Connection created").contains("stored encrypted").doesNotContain(SECRET);
        Map<String, Object> stored = dora().get("/connections").items().get(0);
        assertThat(stored).containsEntry("team_id", ops).containsEntry("regions", List.of("us-east-1")).containsEntry("resources", List.of("servers"));

        button("Test").click();
        page.waitForLoadState();
        assertThat(page.locator(".flash").textContent()).startsWith("Test passed");

        button("Run now").click();
        page.waitForLoadState();
        // the progress part polls itself: the page ends showing the finished run without a reload
        page.locator("#run-progress[data-status=succeeded]").waitFor(new Locator.WaitForOptions().setTimeout(180_000));
        assertThat(page.locator(".counts").textContent()).contains("Created1");
        check("connection-run");

        Map<String, Object> server = dora().get("/servers?datacenter.instance_id=" + instance).items().get(0);
        assertThat((Map<String, Object>) server.get("source")).containsEntry("type", "discovery").containsEntry("name", "aws-ui");
        open("/connections");
        assertThat(page.locator("table.grid").textContent()).contains("aws-ui").contains("succeeded");
        check("connections");

        // a person's edit is kept and shows as drift on the record page; the button hands it back
        assertThat(dora().patch("/servers/" + server.get("id"), Map.of("cpu", 16)).status()).isEqualTo(200);
        open("/servers/" + server.get("id"));
        Locator provenance = page.locator("section.provenance");
        assertThat(provenance.textContent()).contains("discovery").contains("aws-ui").contains(instance).contains("cpu").contains("16");
        check("server-drift");
        button("Use discovered value for cpu").click();
        page.waitForLoadState();
        assertThat(page.locator(".flash").textContent()).contains("discovered value of cpu");
        Map<String, Object> after = dora().get("/servers/" + server.get("id")).body();
        assertThat(after.get("cpu")).isEqualTo(server.get("cpu"));
        assertThat(after.get("drift")).isEqualTo(List.of());
        assertThat(page.content()).doesNotContain(SECRET);
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator link(String name) {
        return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private void check(String name) {
        assertThat(accessibilityViolations()).as(name).isEmpty();
        screenshots(name);
        assertThat(narrowScrollWidth).as(name + " width at " + NARROW + " px").isLessThanOrEqualTo(NARROW);
        assertThat(consoleErrors).as(name + " console").isEmpty();
    }
}
