package io.maestro.sources;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File imports end to end through HTTP (sources.md, File imports): a Terraform state with every
 * mapped type (modules, count, for_each, data sources, a bad value, an unknown type), a dry run that
 * stores nothing and its plan applied, a re-import that changes nothing, a person's edit kept as
 * drift, facts of this very host from the real {@code ansible -m setup}, and files refused whole.
 */
class ImportApiTest extends ApiTest {
    private static final String PASSWORD = "a-long-password-1";
    private String ops;
    private String datacenter;

    @BeforeEach
    void freshAccounts() {
        onlyTheAdmin();
        jdbc.update("DELETE FROM source_import");
        for (String user : List.of("ivy", "olga")) {
            assertThat(admin().post("/users", Map.of("username", user, "password", PASSWORD)).status()).isEqualTo(201);
        }
        ops = ivy().post("/teams", Map.of("name", "imp")).id();
        assertThat(olga().post("/teams", Map.of("name", "imp-others")).status()).isEqualTo(201);
        datacenter = ivy().post("/datacenters", Map.of("name", "tf-dc", "team_id", ops)).id();
    }

    Client ivy() {
        return as("ivy", PASSWORD);
    }

    Client olga() {
        return as("olga", PASSWORD);
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ImportApiTest.class.getResourceAsStream("/imports/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Posts a file and waits (bounded) until the import ends. */
    private Map<String, Object> importFile(String query, byte[] file) {
        Response started = ivy().post("/imports?" + query, file);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.header("Location")).isEqualTo("/api/v1/imports/" + started.id());
        return await(started.id());
    }

    private Map<String, Object> await(String id) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            Response r = ivy().get("/imports/" + id);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String status = (String) r.body().get("status");
            if (!status.equals("queued") && !status.equals("running")) return r.body();
            assertThat(Instant.now()).as("import still " + status + ": " + r).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private long versions() {
        return Stream.of("server", "database_instance", "load_balancer")
                .mapToLong(t -> jdbc.queryForObject("SELECT COUNT(*) FROM " + t + "_version", Long.class)).sum();
    }

    private Map<String, Object> server(String name) {
        Response r = ivy().get("/servers?size=100");
        List<Map<String, Object>> items = r.items().stream().filter(i -> name.equals(i.get("name"))).toList();
        assertThat(items).as(name + " in " + r).hasSize(1);
        return items.get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void terraformDryRunPlanApplyReimportAndDrift() throws Exception {
        byte[] state = resource("estate.tfstate");
        long before = versions();
        Map<String, Object> dry = importFile("format=terraform&name=estate&dry_run=true&team_id=" + ops + "&datacenter_id=" + datacenter, state);
        assertThat(dry.get("status")).as(dry.toString()).isEqualTo("succeeded");
        assertThat(versions()).as("a dry run stores nothing").isEqualTo(before);
        assertThat(ivy().get("/servers").items()).isEmpty();
        List<Map<String, Object>> plan = (List<Map<String, Object>>) dry.get("plan");
        assertThat(plan).extracting(e -> e.get("collection") + " " + e.get("action") + " " + e.get("key")).containsExactlyInAnyOrder(
                "servers create i-0aaa000000000000a", "servers create i-0aaa000000000000b", "servers create 4410001",
                "servers create 7c0a1d2e-0000-4000-8000-000000000001", "servers create os-5b1d7c1e", "servers create 381234567",
                "databases create db-ABCDEFGHIJKLMNOP", "loadbalancers create arn:aws:elasticloadbalancing:eu-west-1:123:loadbalancer/app/front/1");
        assertThat((Map<String, Object>) dry.get("counts")).containsEntry("skipped", 1).containsEntry("created", 8);
        assertThat((List<Map<String, Object>>) dry.get("problems")).anySatisfy(p ->
                assertThat(p).containsEntry("resource", "i-0aaa000000000000b").containsEntry("field", "ipv4_private"));
        assertThat((List<Map<String, Object>>) dry.get("problems")).as("targets the plan creates are not missing")
                .noneSatisfy(p -> assertThat(p).containsEntry("field", "target_ids"));
        Response page = ivy().get("/imports/" + dry.get("id") + "?plan_action=create&plan_size=3");
        assertThat((List<?>) page.body().get("plan")).hasSize(3);
        assertThat(page.body().get("next")).isEqualTo("/api/v1/imports/" + dry.get("id") + "?plan_offset=3&plan_size=3&plan_action=create");

        // apply stores exactly the plan
        Response applied = ivy().post("/imports/" + dry.get("id") + "/apply", null);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(202);
        Map<String, Object> done = await((String) dry.get("id"));
        assertThat(done.get("status")).as(done.toString()).isEqualTo("succeeded");
        assertThat((Map<String, Object>) done.get("counts")).containsEntry("created", 8).containsEntry("failed", 0);
        assertThat(ivy().post("/imports/" + dry.get("id") + "/apply", null).status()).as("a plan applies once").isEqualTo(409);

        Map<String, Object> web = server("tf-web01");
        assertThat(web).containsEntry("hostname", "tf-web01").containsEntry("ipv4_private", "10.0.1.10").containsEntry("ipv4_public", "54.1.2.3")
                .containsEntry("cpu", 4).containsEntry("environment", "Production").containsEntry("role", "Proxy").containsEntry("external_id", "i-0aaa000000000000a");
        assertThat(((Number) web.get("memory")).doubleValue()).isEqualTo(16.0);
        assertThat((Map<String, Object>) web.get("source")).containsEntry("type", "import").containsEntry("name", "estate")
                .containsEntry("address", "module.web.aws_instance.web[0]");
        assertThat((Map<String, Object>) web.get("datacenter")).containsEntry("id", datacenter).containsEntry("instance_id", "i-0aaa000000000000a")
                .containsEntry("region", "eu-west-1").containsEntry("zone", "eu-west-1a");
        assertThat((List<Map<String, Object>>) web.get("storage")).extracting(s -> s.get("name") + " " + s.get("size_gb") + " " + s.get("root"))
                .containsExactly("/dev/xvda 20.0 true", "/dev/sdf 100.0 false");
        assertThat((List<Map<String, Object>>) web.get("tags")).extracting(t -> t.get("key") + "=" + t.get("value")).containsExactly("owner=payments");
        Map<String, Object> web2 = server("tf web 02");
        assertThat(web2).containsEntry("hostname", "ip-10-0-1-11.eu-west-1.compute.internal").containsEntry("ipv4_private", null).containsEntry("cpu", 2);
        assertThat(server("gce-batch")).containsEntry("cpu", 4).containsEntry("environment", "Staging").containsEntry("ipv4_private", "10.10.0.5");
        assertThat(((Map<String, Object>) server("gce-batch").get("source")).get("address")).isEqualTo("google_compute_instance.worker[\"batch\"]");
        assertThat(server("az-api")).containsEntry("cpu", 2).containsEntry("environment", "Development");
        assertThat((Map<String, Object>) server("az-api").get("os")).containsEntry("base", "Linux");
        assertThat(server("os-db01")).containsEntry("cpu", 4).containsEntry("ipv4_private", "192.168.5.20");
        assertThat(server("do-edge01")).containsEntry("cpu", 2).containsEntry("environment", "Production").containsEntry("ipv4_public", "164.90.1.2");
        Map<String, Object> db = ivy().get("/databases").items().get(0);
        assertThat(db).containsEntry("name", "orders-db").containsEntry("engine", "PostgreSQL").containsEntry("external_id", "db-ABCDEFGHIJKLMNOP");
        Map<String, Object> lb = ivy().get("/loadbalancers").items().get(0);
        assertThat(lb).containsEntry("name", "front").containsEntry("external_id", "arn:aws:elasticloadbalancing:eu-west-1:123:loadbalancer/app/front/1");
        assertThat(String.valueOf(lb.get("target_ids"))).contains((String) web.get("id")).contains((String) web2.get("id"));

        // the same file again changes nothing
        long applied1 = versions();
        Map<String, Object> again = importFile("format=terraform&name=estate&team_id=" + ops + "&datacenter_id=" + datacenter, state);
        assertThat(again.get("status")).isEqualTo("succeeded");
        assertThat((Map<String, Object>) again.get("counts")).containsEntry("unchanged", 8).containsEntry("created", 0).containsEntry("updated", 0);
        assertThat(versions()).isEqualTo(applied1);

        // a person's edit survives a re-import and shows as drift; the plan of a changed record is refused after it moved
        assertThat(ivy().patch("/servers/" + web.get("id"), Map.of("cpu", 32)).status()).isEqualTo(200);
        Map<String, Object> third = importFile("format=terraform&name=estate&team_id=" + ops + "&datacenter_id=" + datacenter, state);
        assertThat(third.get("status")).isEqualTo("succeeded");
        Map<String, Object> kept = ivy().get("/servers/" + web.get("id")).body();
        assertThat(kept).containsEntry("cpu", 32);
        assertThat((List<Map<String, Object>>) kept.get("drift")).containsExactly(Map.of("field", "cpu", "discovered", 4, "current", 32));
        Map<String, Object> stalePlan = importFile("format=terraform&name=estate&dry_run=true&team_id=" + ops + "&datacenter_id=" + datacenter, state);
        assertThat(ivy().patch("/servers/" + web2.get("id"), Map.of("description", "moved on")).status()).isEqualTo(200);
        Response refused = ivy().post("/imports/" + stalePlan.get("id") + "/apply", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.text()).contains((String) web2.get("id"));

        // another team sees neither the imports nor their records
        assertThat(olga().get("/imports").items()).isEmpty();
        assertThat(olga().get("/imports/" + dry.get("id")).status()).isEqualTo(404);
        assertThat(olga().get("/servers").items()).isEmpty();
        assertThat(jdbc.queryForList("SELECT DISTINCT actor FROM record_change WHERE kind = 'servers'", String.class)).contains("import (estate)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void ansibleFactsOfThisHostMatchByHostnameAndNeverGuess() throws Exception {
        Path tree = Files.createTempDirectory("facts");
        Process p = new ProcessBuilder("ansible", "localhost", "-c", "local", "-m", "setup", "--tree", tree.toString())
                .redirectErrorStream(true).redirectOutput(tree.resolve("ansible.log").toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("ansible setup finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(tree.resolve("ansible.log"))).isZero();
        byte[] facts = Files.readAllBytes(tree.resolve("localhost"));
        Map<String, Object> f = (Map<String, Object>) ((Map<String, Object>) io.maestro.core.Json.parse(facts)).get("ansible_facts");

        Map<String, Object> first = importFile("format=ansible&name=facts&team_id=" + ops, facts);
        assertThat(first.get("status")).as(first.toString()).isEqualTo("succeeded");
        assertThat((Map<String, Object>) first.get("counts")).containsEntry("created", 1);
        Map<String, Object> s = ivy().get("/servers").items().get(0);
        assertThat(s.get("cpu")).isEqualTo(f.get("ansible_processor_vcpus"));
        assertThat((Map<String, Object>) s.get("os")).containsEntry("base", "Linux").containsEntry("dist", f.get("ansible_distribution"));
        assertThat((List<Map<String, Object>>) s.get("storage")).anySatisfy(m -> assertThat(m).containsEntry("name", "/").containsEntry("root", true));

        // a second server with that hostname in the team: the facts match two records, a conflict, nothing guessed
        assertThat(ivy().post("/servers", Map.of("hostname", s.get("hostname"), "team_id", ops)).status()).isEqualTo(201);
        Map<String, Object> second = importFile("format=ansible&name=facts&dry_run=true&team_id=" + ops, facts);
        assertThat((Map<String, Object>) second.get("counts")).containsEntry("conflicts", 1);
        assertThat((List<Map<String, Object>>) second.get("plan")).extracting(e -> e.get("action")).containsExactly("conflict");
    }

    @Test
    void filesThatCannotBeReadAreRefusedWholeNamingTheField() {
        long before = jdbc.queryForObject("SELECT COUNT(*) FROM source_import", Long.class);
        long observations = jdbc.queryForObject("SELECT COUNT(*) FROM source_import_observation", Long.class);
        String q = "&team_id=" + ops;
        assertProblem(ivy().post("/imports?format=terraform" + q, "{\"version\": 3, \"resources\": []}"), 400, "version");
        assertProblem(ivy().post("/imports?format=terraform" + q, new byte[0]), 400, "body");
        assertProblem(ivy().post("/imports?format=terraform" + q, "{\"version\": 4, \"resources\": [".getBytes(StandardCharsets.UTF_8)), 400, "body");
        assertProblem(ivy().post("/imports?format=terraform" + q, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}), 400, "body");
        assertProblem(ivy().post("/imports?format=terraform" + q, "[1, 2]"), 400, "body");
        assertProblem(ivy().post("/imports?format=ansible" + q, "{\"web01\": {\"facts\": {}}}"), 400, "web01.ansible_facts");
        assertProblem(ivy().post("/imports?format=csv" + q, "{}"), 400, "format");
        assertProblem(ivy().post("/imports?format=terraform&dry_run=maybe" + q, "{\"version\": 4, \"resources\": []}"), 400, "dry_run");
        assertProblem(ivy().post("/imports?format=terraform&datacenter_id=nope" + q, "{\"version\": 4, \"resources\": []}"), 400, "datacenter_id");
        // read as it streams in: a refusal after instances were read still keeps nothing of the file
        String instance = "{\"mode\": \"managed\", \"type\": \"aws_instance\", \"name\": \"web\", \"instances\": [{\"attributes\":"
                + " {\"id\": \"i-0streamed\", \"instance_type\": \"t3.micro\"}}]}";
        assertProblem(ivy().post("/imports?format=terraform" + q, "{\"resources\": [" + instance + "], \"version\": 3}"), 400, "version");
        assertProblem(ivy().post("/imports?format=terraform" + q, "{\"version\": 4, \"resources\": [" + instance + ", 7]}"), 400, "resources[1]");
        assertProblem(ivy().post("/imports?format=terraform" + q, "{\"version\": 4}"), 400, "resources");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_import", Long.class)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_import_observation", Long.class)).isEqualTo(observations);
    }

    @Test
    void aStateIsReadInAnyFieldOrderAsTerraformOrAnotherToolWroteIt() throws Exception {
        // the version after the resources, a resource's instances before its type and name, unknown fields anywhere
        String state = """
                {"terraform_version": "1.6.0", "outputs": {"x": {"value": [1, {"y": 2}]}}, "resources": [
                  {"instances": [{"index_key": 0, "attributes": {"id": "i-0early", "instance_type": "t3.small", "tags": {"Name": "early-01"}}}],
                   "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]", "type": "aws_instance", "name": "early", "mode": "managed"},
                  {"mode": "data", "type": "aws_instance", "name": "elsewhere", "instances": [{"attributes": {"id": "i-0data"}}]},
                  {"mode": "managed", "type": "aws_s3_bucket", "name": "logs", "instances": [{"attributes": {"id": "logs"}}]}
                ], "version": 4, "lineage": "abc"}""";
        Map<String, Object> done = importFile("format=terraform&name=order&team_id=" + ops, state.getBytes(StandardCharsets.UTF_8));
        assertThat(done.get("status")).isEqualTo("succeeded");
        assertThat(jdbc.queryForList("SELECT hostname FROM server WHERE external_id = 'i-0early'", String.class)).containsExactly("early-01");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM server WHERE external_id = 'i-0data'", Long.class)).isZero();
        @SuppressWarnings("unchecked") Map<String, Object> counts = (Map<String, Object>) done.get("counts");
        assertThat(counts.get("skipped")).isEqualTo(1);
    }

    private static void assertProblem(Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.text()).contains("\"" + field + "\"");
    }
}
