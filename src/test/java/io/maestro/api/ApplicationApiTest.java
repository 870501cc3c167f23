package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /applications: role, deploy, relations to systems and servers, dependencies with protocols, name warnings. */
class ApplicationApiTest extends KindApiTest {
    @Override
    String path() {
        return "/applications";
    }

    @Override
    List<String> contractFields() {
        return List.of("environment", "language", "cluster", "role", "system_ids", "server_ids", "deploy", "dependencies");
    }

    @Override
    List<String> reverseLists() {
        return List.of("applications", "loadbalancers", "systems");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"shop\"}");
    }

    @Override
    Map<String, Object> full() {
        String system = admin().post("/systems", json("{\"name\": \"commerce\"}")).id();
        String server = admin().post("/servers", json("{\"hostname\": \"app01\"}")).id();
        String other = admin().post("/applications", json("{\"name\": \"payments\"}")).id();
        String db = admin().post("/databases", json("{\"name\": \"shopdb\", \"engine\": \"PostgreSQL\"}")).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"edge\"}")).id();
        return json("""
                {"name": "storefront", "description": "the web shop", "environment": "Stage", "language": "node.js", "cluster": "12factor",
                 "role": {"endpoint": "https://shop.example.com", "commands": {"start": "npm start"}, "health_check": "/health", "port": 8080},
                 "system_ids": ["%s"], "server_ids": ["%s"],
                 "deploy": [{"type": "git", "provider": "GitHub", "notes": "main branch"}, {"type": "CD", "provider": "Argo"}],
                 "dependencies": [{"target_id": "%s", "protocol": "rest"}, {"target_id": "%s", "protocol": "JDBC"},
                                  {"target_id": "%s", "protocol": "http"}],
                 "tags": [{"key": "team", "value": "web"}]}
                """, system, server, other, db, lb);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> e = new LinkedHashMap<>(full);
        e.put("environment", "Staging");
        e.put("language", "JavaScript/Node.js");
        e.put("cluster", "12 Factor");
        e.put("deploy", List.of(json("{\"type\": \"Git\", \"provider\": \"GitHub\", \"notes\": \"main branch\"}"),
                json("{\"type\": \"CD\", \"provider\": \"Argo\"}")));
        List<Object> deps = list(full.get("dependencies")).stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>(map(d));
            m.put("protocol", m.get("protocol").toString().toLowerCase());
            return (Object) m;
        }).toList();
        e.put("dependencies", deps);
        return e;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"language\": \"Python\", \"server_ids\": []}");
    }

    @Test
    void relationsAreReadableFromTheOtherSide() {
        Map<String, Object> full = full();
        String id = admin().post("/applications", full).id();
        String system = (String) list(full.get("system_ids")).get(0);
        String server = (String) list(full.get("server_ids")).get(0);
        String db = (String) map(list(full.get("dependencies")).get(1)).get("target_id");
        String otherApp = (String) map(list(full.get("dependencies")).get(0)).get("target_id");

        Map<String, Object> sys = admin().get("/systems/" + system).body();
        assertThat(list(sys.get("applications"))).containsExactly(json("{\"id\": \"%s\", \"name\": \"storefront\", \"via\": [\"system_ids\"]}", id));
        assertThat(ids(admin().get("/servers/" + server).body().get("applications"))).containsExactly(id);
        assertThat(list(admin().get("/databases/" + db).body().get("applications")))
                .containsExactly(json("{\"id\": \"%s\", \"name\": \"storefront\", \"via\": [\"dependencies\"]}", id));
        assertThat(ids(admin().get("/applications/" + otherApp).body().get("applications"))).containsExactly(id);
    }

    @Test
    void sameNameInTheTeamIsSavedWithADuplicateNameWarning() {
        String first = admin().post("/applications", minimal()).id();
        Response second = admin().post("/applications", json("{\"name\": \"SHOP\"}"));
        assertThat(second.status()).isEqualTo(201);
        assertThat(ServerApiTest.warnings(second.body())).containsExactly("duplicate_name name [" + first + "]");
        Response other = admin().post("/applications", json("{\"name\": \"shop2\"}"));
        assertThat(other.body()).doesNotContainKey("warnings");
        Response renamed = admin().put("/applications/" + other.id(), json("{\"name\": \"Shop\"}"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(ServerApiTest.warnings(renamed.body())).singleElement().asString().startsWith("duplicate_name name");
        assertThat(ServerApiTest.conflicts(renamed.body(), "duplicate_name")).containsExactlyInAnyOrder(first, second.id());
    }
}
