package io.maestro.integrations;

import com.sun.net.httpserver.HttpServer;
import io.maestro.core.Json;
import io.maestro.core.record.Visibility;
import io.maestro.integrations.webhook.DeliveryWorker;
import io.maestro.integrations.webhook.WebhookStore;
import io.maestro.integrations.webhook.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker side of webhooks: two workers on one database (two nodes) send each delivery once;
 * deliveries committed while no worker runs (a node killed right after the commit) are sent when
 * one starts again, in order.
 */
class WebhookWorkersApiTest extends IntegrationTest {
    HttpServer receiver;
    final List<Map<String, Object>> received = new ArrayList<>();
    String url;

    @Autowired
    WebhookStore store;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    Webhooks webhooks;
    @Autowired
    Visibility visibility;
    @Autowired
    DeliveryWorker worker;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.createContext("/hook", exchange -> {
            @SuppressWarnings("unchecked") Map<String, Object> body = (Map<String, Object>) Json.parse(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (received) {
                received.add(body);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
        worker.start(); // running again for the next test, whatever happened in this one
    }

    List<Map<String, Object>> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    int pending() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending'", Integer.class);
    }

    @Test
    void twoWorkersOnOneDatabaseSendEachDeliveryOnce() {
        assertThat(admin().post("/webhooks", Map.of("name", "w", "url", url)).status()).isEqualTo(201);
        DeliveryWorker second = new DeliveryWorker(store, transactions, webhooks, visibility, Duration.ofMillis(50),
                List.of(Duration.ofMillis(200)), Duration.ofHours(25), Duration.ofSeconds(3), 4, true);
        second.start();
        try {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 300; i++) ndjson.append("{\"hostname\": \"node-").append(i).append("\"}\n");
            assertThat(admin().send("POST", "/servers/bulk", ndjson.toString(), "application/x-ndjson").status()).isEqualTo(200);
            for (int round = 0; round < 3; round++) {
                String id = create(admin(), "servers", Map.of("hostname", "busy-" + round));
                for (int v = 0; v < 5; v++) admin().patch("/servers/" + id, Map.of("cpu", v + 1));
            }
            await(Duration.ofSeconds(120), "every delivery sent", () -> pending() == 0);
        } finally {
            second.destroy();
        }
        List<Map<String, Object>> got = received();
        assertThat(got).hasSize(300 + 3 * 6);
        assertThat(got.stream().map(b -> b.get("delivery_id")).distinct()).as("no delivery sent twice").hasSize(got.size());
        // each busy record's versions arrived in order, whichever worker sent them
        for (Object record : got.stream().filter(b -> "servers.update".equals(b.get("event"))).map(b -> b.get("record_id")).distinct().toList()) {
            assertThat(got.stream().filter(b -> record.equals(b.get("record_id"))).map(b -> ((Number) b.get("version")).intValue()).toList())
                    .containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    @Test
    void deliveriesCommittedWhileNoWorkerRunsAreSentWhenOneStarts() {
        assertThat(admin().post("/webhooks", Map.of("name", "w", "url", url)).status()).isEqualTo(201);
        worker.destroy(); // as if the node died right after its commits
        String id = create(admin(), "servers", Map.of("hostname", "survivor", "cpu", 1));
        for (int cpu = 2; cpu <= 4; cpu++) assertThat(admin().patch("/servers/" + id, Map.of("cpu", cpu)).status()).isEqualTo(200);
        assertThat(pending()).as("in the outbox, committed with the changes").isEqualTo(4);
        assertThat(received()).isEmpty();
        worker.start();
        await(Duration.ofSeconds(60), "the outbox to drain", () -> pending() == 0);
        assertThat(received()).extracting(b -> ((Number) b.get("version")).intValue()).containsExactly(1, 2, 3, 4);
    }
}
