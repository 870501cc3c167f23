package io.maestro.integrations;

import com.sun.net.httpserver.HttpServer;
import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Webhooks end to end: a real HTTP receiver on loopback checks what Maestro sends, when, and to whom. */
class WebhookApiTest extends IntegrationTest {
    static final String SECRET = "whsec-test-0123456789";
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** A request the receiver got. */
    record Received(Map<String, String> headers, byte[] raw, Map<String, Object> body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    HttpServer receiver;
    final List<Received> received = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger hangs = new AtomicInteger();
    final java.util.concurrent.CountDownLatch hanging = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    String url;

    @Autowired
    RecordService records;
    @Autowired
    Kinds kinds;
    @Autowired
    PlatformTransactionManager transactions;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/hook", exchange -> {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            @SuppressWarnings("unchecked") Map<String, Object> body = (Map<String, Object>) Json.parse(new String(raw, StandardCharsets.UTF_8));
            boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            synchronized (received) {
                received.add(new Received(headers, raw, body));
            }
            exchange.sendResponseHeaders(fail ? 500 : 204, -1);
            exchange.close();
        });
        receiver.createContext("/hang", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (hangs.getAndDecrement() > 0) {
                hanging.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] big = new byte[3 * 1024 * 1024];
            exchange.sendResponseHeaders(200, big.length);
            exchange.getResponseBody().write(big);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stopReceiver() {
        release.countDown();
        receiver.stop(0);
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    String webhook(Client as, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("name", "cmdb-events", "url", url, "secret", SECRET));
        body.putAll(extra);
        Response r = as.post("/webhooks", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    /** Sends a ping and waits until it arrived and no delivery is pending any more: all that was written before is in. */
    void barrier(Client as, String hook) {
        Response ping = as.post("/webhooks/" + hook + "/ping", null);
        assertThat(ping.status()).as(ping.toString()).isEqualTo(202);
        String id = (String) ping.body().get("delivery_id");
        await(PATIENCE, "the ping and every delivery before it", () -> received().stream().anyMatch(r -> id.equals(r.header("X-Maestro-Delivery")))
                && jdbc.queryForObject("SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'", Integer.class) == 0);
    }

    @Test
    void webhooksAreValidatedAndTheirSecretNeverShown() {
        Response created = admin().post("/webhooks", Map.of("name", "cmdb-events", "url", "https://hooks.example.com/maestro", "secret", SECRET,
                "collections", List.of("servers", "applications"), "actions", List.of("create", "update", "delete"), "enabled", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body()).containsEntry("has_secret", true).containsEntry("collections", List.of("servers", "applications"))
                .doesNotContainKey("secret");
        assertThat(created.text()).doesNotContain(SECRET);
        assertThat(jdbc.queryForObject("SELECT secret FROM webhook", String.class)).doesNotContain(SECRET).startsWith("v2:");
        String id = created.id();
        assertThat(admin().get("/webhooks/" + id).text()).doesNotContain(SECRET);
        assertThat(admin().get("/webhooks").body()).containsEntry("total", 1);
        Response patched = admin().patch("/webhooks/" + id, Map.of("enabled", false, "secret", "another-secret"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body()).containsEntry("enabled", false).containsEntry("has_secret", true).containsEntry("version", 2);
        assertThat(admin().patch("/webhooks/" + id, json("{\"secret\": null}")).body()).containsEntry("has_secret", false);

        problem(admin().post("/webhooks", Map.of("name", "x", "url", "ftp://hooks.example.com/x")), 400, "url");
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "")), 400, "url");
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "https://h.example/" + "a".repeat(10_000))), 400, "url");
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "javascript:alert(1)")), 400, "url");
        // what only the server can reach, unless the operator allows it (the tests allow http://127.0.0.1 only)
        for (String inside : List.of("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook", "http://192.168.0.1:8080/",
                "http://[::1]:9000/", "http://localhost:8080/hook", "https://127.0.0.1/hook", "http://127.0.0.2/hook")) {
            problem(admin().post("/webhooks", Map.of("name", "x", "url", inside)), 400, "url");
        }
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "https://h.example/", "secret", 42)), 400, "secret");
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "https://h.example/", "collections", List.of("servers", "nope"))), 400, "collections[1]");
        problem(admin().post("/webhooks", Map.of("name", "x", "url", "https://h.example/", "actions", List.of("explode"))), 400, "actions[0]");
        problem(admin().post("/webhooks", Map.of("url", "https://h.example/")), 400, "name");
        problem(admin().patch("/webhooks/" + id, Map.of("url", "file:///etc/passwd")), 400, "url");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook", Integer.class)).as("nothing of a rejected request stored").isEqualTo(1);
        assertThat(admin().get("/webhooks/" + id).body()).containsEntry("url", "https://hooks.example.com/maestro");

        // team-owned: members read, admins write, others see nothing
        user("mia");
        user("bob");
        String teamB = team("team-b", "bob");
        assertThat(admin().put("/teams/" + teamB + "/members/" + jdbc.queryForObject("SELECT id FROM app_user WHERE username = 'mia'", UUID.class),
                Map.of("role", "member")).status()).isEqualTo(200);
        String bobs = webhook(login("bob"), Map.of());
        assertThat(login("mia").get("/webhooks/" + bobs).status()).isEqualTo(200);
        problem(login("mia").patch("/webhooks/" + bobs, Map.of("enabled", false)), 403, null);
        problem(login("mia").post("/webhooks", Map.of("name", "x", "url", "https://h.example/", "team_id", teamB)), 403, null);
        problem(login("bob").get("/webhooks/" + id), 404, null);
        assertThat(login("bob").get("/webhooks").body()).containsEntry("total", 1);
        problem(bearer(token("bob", "read")).delete("/webhooks/" + bobs), 403, null);
        assertThat(login("bob").delete("/webhooks/" + bobs).status()).isEqualTo(204);
        problem(login("bob").get("/webhooks/" + bobs), 404, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyChangeOfEveryKindIsDeliveredSigned() throws Exception {
        String hook = webhook(admin(), Map.of());
        String dc = create(admin(), "datacenters", Map.of("name", "dc1"));
        String server = create(admin(), "servers", Map.of("hostname", "web01", "cpu", 4, "datacenter", Map.of("id", dc),
                "auth", List.of(Map.of("name", "root", "username", "root", "secret", "s3cret-never-sent"))));
        assertThat(admin().patch("/servers/" + server, Map.of("cpu", 8)).status()).isEqualTo(200);
        Map<String, Map<String, Object>> samples = Map.of(
                "applications", Map.of("name", "billing", "server_ids", List.of(server)),
                "databases", Map.of("name", "db", "engine", "PostgreSQL"),
                "loadbalancers", Map.of("name", "lb"),
                "systems", Map.of("name", "Payments"),
                "clients", Map.of("name", "ACME"));
        for (Map.Entry<String, Map<String, Object>> e : samples.entrySet()) {
            String id = create(admin(), e.getKey(), e.getValue());
            assertThat(admin().patch("/" + e.getKey() + "/" + id, Map.of("description", "changed")).status()).isEqualTo(200);
            assertThat(admin().delete("/" + e.getKey() + "/" + id).status()).isEqualTo(204);
        }
        assertThat(admin().delete("/servers/" + server + "?detach=true").status()).isEqualTo(204);
        barrier(admin(), hook);

        List<Received> all = received();
        for (Received r : all) {
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("X-Maestro-Delivery")).isEqualTo(r.body().get("delivery_id"));
            assertThat(r.header("X-Maestro-Event")).isEqualTo(r.body().get("event"));
            assertThat(r.header("X-Maestro-Signature")).isEqualTo("sha256=" + hmac(SECRET, r.raw()));
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).doesNotContain("s3cret-never-sent");
        }
        List<String> events = all.stream().map(r -> (String) r.body().get("event")).toList();
        assertThat(events).contains("datacenters.create", "servers.create", "servers.update", "servers.delete", "ping");
        for (String kind : samples.keySet()) assertThat(events).contains(kind + ".create", kind + ".update", kind + ".delete");
        Received update = all.stream().filter(r -> "servers.update".equals(r.body().get("event"))
                && ((List<?>) r.body().get("changes")).toString().contains("cpu")).findFirst().orElseThrow();
        assertThat(update.body()).containsEntry("collection", "servers").containsEntry("record_id", server).containsEntry("version", 2)
                .containsEntry("actor", "admin").containsKey("at");
        assertThat((List<Map<String, Object>>) update.body().get("changes")).contains(Map.of("field", "cpu", "old", 4, "new", 8));
        Map<String, Object> record = (Map<String, Object>) update.body().get("record");
        assertThat(record).containsEntry("id", server).containsEntry("cpu", 8);
        assertThat((List<Map<String, Object>>) record.get("auth")).allSatisfy(a -> assertThat(a).containsEntry("has_secret", true).doesNotContainKey("secret"));
        Received delete = all.stream().filter(r -> "servers.delete".equals(r.body().get("event"))).findFirst().orElseThrow();
        assertThat((Map<String, Object>) delete.body().get("record")).containsEntry("hostname", "web01");

        Response log = admin().get("/webhooks/" + hook + "/deliveries?size=1000");
        List<Map<String, Object>> items = log.items();
        assertThat(items).hasSize(all.size());
        assertThat(items).allSatisfy(d -> assertThat(d).containsEntry("status", "succeeded").containsEntry("attempts", 1)
                .containsEntry("last_status_code", 204).containsKeys("delivery_id", "record_id", "last_error", "next_attempt_at"));
    }

    @Test
    void aBulkOf1000RowsMakes1000Deliveries() {
        String hook = webhook(admin(), Map.of("collections", List.of("servers"), "actions", List.of("create")));
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 1000; i++) ndjson.append("{\"hostname\": \"bulk-").append(i).append("\"}\n");
        Response bulk = admin().send("POST", "/servers/bulk", ndjson.toString(), "application/x-ndjson");
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.body()).containsEntry("created", 1000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_delivery", Integer.class)).as("written with the bulk").isEqualTo(1000);
        await(Duration.ofSeconds(120), "1000 deliveries", () -> received().size() >= 1000);
        barrier(admin(), hook);
        assertThat(received().stream().filter(r -> "servers.create".equals(r.body().get("event"))).map(r -> r.body().get("record_id")).distinct())
                .hasSize(1000);
    }

    @Test
    void aRolledBackChangeSendsNothing() {
        String hook = webhook(admin(), Map.of());
        Caller admin = new Caller(jdbc.queryForObject("SELECT id FROM app_user WHERE username = 'admin'", UUID.class), "admin", true,
                List.of(), List.of(), jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", UUID.class), null, false);
        assertThatThrownBy(() -> new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            records.create(kinds.get("servers"), Map.of("hostname", "rolled-back"), admin);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_delivery", Integer.class)).as("in the transaction").isEqualTo(1);
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");
        problem(admin().post("/servers", Map.of("hostname", "bad host name!")), 400, "hostname");
        barrier(admin(), hook);
        assertThat(received()).extracting(r -> r.body().get("event")).containsExactly("ping");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_event", Integer.class)).isEqualTo(1);
    }

    @Test
    void aReceiverDownIsRetriedAndGetsEachRecordInOrder() {
        String hook = webhook(admin(), Map.of());
        failures.set(4);
        String server = create(admin(), "servers", Map.of("hostname", "ordered", "cpu", 1));
        for (int cpu = 2; cpu <= 4; cpu++) assertThat(admin().patch("/servers/" + server, Map.of("cpu", cpu)).status()).isEqualTo(200);
        await(PATIENCE, "four versions delivered", () -> admin().get("/webhooks/" + hook + "/deliveries").items().stream()
                .filter(d -> "succeeded".equals(d.get("status"))).count() == 4);
        List<Object> versions = received().stream().map(r -> r.body().get("version")).toList();
        assertThat(versions).as("every attempt, in order").isSorted().startsWith(1, 1, 1, 1, 1).endsWith(1, 2, 3, 4);
        Map<String, Object> first = admin().get("/webhooks/" + hook + "/deliveries").items().get(3);
        assertThat(first).containsEntry("status", "succeeded").containsEntry("attempts", 5);
    }

    @Test
    void afterTheRetryPeriodADeliveryFailsAndCanBeRedelivered() {
        String hook = webhook(admin(), Map.of());
        failures.set(1_000_000);
        create(admin(), "servers", Map.of("hostname", "gives-up"));
        await(PATIENCE, "a failed attempt", () -> !received().isEmpty());
        // as if the change were two days old: the next failed attempt is the last
        jdbc.update("UPDATE webhook_delivery SET created_at = created_at - INTERVAL '2' DAY");
        await(PATIENCE, "the delivery to fail", () -> "failed".equals(admin().get("/webhooks/" + hook + "/deliveries").items().get(0).get("status")));
        Map<String, Object> failed = admin().get("/webhooks/" + hook + "/deliveries").items().get(0);
        assertThat(failed).containsEntry("last_status_code", 500).containsEntry("last_error", "answered 500").containsEntry("next_attempt_at", null);
        failures.set(0);
        Response again = admin().post("/webhooks/" + hook + "/deliveries/" + failed.get("delivery_id") + "/redeliver", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.body().get("delivery_id")).isNotEqualTo(failed.get("delivery_id"));
        await(PATIENCE, "the redelivery", () -> admin().get("/webhooks/" + hook + "/deliveries").items().stream()
                .anyMatch(d -> d.get("delivery_id").equals(again.body().get("delivery_id")) && "succeeded".equals(d.get("status"))));
        problem(admin().post("/webhooks/" + hook + "/deliveries/" + UUID.randomUUID() + "/redeliver", null), 404, null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWebhookHearsOnlyWhatItsTeamMayRead() {
        user("bob");
        String teamB = team("team-b", "bob");
        String bobs = webhook(login("bob"), Map.of("collections", List.of("servers")));
        String dc = create(admin(), "datacenters", Map.of("name", "private-dc"));
        String hidden = create(admin(), "servers", Map.of("hostname", "not-for-b", "datacenter", Map.of("id", dc)));
        create(login("bob"), "servers", Map.of("hostname", "b-own"));
        Response share = admin().put("/servers/" + hidden + "/access", List.of(Map.of("team_id", teamB, "level", "read")));
        assertThat(share.status()).as(share.toString()).isEqualTo(200);
        assertThat(admin().patch("/servers/" + hidden, Map.of("hostname", "shared-with-b")).status()).isEqualTo(200);
        barrier(login("bob"), bobs);
        List<Received> got = received().stream().filter(r -> !"ping".equals(r.body().get("event"))).toList();
        // two records: each one's deliveries keep their order, the two records' may arrive either way
        assertThat(got).extracting(r -> r.body().get("event")).containsExactlyInAnyOrder("servers.create", "servers.update");
        Received update = got.stream().filter(r -> "servers.update".equals(r.body().get("event"))).findFirst().orElseThrow();
        Map<String, Object> sharedRecord = (Map<String, Object>) update.body().get("record");
        assertThat(sharedRecord).containsEntry("hostname", "shared-with-b");
        assertThat(new String(update.raw(), StandardCharsets.UTF_8)).as("the datacenter of team default stays hidden").doesNotContain(dc);
    }

    @Test
    void aHangingReceiverHoldsUpNoOtherWebhook() throws Exception {
        hangs.set(1);
        String slow = webhook(admin(), Map.of("name", "slow", "url", url.replace("/hook", "/hang")));
        webhook(admin(), Map.of("name", "healthy"));
        create(admin(), "servers", Map.of("hostname", "first"));
        assertThat(hanging.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the slow receiver got its request").isTrue();
        create(admin(), "servers", Map.of("hostname", "second"));
        await(PATIENCE, "the healthy webhook's deliveries while the other hangs", () -> received().size() == 2);
        assertThat(hanging.getCount()).isZero();
        // the hanging attempt times out (3 s in tests) and is retried; the 3 MB answer then counts as success
        await(PATIENCE, "the slow webhook to catch up", () -> admin().get("/webhooks/" + slow + "/deliveries").items().stream()
                .filter(d -> "succeeded".equals(d.get("status"))).count() == 2);
        Map<String, Object> first = admin().get("/webhooks/" + slow + "/deliveries").items().get(1);
        assertThat(first).containsEntry("attempts", 2).containsEntry("last_status_code", 200);
    }

    static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
