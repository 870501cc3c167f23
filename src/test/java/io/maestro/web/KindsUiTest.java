package io.maestro.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Create, edit and delete a record of every kind through its pages, as a person would. */
class KindsUiTest extends UiTest {

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

    /**
     * The life of one record: "New …" from the list, fill, create (checked through the API),
     * rename through "Edit", then delete after the confirmation page.
     */
    private Map<String, Object> lifecycle(String collection, String label, String name, Runnable fill, Consumer<Map<String, Object>> check) {
        signInAsAdmin();
        open("/" + collection);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New " + label)).click();
        input("name").fill(name);
        fill.run();
        click("Create " + label);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(name);
        String id = currentId();
        Map<String, Object> created = admin().get("/" + collection + "/" + id).body();
        assertThat(created).containsEntry("name", name);
        check.accept(created);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        input("name").fill(name + " renamed");
        click("Save");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(name + " renamed");
        Map<String, Object> edited = admin().get("/" + collection + "/" + id).body();
        assertThat(edited).containsEntry("name", name + " renamed").containsEntry("version", 2);
        // everything else survived the round trip through the form unchanged
        check.accept(edited);

        open("/" + collection);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name + " renamed")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete")).click();
        click("Delete");
        assertThat(page).hasURL(base() + "/" + collection);
        assertThat(admin().get("/" + collection + "/" + id).status()).isEqualTo(404);
        return edited;
    }

    @Test
    void application() {
        String db = admin().post("/databases", Map.of("name", "orders", "engine", "PostgreSQL")).id();
        String system = admin().post("/systems", Map.of("name", "Webshop")).id();
        lifecycle("applications", "application", "shop-frontend", () -> {
            page.getByLabel("Environment").selectOption("Staging");
            page.getByLabel("Language").selectOption("Java");
            page.getByLabel("Cluster mode").selectOption("12 Factor");
            input("role.endpoint").fill("https://shop.example.com");
            input("role._json").fill("{\"port\": 8443}");
            pick("f-system_ids", "Web", "Webshop");
            click("Add deploy");
            input("deploy[0].type").selectOption("CI");
            input("deploy[0].provider").fill("GitLab");
            click("Add dependency");
            pick("f-dependencies-0-target_id", "ord", "orders");
            input("dependencies[0].protocol").selectOption("jdbc");
        }, a -> {
            assertThat(a).containsEntry("environment", "Staging").containsEntry("language", "Java").containsEntry("cluster", "12 Factor");
            assertThat((Map<String, Object>) a.get("role")).containsEntry("endpoint", "https://shop.example.com").containsEntry("port", 8443);
            assertThat((List<Object>) a.get("system_ids")).containsExactly(system);
            assertThat((List<Object>) a.get("deploy")).containsExactly(Map.of("type", "CI", "provider", "GitLab"));
            assertThat((List<Object>) a.get("dependencies")).containsExactly(Map.of("target_id", db, "protocol", "jdbc"));
        });
    }

    @Test
    void databaseRecord() {
        lifecycle("databases", "database", "reports", () -> {
            page.getByLabel("Engine").selectOption("PostgreSQL");
            page.getByLabel("Version", new Page.GetByLabelOptions().setExact(true)).fill("16");
            page.getByLabel("Category").selectOption("relational");
            input("spec.port").fill("5432");
            input("spec.endpoint").fill("reports.db.internal");
        }, d -> {
            assertThat(d).containsEntry("engine", "PostgreSQL").containsEntry("engine_version", "16").containsEntry("category", "relational");
            assertThat((Map<String, Object>) d.get("spec")).containsEntry("port", 5432).containsEntry("endpoint", "reports.db.internal");
        });
    }

    @Test
    void loadBalancer() {
        String web = admin().post("/servers", Map.of("hostname", "lb01")).id();
        lifecycle("loadbalancers", "load balancer", "edge", () -> {
            page.getByLabel("Service").fill("HAProxy");
            page.getByLabel("Environment").selectOption("Production");
            pick("f-server_ids", "lb0", "lb01");
            input("spec.health_check").fill("/health");
        }, lb -> {
            assertThat(lb).containsEntry("service", "HAProxy").containsEntry("environment", "Production");
            assertThat((List<Object>) lb.get("server_ids")).containsExactly(web);
            assertThat((Map<String, Object>) lb.get("spec")).containsEntry("health_check", "/health");
        });
    }

    @Test
    void datacenter() {
        lifecycle("datacenters", "datacenter", "aws-east", () -> {
            page.getByLabel("Provider").fill("AWS");
            click("Add region");
            input("regions[0]").fill("us-east-1");
            click("Add zone");
            input("zones[0].name").fill("us-east-1a");
            input("zones[0].region").fill("us-east-1");
        }, dc -> {
            assertThat(dc).containsEntry("provider", "AWS");
            assertThat((List<Object>) dc.get("regions")).containsExactly("us-east-1");
            assertThat((List<Object>) dc.get("zones")).containsExactly(Map.of("name", "us-east-1a", "region", "us-east-1"));
        });
    }

    @Test
    void system() {
        String client = admin().post("/clients", Map.of("name", "ACME")).id();
        String app = admin().post("/applications", Map.of("name", "checkout")).id();
        lifecycle("systems", "system", "Webshop", () -> {
            page.getByLabel("Description").fill("Everything that sells");
            page.getByLabel("Owner").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel("Team default"));
            click("Add link");
            input("links[0].name").fill("Runbook");
            input("links[0].url").fill("https://wiki.example.com/webshop");
            pick("f-client_ids", "AC", "ACME");
            pick("f-entry_application_ids", "check", "checkout");
        }, s -> {
            assertThat(s).containsEntry("description", "Everything that sells");
            assertThat(s.get("owner")).isNotNull();
            assertThat((List<Object>) s.get("links")).containsExactly(Map.of("name", "Runbook", "url", "https://wiki.example.com/webshop"));
            assertThat((List<Object>) s.get("client_ids")).containsExactly(client);
            assertThat((List<Object>) s.get("entry_application_ids")).containsExactly(app);
        });
    }

    @Test
    void client() {
        lifecycle("clients", "client", "ACME Retail", () -> {
            page.getByLabel("SLA").fill("99.9%");
            click("Add contact");
            input("contacts[0].channel").selectOption("Email");
            input("contacts[0].value").fill("ops@acme.example");
        }, c -> {
            assertThat(c).containsEntry("sla", "99.9%");
            assertThat((List<Object>) c.get("contacts")).containsExactly(Map.of("channel", "Email", "value", "ops@acme.example"));
        });
    }

    @Test
    void volume() {
        String server = admin().post("/servers", Map.of("hostname", "db01")).id();
        String dc = admin().post("/datacenters", Map.of("name", "aws-eu")).id();
        lifecycle("volumes", "volume", "db01-data", () -> {
            page.getByLabel("Size (GB)").fill("512");
            page.getByLabel("Type").selectOption("SSD");
            pick("f-server_id", "db0", "db01");
            pick("f-datacenter_id", "aws", "aws-eu");
        }, v -> {
            assertThat(v).containsEntry("size_gb", 512.0).containsEntry("type", "SSD")
                    .containsEntry("server_id", server).containsEntry("datacenter_id", dc);
        });
    }

    @Test
    void aServerPageListsTheVolumesThatReferToIt() {
        String server = admin().post("/servers", Map.of("hostname", "db01")).id();
        String vol = admin().post("/volumes", Map.of("name", "db01-data", "server_id", server)).id();
        signInAsAdmin();
        open("/servers/" + server);
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Applications & databases")).click();
        page.locator("#p-related").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("db01-data")).click();
        assertThat(page).hasURL(base() + "/volumes/" + vol);
    }

    @Test
    void service() {
        lifecycle("services", "service", "Redis Sentinel", () -> page.getByLabel("Category").fill("cache"),
                s -> assertThat(s).containsEntry("category", "cache"));
    }

    @Test
    void provider() {
        lifecycle("providers", "provider", "Hetzner", () -> {
            click("Add region");
            input("regions[0]").fill("fsn1");
        }, p -> assertThat((List<Object>) p.get("regions")).containsExactly("fsn1"));
    }

    @Test
    void aServiceStillUsedIsDeletedOnlyWhenAskedToDetach() {
        String server = admin().post("/servers", Map.of("hostname", "web01", "services", List.of(Map.of("name", "Nginx")))).id();
        String nginx = admin().get("/services?q=Nginx").items().get(0).get("id").toString();
        signInAsAdmin();
        open("/services/" + nginx + "/delete");
        click("Delete");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("still used");
        click("Detach and delete");
        assertThat(page).hasURL(base() + "/services");
        assertThat(admin().get("/services/" + nginx).status()).isEqualTo(404);
        assertThat((List<Object>) admin().get("/servers/" + server).body().get("services")).isEmpty();
    }
}
