package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /loadbalancers: service from the catalog, targets (servers or applications), the servers it runs on. */
class LoadBalancerApiTest extends KindApiTest {
    @Override
    String path() {
        return "/loadbalancers";
    }

    @Override
    List<String> contractFields() {
        return List.of("service", "target_ids", "server_ids", "spec", "environment", "system_ids");
    }

    @Override
    List<String> reverseLists() {
        return List.of("applications");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"edge\"}");
    }

    @Override
    Map<String, Object> full() {
        String target = admin().post("/servers", json("{\"hostname\": \"web01\"}")).id();
        String app = admin().post("/applications", json("{\"name\": \"shop\"}")).id();
        String host = admin().post("/servers", json("{\"hostname\": \"lb01\"}")).id();
        String system = admin().post("/systems", json("{\"name\": \"commerce\"}")).id();
        return json("""
                {"name": "front", "description": "public entry", "service": "HAProxy",
                 "target_ids": ["%s", "%s"], "server_ids": ["%s"],
                 "spec": {"endpoint": "https://shop.example.com", "health_check": "/ping"},
                 "environment": "Production", "system_ids": ["%s"], "tags": [{"key": "public", "value": null}]}
                """, target, app, host, system);
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"environment\": \"Sandbox\", \"target_ids\": []}");
    }

    @Test
    void serviceIsACatalogNameInTheCatalogSpelling() {
        admin().post("/services", json("{\"name\": \"Nginx\", \"category\": \"web\"}"));
        Response r = admin().post("/loadbalancers", json("{\"name\": \"lb\", \"service\": \"NGINX\"}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body()).containsEntry("service", "Nginx");
        admin().post("/loadbalancers", json("{\"name\": \"lb2\", \"service\": \"F5 BIG-IP\"}"));
        assertThat(admin().get("/services").items()).extracting(i -> i.get("name")).containsExactly("F5 BIG-IP", "Nginx");
    }

    @Test
    void targetsAndHostsListTheLoadBalancer() {
        Map<String, Object> full = full();
        String id = admin().post("/loadbalancers", full).id();
        String target = (String) list(full.get("target_ids")).get(0);
        String app = (String) list(full.get("target_ids")).get(1);
        String host = (String) list(full.get("server_ids")).get(0);
        assertThat(list(admin().get("/servers/" + target).body().get("loadbalancers")))
                .containsExactly(json("{\"id\": \"%s\", \"name\": \"front\", \"via\": [\"target_ids\"]}", id));
        assertThat(list(admin().get("/servers/" + host).body().get("loadbalancers")))
                .containsExactly(json("{\"id\": \"%s\", \"name\": \"front\", \"via\": [\"server_ids\"]}", id));
        assertThat(ids(admin().get("/applications/" + app).body().get("loadbalancers"))).containsExactly(id);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("target_ids", full.get("target_ids"));
        assertFields(admin().get("/loadbalancers/" + id).body(), expected);
    }
}
