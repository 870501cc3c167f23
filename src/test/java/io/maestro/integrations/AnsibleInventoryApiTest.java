package io.maestro.integrations;

import io.maestro.core.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Ansible inventory as the real ansible-inventory and ansible read it, and its JSON, groups, filters and bad input. */
class AnsibleInventoryApiTest extends IntegrationTest {
    static final Path SCRIPT = Path.of("contrib/ansible/maestro_inventory.py").toAbsolutePath();

    String web01;
    String web01Twin;
    String teamB;

    @BeforeEach
    void inventory() {
        user("bob");
        teamB = team("team-b", "bob");
        String dc = create(admin(), "datacenters", Map.of("name", "aws-prod", "regions", List.of("eu-west-1"),
                "zones", List.of(Map.of("name", "eu-west-1a", "region", "eu-west-1"))));
        web01 = create(admin(), "servers", Map.of("hostname", "web01.example.com", "ipv4_private", "10.0.0.5", "ipv4_public", "203.0.113.5",
                "environment", "Production", "role", "Application", "os", Map.of("base", "Linux", "dist", "Ubuntu", "version", "22.04"),
                "datacenter", Map.of("id", dc, "region", "eu-west-1", "zone", "eu-west-1a"), "tags", List.of(Map.of("key", "rack", "value", "r1"))));
        web01Twin = create(admin(), "servers", Map.of("hostname", "WEB01.example.com", "environment", "Staging"));
        String system = create(admin(), "systems", Map.of("name", "Payments"));
        create(admin(), "applications", Map.of("name", "billing", "server_ids", List.of(web01), "system_ids", List.of(system)));
        create(login("bob"), "servers", Map.of("hostname", "db01.b.example", "ipv4_private", "10.1.0.9", "environment", "Production"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void inventoryJsonGroupsAndHostvars() {
        Response r = admin().get("/integrations/ansible");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Object> inv = r.body();
        Map<String, Object> hostvars = (Map<String, Object>) ((Map<String, Object>) inv.get("_meta")).get("hostvars");
        String twin = "WEB01.example.com-" + web01Twin.substring(0, 8);
        assertThat(hostvars).containsOnlyKeys("web01.example.com", twin, "db01.b.example");
        Map<String, Object> web = (Map<String, Object>) hostvars.get("web01.example.com");
        assertThat(web).containsEntry("ansible_host", "10.0.0.5").containsEntry("maestro_id", web01)
                .containsEntry("maestro_environment", "Production").containsEntry("maestro_role", "Application")
                .containsEntry("maestro_os", Map.of("base", "Linux", "dist", "Ubuntu", "version", "22.04"))
                .containsEntry("maestro_datacenter", Map.of("name", "aws-prod", "region", "eu-west-1", "zone", "eu-west-1a"))
                .containsEntry("maestro_tags", Map.of("rack", "r1"))
                .containsEntry("maestro_applications", List.of("billing")).containsEntry("maestro_systems", List.of("Payments"));
        assertThat((Map<String, Object>) hostvars.get(twin)).doesNotContainKey("ansible_host");
        assertThat(inv.get("environment_production")).isEqualTo(Map.of("hosts", List.of("web01.example.com", "db01.b.example")));
        assertThat(inv.get("environment_staging")).isEqualTo(Map.of("hosts", List.of(twin)));
        for (String g : List.of("role_application", "os_linux", "datacenter_aws_prod", "system_payments", "application_billing")) {
            assertThat(inv.get(g)).as(g).isEqualTo(Map.of("hosts", List.of("web01.example.com")));
        }
        assertThat(inv).doesNotContainKeys("tag_rack_r1", "region_eu_west_1");
        assertThat((List<String>) ((Map<String, Object>) inv.get("all")).get("children")).contains("ungrouped", "environment_production", "os_linux");

        Map<String, Object> tagged = admin().get("/integrations/ansible?group_by=tag,region,zone&address=public&environment=Production").body();
        assertThat(tagged.get("tag_rack_r1")).isEqualTo(Map.of("hosts", List.of("web01.example.com")));
        assertThat(tagged.get("region_eu_west_1")).isEqualTo(Map.of("hosts", List.of("web01.example.com")));
        assertThat(tagged.get("zone_eu_west_1a")).isEqualTo(Map.of("hosts", List.of("web01.example.com")));
        assertThat(tagged.get("ungrouped")).isEqualTo(Map.of("hosts", List.of("db01.b.example")));
        Map<String, Object> publicVars = (Map<String, Object>) ((Map<String, Object>) tagged.get("_meta")).get("hostvars");
        assertThat(publicVars).containsOnlyKeys("web01.example.com", "db01.b.example");
        assertThat((Map<String, Object>) publicVars.get("web01.example.com")).containsEntry("ansible_host", "203.0.113.5");
        assertThat((Map<String, Object>) publicVars.get("db01.b.example")).doesNotContainKey("ansible_host");
    }

    @Test
    void scopedToWhatTheCallerMayRead() {
        Map<String, Object> inv = bearer(token("bob", "read")).get("/integrations/ansible").body();
        assertThat(Json.write(inv)).doesNotContain("web01").doesNotContain("billing");
        assertThat(inv.get("environment_production")).isEqualTo(Map.of("hosts", List.of("db01.b.example")));
        assertThat(anonymous().get("/integrations/ansible").status()).isEqualTo(401);
    }

    @Test
    void badInputNamesTheField() {
        problem(admin().get("/integrations/ansible?group_by=colour"), 400, "group_by");
        problem(admin().get("/integrations/ansible?address=ipv6"), 400, "address");
        problem(admin().get("/integrations/ansible?flavour=x"), 400, "flavour");
        problem(admin().get("/integrations/ansible?environment=Nowhere"), 400, "environment");
        problem(admin().get("/integrations/ansible?page=2"), 400, "page");
    }

    @Test
    void etagAnswers304UntilSomethingChanges() {
        Response first = admin().get("/integrations/ansible");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        assertThat(admin().get("/integrations/ansible", "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(admin().patch("/servers/" + web01, Map.of("role", "Cache")).status()).isEqualTo(200);
        Response changed = admin().get("/integrations/ansible", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text()).contains("role_cache");
    }

    @Test
    @SuppressWarnings("unchecked")
    void realAnsibleReadsTheInventoryScript() throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).as(SCRIPT + " is executable").isTrue();
        Map<String, String> env = env(token("admin", "read"));
        Run list = run(env, Duration.ofSeconds(120), List.of(program("ansible-inventory"), "-i", SCRIPT.toString(), "--list"));
        assertThat(list.exit()).as(list.toString()).isZero();
        Map<String, Object> inv = (Map<String, Object>) Json.parse(list.out());
        Map<String, Object> hostvars = (Map<String, Object>) ((Map<String, Object>) inv.get("_meta")).get("hostvars");
        assertThat(hostvars).containsKeys("web01.example.com", "db01.b.example");
        assertThat((Map<String, Object>) hostvars.get("web01.example.com")).containsEntry("ansible_host", "10.0.0.5")
                .containsEntry("maestro_systems", List.of("Payments"));
        assertThat((List<String>) ((Map<String, Object>) inv.get("environment_production")).get("hosts"))
                .containsExactlyInAnyOrder("web01.example.com", "db01.b.example");

        Run graph = run(env, Duration.ofSeconds(120), List.of(program("ansible-inventory"), "-i", SCRIPT.toString(), "--graph"));
        assertThat(graph.exit()).as(graph.toString()).isZero();
        assertThat(graph.out()).contains("@application_billing:").contains("web01.example.com").contains("@environment_staging:");

        Run hosts = run(env, Duration.ofSeconds(120), List.of(program("ansible"), "-i", SCRIPT.toString(), "all", "--list-hosts"));
        assertThat(hosts.exit()).as(hosts.toString()).isZero();
        assertThat(hosts.out()).contains("hosts (3)").contains("web01.example.com").contains("db01.b.example")
                .contains("WEB01.example.com-" + web01Twin.substring(0, 8));

        // another team's read token: only its own server
        Run bob = run(env(token("bob", "read")), Duration.ofSeconds(120),
                List.of(program("ansible"), "-i", SCRIPT.toString(), "all", "--list-hosts"));
        assertThat(bob.exit()).as(bob.toString()).isZero();
        assertThat(bob.out()).contains("hosts (1)").contains("db01.b.example").doesNotContain("web01");
    }

    /** The script's environment, with Ansible's own files in a temporary home and inventory errors fatal. */
    private Map<String, String> env(String token) throws Exception {
        Path home = Files.createTempDirectory("ansible-home");
        return Map.of("MAESTRO_URL", "http://127.0.0.1:" + port, "MAESTRO_TOKEN", token, "HOME", home.toString(),
                "ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString(), "ANSIBLE_INVENTORY_UNPARSED_FAILED", "true",
                "ANSIBLE_INVENTORY_ENABLED", "script", "ANSIBLE_NOCOLOR", "1");
    }
}
