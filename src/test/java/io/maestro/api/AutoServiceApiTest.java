package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.maestro.api.KindApiTest.json;
import static io.maestro.api.KindApiTest.list;
import static io.maestro.api.KindApiTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Automatic service relation": a database linked to servers puts its engine's catalog service on
 * each of them (origin auto); a load balancer its service on the servers it is installed on. They
 * follow the links and never touch a service a person added.
 */
class AutoServiceApiTest extends ApiTest {

    @Test
    void aDatabaseOnServersAddsItsEngineServiceToEach() {
        String s1 = server("ora01");
        String s2 = server("ora02");
        assertThat(admin().get("/services?name=Oracle Database".replace(" ", "%20")).body()).containsEntry("total", 0);

        String db = admin().post("/databases", json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"server_ids\": [\"%s\", \"%s\"]}", s1, s2)).id();

        String oracle = admin().get("/services?name=Oracle%20Database").items().get(0).get("id").toString();
        for (String s : List.of(s1, s2)) {
            assertThat(services(s)).containsExactly(json("""
                    {"service_id": "%s", "name": "Oracle Database", "version": null, "status": "Active", "origin": "auto", "source_id": "%s"}""",
                    oracle, db));
            assertThat(admin().get("/servers/" + s).body().get("version")).isEqualTo(2);
        }

        // unlinking a server removes its entry only
        admin().patch("/databases/" + db, json("{\"server_ids\": [\"%s\"]}", s1));
        assertThat(serviceNames(s1)).containsExactly("Oracle Database auto");
        assertThat(serviceNames(s2)).isEmpty();

        // another engine: the entry follows
        admin().patch("/databases/" + db, json("{\"engine\": \"MySQL\"}"));
        assertThat(serviceNames(s1)).containsExactly("MySQL auto");

        // deleting the database removes it
        assertThat(admin().delete("/databases/" + db).status()).isEqualTo(204);
        assertThat(serviceNames(s1)).isEmpty();
        // the catalog entries stay
        assertThat(admin().get("/services").items()).extracting(i -> i.get("name")).containsExactly("MySQL", "Oracle Database");
    }

    @Test
    void aServiceAPersonAddedIsNeverRemoved() {
        String s1 = admin().post("/servers", json("""
                {"hostname": "ora01", "services": [{"name": "Oracle Database", "version": "19c", "status": "Active"}]}""")).id();
        String db = admin().post("/databases", json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"server_ids\": [\"%s\"]}", s1)).id();
        assertThat(serviceNames(s1)).containsExactly("Oracle Database manual", "Oracle Database auto");

        admin().patch("/databases/" + db, json("{\"server_ids\": []}"));
        assertThat(serviceNames(s1)).containsExactly("Oracle Database manual");

        admin().patch("/databases/" + db, json("{\"server_ids\": [\"%s\"]}", s1));
        assertThat(serviceNames(s1)).containsExactly("Oracle Database manual", "Oracle Database auto");
        admin().delete("/databases/" + db);
        assertThat(services(s1)).singleElement().satisfies(e -> assertThat(map(e))
                .containsEntry("origin", "manual").containsEntry("version", "19c"));
    }

    @Test
    void editingTheServerKeepsAutomaticEntriesWithoutCopyingThem() {
        String s1 = server("ora01");
        admin().post("/databases", json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"server_ids\": [\"%s\"]}", s1));

        // GET-edit-PUT sends the auto entry back: it stays automatic, nothing is duplicated
        Map<String, Object> read = admin().get("/servers/" + s1).body();
        read.put("cpu", 4);
        assertThat(admin().put("/servers/" + s1, read).status()).isEqualTo(200);
        assertThat(serviceNames(s1)).containsExactly("Oracle Database auto");

        // a PUT without services replaces the hand-made ones only
        assertThat(admin().put("/servers/" + s1, json("{\"hostname\": \"ora01\", \"services\": [{\"name\": \"Nginx\"}]}")).status())
                .isEqualTo(200);
        assertThat(serviceNames(s1)).containsExactly("Nginx manual", "Oracle Database auto");
        assertThat(admin().put("/servers/" + s1, json("{\"hostname\": \"ora01\"}")).status()).isEqualTo(200);
        assertThat(serviceNames(s1)).containsExactly("Oracle Database auto");
        assertThat(admin().patch("/servers/" + s1, json("{\"cpu\": 8}")).status()).isEqualTo(200);
        assertThat(serviceNames(s1)).containsExactly("Oracle Database auto");
    }

    @Test
    void theEngineOtherNamesNoServiceSoNothingIsPutOnTheServers() {
        String s1 = server("db01");
        String db = admin().post("/databases", json("{\"name\": \"legacy\", \"engine\": \"Other\", \"server_ids\": [\"%s\"]}", s1)).id();
        assertThat(serviceNames(s1)).isEmpty();
        assertThat(admin().get("/services").body()).containsEntry("total", 0);
        // an engine with a service, then back to Other: the entry goes
        admin().patch("/databases/" + db, json("{\"engine\": \"Cassandra\"}"));
        assertThat(serviceNames(s1)).containsExactly("Cassandra auto");
        admin().patch("/databases/" + db, json("{\"engine\": \"other\"}"));
        assertThat(serviceNames(s1)).isEmpty();
    }

    @Test
    void aDatabaseOnNoServerLeavesTheServiceCatalogAlone() {
        String db = admin().post("/databases", json("{\"name\": \"cache\", \"engine\": \"Redis\"}")).id();
        admin().patch("/databases/" + db, json("{\"engine\": \"Memcached\"}"));
        assertThat(admin().get("/services").body()).containsEntry("total", 0);
        String s1 = server("cache01");
        admin().patch("/databases/" + db, json("{\"server_ids\": [\"%s\"]}", s1));
        assertThat(admin().get("/services").items()).extracting(i -> i.get("name")).containsExactly("Memcached");
    }

    @Test
    void twoDatabasesOfOneEngineOnOneServerEachHaveTheirEntry() {
        String s1 = server("db01");
        String a = admin().post("/databases", json("{\"name\": \"a\", \"engine\": \"PostgreSQL\", \"server_ids\": [\"%s\"]}", s1)).id();
        admin().post("/databases", json("{\"name\": \"b\", \"engine\": \"postgres\", \"server_ids\": [\"%s\"]}", s1));
        assertThat(serviceNames(s1)).containsExactly("PostgreSQL auto", "PostgreSQL auto");
        admin().delete("/databases/" + a);
        assertThat(serviceNames(s1)).containsExactly("PostgreSQL auto");
    }

    @Test
    void aLoadBalancerPutsItsServiceOnTheServersItIsInstalledOn() {
        String host = server("lb01");
        String host2 = server("lb02");
        String target = server("web01");
        String lb = admin().post("/loadbalancers", json("""
                {"name": "edge", "service": "HAProxy", "server_ids": ["%s", "%s"], "target_ids": ["%s"]}""", host, host2, target)).id();
        assertThat(serviceNames(host)).containsExactly("HAProxy auto");
        assertThat(serviceNames(host2)).containsExactly("HAProxy auto");
        assertThat(serviceNames(target)).isEmpty();

        admin().patch("/loadbalancers/" + lb, json("{\"server_ids\": [\"%s\"]}", host));
        assertThat(serviceNames(host2)).isEmpty();

        admin().patch("/loadbalancers/" + lb, json("{\"service\": \"Nginx\"}"));
        assertThat(serviceNames(host)).containsExactly("Nginx auto");

        admin().patch("/loadbalancers/" + lb, json("{\"service\": null}"));
        assertThat(serviceNames(host)).isEmpty();

        admin().patch("/loadbalancers/" + lb, json("{\"service\": \"HAProxy\"}"));
        assertThat(serviceNames(host)).containsExactly("HAProxy auto");
        assertThat(admin().delete("/loadbalancers/" + lb).status()).isEqualTo(204);
        assertThat(serviceNames(host)).isEmpty();
    }

    @Test
    void deletingAServerRemovesItFromTheDatabasesOnIt() {
        String s1 = server("ora01");
        String s2 = server("ora02");
        String db = admin().post("/databases", json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"server_ids\": [\"%s\", \"%s\"]}", s1, s2)).id();
        assertThat(admin().delete("/servers/" + s1).status()).isEqualTo(204);
        Map<String, Object> read = admin().get("/databases/" + db).body();
        assertThat(list(read.get("server_ids"))).containsExactly(s2);
        assertThat(read.get("version")).isEqualTo(2);
        assertThat(serviceNames(s2)).containsExactly("Oracle Database auto");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM server_service", Long.class)).isEqualTo(1);
        // the database can still be edited
        assertThat(admin().patch("/databases/" + db, json("{\"description\": \"x\"}")).status()).isEqualTo(200);
        assertThat(serviceNames(s2)).containsExactly("Oracle Database auto");
    }

    private String server(String hostname) {
        return admin().post("/servers", json("{\"hostname\": \"%s\"}", hostname)).id();
    }

    private List<Object> services(String server) {
        return list(admin().get("/servers/" + server).body().get("services"));
    }

    private List<String> serviceNames(String server) {
        return services(server).stream().map(e -> map(e).get("name") + " " + map(e).get("origin")).toList();
    }
}
