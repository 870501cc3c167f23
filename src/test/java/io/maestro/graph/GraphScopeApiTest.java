package io.maestro.graph;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph scopes before it limits: a datacenter with more hidden servers than the per-hop cap
 * (5,000) still shows the caller's own server, and {@code truncated} says only what the caller
 * could have seen was cut.
 */
class GraphScopeApiTest extends ApiTest {
    private static final String PASSWORD = "a-long-password-1";

    @BeforeEach
    void onlyAdmin() {
        jdbc.update("DELETE FROM api_token");
        jdbc.update("DELETE FROM team_member WHERE user_id IN (SELECT id FROM app_user WHERE username <> 'admin')"
                + " OR team_id IN (SELECT id FROM team WHERE name <> 'default')");
        jdbc.update("DELETE FROM app_user WHERE username <> 'admin'");
        jdbc.update("DELETE FROM team WHERE name <> 'default'");
    }

    private Client user(String name) {
        assertThat(admin().post("/users", Map.of("username", name, "password", PASSWORD, "email", name + "@example.com")).status()).isEqualTo(201);
        Client c = as(name, PASSWORD);
        assertThat(c.post("/teams", Map.of("name", name + "-team")).status()).isEqualTo(201);
        return c;
    }

    @Test
    void aReadableNeighbourIsNotLostBehindHiddenOnes() {
        Client alice = user("gs-alice");
        Client olga = user("gs-olga");
        String dc = alice.post("/datacenters", Map.of("name", "gs-dc")).id();
        String olgaId = (String) olga.get("/me").body().get("id");
        assertThat(alice.put("/datacenters/" + dc + "/access", List.of(Map.of("user_id", olgaId, "level", "read"))).status()).isEqualTo(200);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 5001; i++) {
            rows.append("{\"hostname\":\"gs-hidden-").append(i).append("\",\"datacenter\":{\"id\":\"").append(dc).append("\"}}\n");
        }
        Response bulk = olga.send("POST", "/servers/bulk", rows.toString(), "application/x-ndjson");
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("created", 5001);
        String mine = alice.post("/servers", Map.of("hostname", "gs-mine", "datacenter", Map.of("id", dc))).id();

        Response g = alice.get("/datacenters/" + dc + "/graph?depth=1");
        assertThat(g.status()).as(g.toString()).isEqualTo(200);
        @SuppressWarnings("unchecked") List<Map<String, Object>> nodes = (List<Map<String, Object>>) g.body().get("nodes");
        assertThat(nodes).extracting(n -> n.get("id")).containsExactlyInAnyOrder(dc, mine);
        assertThat(g.body()).containsEntry("truncated", false);

        // who may read them all sees the cut said
        assertThat(admin().get("/datacenters/" + dc + "/graph?depth=1").body()).containsEntry("truncated", true);
    }
}
