package io.maestro.integrations;

import io.maestro.core.Json;
import io.maestro.support.SqlStatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus HTTP service discovery: its JSON, labels, auth, ETag, constant statements, and the real Prometheus reading it. */
class PrometheusSdApiTest extends IntegrationTest {
    String web01;

    @BeforeEach
    void inventory() {
        String dc = create(admin(), "datacenters", Map.of("name", "aws-prod", "regions", List.of("eu-west-1")));
        web01 = create(admin(), "servers", Map.of("hostname", "web01.example.com", "ipv4_private", "127.0.0.5", "ipv4_public", "203.0.113.5",
                "environment", "Production", "role", "Application", "os", Map.of("base", "Linux"),
                "datacenter", Map.of("id", dc, "region", "eu-west-1", "zone", "eu-west-1a"),
                "tags", List.of(Map.of("key", "rack", "value", "r1"), Map.of("key", "cost-center", "value", "42"))));
        String sys = create(admin(), "systems", Map.of("name", "Payments"));
        create(admin(), "applications", Map.of("name", "billing", "server_ids", List.of(web01), "system_ids", List.of(sys)));
        create(admin(), "applications", Map.of("name", "api", "server_ids", List.of(web01), "system_ids", List.of(sys)));
        create(admin(), "servers", Map.of("hostname", "no-address.example.com", "environment", "Production"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void targetGroupsWithLabels() {
        Response r = admin().get("/integrations/prometheus?port=9100");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) r.json();
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("targets")).isEqualTo(List.of("127.0.0.5:9100"));
        assertThat((Map<String, Object>) groups.get(0).get("labels")).containsEntry("__meta_maestro_id", web01)
                .containsEntry("__meta_maestro_hostname", "web01.example.com").containsEntry("__meta_maestro_environment", "Production")
                .containsEntry("__meta_maestro_role", "Application").containsEntry("__meta_maestro_os_base", "Linux")
                .containsEntry("__meta_maestro_team", "default").containsEntry("__meta_maestro_datacenter", "aws-prod")
                .containsEntry("__meta_maestro_region", "eu-west-1").containsEntry("__meta_maestro_zone", "eu-west-1a")
                .containsEntry("__meta_maestro_tag_rack", "r1").containsEntry("__meta_maestro_tag_cost_center", "42")
                .containsEntry("__meta_maestro_applications", ",api,billing,").containsEntry("__meta_maestro_systems", ",Payments,");
        List<Map<String, Object>> pub = (List<Map<String, Object>>) admin().get("/integrations/prometheus?address=public&port=443&role=Application").json();
        assertThat(pub).hasSize(1);
        assertThat(pub.get(0).get("targets")).isEqualTo(List.of("203.0.113.5:443"));
        assertThat((List<?>) admin().get("/integrations/prometheus?role=Cache").json()).isEmpty();
    }

    @Test
    void badInputAndAuth() {
        problem(admin().get("/integrations/prometheus?port=0"), 400, "port");
        problem(admin().get("/integrations/prometheus?port=65536"), 400, "port");
        problem(admin().get("/integrations/prometheus?port=http"), 400, "port");
        problem(admin().get("/integrations/prometheus?address=both"), 400, "address");
        problem(admin().get("/integrations/prometheus?colour=blue"), 400, "colour");
        problem(anonymous().get("/integrations/prometheus"), 401, null);
        problem(bearer("not-a-token").get("/integrations/prometheus"), 401, null);
        assertThat(bearer(token("admin", "read")).get("/integrations/prometheus").status()).isEqualTo(200);
        user("carol");
        team("team-c", "carol");
        assertThat(login("carol").get("/integrations/prometheus").text()).isEqualTo("[]");
    }

    @Test
    void etagAnswers304UntilSomethingChanges() {
        Response first = admin().get("/integrations/prometheus");
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        Response same = admin().get("/integrations/prometheus", "If-None-Match", etag);
        assertThat(same.status()).isEqualTo(304);
        assertThat(admin().get("/integrations/prometheus?port=9200", "If-None-Match", etag).status()).as("another port").isEqualTo(200);
        String app = create(admin(), "applications", Map.of("name", "worker", "server_ids", List.of(web01)));
        Response changed = admin().get("/integrations/prometheus", "If-None-Match", etag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text()).contains(",api,billing,worker,");
        assertThat(admin().delete("/applications/" + app).status()).isEqualTo(204);
        assertThat(admin().get("/integrations/prometheus", "If-None-Match", changed.header("ETag")).status()).isEqualTo(200);
    }

    @Test
    void constantStatementsWhateverTheServerCount() {
        admin().get("/integrations/prometheus");
        List<String> two = statements(() -> assertThat(admin().get("/integrations/prometheus").status()).isEqualTo(200));
        for (int i = 0; i < 40; i++) {
            create(admin(), "servers", Map.of("hostname", "n" + i + ".example.com", "ipv4_private", "10.9.0." + (i + 1),
                    "tags", List.of(Map.of("key", "k", "value", "v" + i))));
        }
        List<String> many = statements(() -> assertThat((List<?>) admin().get("/integrations/prometheus").json()).hasSize(41));
        // lookups (applications, systems, datacenters, teams) 1 + change stamp 1 + servers with tags and applications 1
        assertThat(two).as("statements for 2 servers").hasSize(3);
        assertThat(many).as("statements for 42 servers").hasSize(3);
        List<String> ansible = statements(() -> assertThat(admin().get("/integrations/ansible").status()).isEqualTo(200));
        assertThat(ansible).as("the Ansible inventory's statements").hasSize(3);
        List<String> notModified = statements(() -> assertThat(admin().get("/integrations/prometheus", "If-None-Match",
                admin().get("/integrations/prometheus").header("ETag")).status()).isEqualTo(304));
        assertThat(notModified).as("a 200 then a 304").hasSize(3 + 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void realPrometheusDiscoversTheServers() throws Exception {
        String token = token("admin", "read");
        int promPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            promPort = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("prometheus");
        String base = "http://127.0.0.1:" + port + "/api/v1/integrations/prometheus";
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1h
                  evaluation_interval: 1h
                scrape_configs:
                  - job_name: maestro-bearer
                    http_sd_configs:
                      - url: "%s?port=9100&environment=Production"
                        refresh_interval: 1s
                        authorization:
                          credentials: "%s"
                  - job_name: maestro-basic
                    http_sd_configs:
                      - url: "%s?port=9200"
                        refresh_interval: 1s
                        basic_auth:
                          username: admin
                          password: "%s"
                """.formatted(base, token, base, ADMIN_PASSWORD));
        Process prometheus = new ProcessBuilder(program("prometheus"), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI targets = URI.create("http://127.0.0.1:" + promPort + "/api/v1/targets?state=active");
            java.util.function.Supplier<List<Map<String, Object>>> active = () -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(targets).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) return List.of();
                    return (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) Json.parse(r.body())).get("data")).get("activeTargets");
                } catch (Exception e) {
                    return List.of(); // not up yet
                }
            };
            try {
                await(Duration.ofSeconds(90), "Prometheus to discover web01 through both jobs", () -> active.get().stream()
                        .filter(t -> "web01.example.com".equals(((Map<String, Object>) t.get("discoveredLabels")).get("__meta_maestro_hostname")))
                        .count() == 2);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + Files.readString(dir.resolve("prometheus.log")), e);
            }
            List<Map<String, Object>> found = active.get();
            Map<String, Object> bearer = found.stream().filter(t -> "maestro-bearer".equals(t.get("scrapePool"))).findFirst().orElseThrow();
            assertThat((Map<String, Object>) bearer.get("discoveredLabels")).containsEntry("__address__", "127.0.0.5:9100")
                    .containsEntry("__meta_maestro_id", web01).containsEntry("__meta_maestro_tag_rack", "r1")
                    .containsEntry("__meta_maestro_applications", ",api,billing,").containsEntry("__meta_maestro_datacenter", "aws-prod");
            Map<String, Object> basic = found.stream().filter(t -> "maestro-basic".equals(t.get("scrapePool"))).findFirst().orElseThrow();
            assertThat((Map<String, Object>) basic.get("discoveredLabels")).containsEntry("__address__", "127.0.0.5:9200");

            // a server added in Maestro appears at the next refresh; one of another environment only in the unfiltered job
            create(admin(), "servers", Map.of("hostname", "web02.example.com", "ipv4_private", "127.0.0.6", "environment", "Production"));
            create(admin(), "servers", Map.of("hostname", "stage01.example.com", "ipv4_private", "127.0.0.7", "environment", "Staging"));
            await(Duration.ofSeconds(60), "web02 and stage01 to appear", () -> {
                List<Map<String, Object>> now = active.get();
                return now.stream().filter(t -> "maestro-bearer".equals(t.get("scrapePool"))).count() == 2
                        && now.stream().filter(t -> "maestro-basic".equals(t.get("scrapePool"))).count() == 3;
            });
            assertThat(active.get().stream().filter(t -> "maestro-bearer".equals(t.get("scrapePool")))
                    .map(t -> ((Map<String, Object>) t.get("discoveredLabels")).get("__meta_maestro_hostname")))
                    .containsExactlyInAnyOrder("web01.example.com", "web02.example.com");
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The statements of requests, less the caller's lookup (remembered for a few seconds, so it depends on the time). */
    private static List<String> statements(Runnable request) {
        return SqlStatementCounter.record(request).stream().filter(sql -> !sql.contains("FROM app_user")).toList();
    }
}
