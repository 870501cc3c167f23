package io.maestro.core;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's reverse relations read the same every time: a load balancer that links a server as
 * a target and as its host lists both ways in one fixed order, however the rows were written.
 */
class ReferencedByOrderTest extends ApiTest {

    @SuppressWarnings("unchecked")
    @Test
    void viaIsListedInAFixedOrder() {
        String server = admin().post("/servers", Map.of("hostname", "web01")).id();
        String other = admin().post("/servers", Map.of("hostname", "web02")).id();
        String lb = admin().post("/loadbalancers", Map.of("name", "lb1", "service", "HAProxy",
                "target_ids", List.of(server, other), "server_ids", List.of(server))).id();
        for (int i = 0; i < 6; i++) {
            // rewriting the relations in alternating order moves their rows around
            List<String> targets = i % 2 == 0 ? List.of(other, server) : List.of(server, other);
            assertThat(admin().put("/loadbalancers/" + lb, Map.of("name", "lb1", "service", "HAProxy",
                    "target_ids", targets, "server_ids", List.of(server))).status()).isEqualTo(200);
            List<Map<String, Object>> lbs = (List<Map<String, Object>>) admin().get("/servers/" + server).body().get("loadbalancers");
            assertThat(lbs).singleElement().satisfies(l -> assertThat(l.get("via")).isEqualTo(List.of("server_ids", "target_ids")));
        }
    }
}
