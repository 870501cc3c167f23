package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.maestro.api.KindApiTest.ids;
import static io.maestro.api.KindApiTest.json;
import static io.maestro.api.KindApiTest.list;
import static io.maestro.api.KindApiTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/** "Deleting a record removes the relations that point at it; it never leaves dangling ids." */
class RelationCleanupApiTest extends ApiTest {

    @Test
    void deletingAnyLinkedRecordRemovesItFromEveryListThatNamedIt() {
        String client = post("/clients", "{\"name\": \"ACME\"}");
        String server = post("/servers", "{\"hostname\": \"web01\"}");
        String system = post("/systems", "{\"name\": \"shop\", \"client_ids\": [\"%s\"]}", client);
        String db = post("/databases", "{\"name\": \"shopdb\", \"engine\": \"Redis\", \"server_ids\": [\"%s\"], \"system_ids\": [\"%s\"]}",
                server, system);
        String lb = post("/loadbalancers", "{\"name\": \"edge\", \"target_ids\": [\"%s\"], \"system_ids\": [\"%s\"]}", server, system);
        String app = post("/applications", """
                {"name": "shop", "server_ids": ["%s"], "system_ids": ["%s"],
                 "dependencies": [{"target_id": "%s", "protocol": "tcp"}, {"target_id": "%s", "protocol": "http"}]}""",
                server, system, db, lb);
        admin().patch("/systems/" + system, json("{\"entry_application_ids\": [\"%s\"]}", app));
        admin().patch("/loadbalancers/" + lb, json("{\"target_ids\": [\"%s\", \"%s\"]}", server, app));

        // a dependency target
        delete("/databases/" + db);
        Map<String, Object> a = admin().get("/applications/" + app).body();
        assertThat(list(a.get("dependencies"))).containsExactly(json("{\"target_id\": \"%s\", \"protocol\": \"http\"}", lb));
        assertThat(ids(admin().get("/systems/" + system).body().get("databases"))).isEmpty();
        assertThat(ids(admin().get("/servers/" + server).body().get("databases"))).isEmpty();

        // a server
        delete("/servers/" + server);
        assertThat(list(admin().get("/applications/" + app).body().get("server_ids"))).isEmpty();
        assertThat(list(admin().get("/loadbalancers/" + lb).body().get("target_ids"))).containsExactly(app);

        // an application: entry of a system, target of a load balancer
        delete("/applications/" + app);
        assertThat(list(admin().get("/systems/" + system).body().get("entry_application_ids"))).isEmpty();
        assertThat(list(admin().get("/loadbalancers/" + lb).body().get("target_ids"))).isEmpty();

        // a client
        delete("/clients/" + client);
        assertThat(list(admin().get("/systems/" + system).body().get("client_ids"))).isEmpty();

        // a system
        delete("/systems/" + system);
        assertThat(list(admin().get("/loadbalancers/" + lb).body().get("system_ids"))).isEmpty();
        delete("/loadbalancers/" + lb);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relation", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_tag", Long.class)).isZero();
    }

    @Test
    void recordsThatLostALinkShowANewVersion() {
        String server = post("/servers", "{\"hostname\": \"web01\"}");
        String app = post("/applications", "{\"name\": \"shop\", \"server_ids\": [\"%s\"]}", server);
        delete("/servers/" + server);
        Response read = admin().get("/applications/" + app);
        assertThat(read.body().get("version")).isEqualTo(2);
        assertThat(read.header("ETag")).isEqualTo("\"2\"");
        // a client holding the old version must re-read
        assertThat(admin().patch("/applications/" + app, json("{\"language\": \"Go\"}"), "If-Match", "\"1\"").status()).isEqualTo(412);
    }

    @Test
    void aRecordLinkedTwiceToADeletedOneChangesOnce() {
        String server = post("/servers", "{\"hostname\": \"web01\"}");
        String lb = post("/loadbalancers", "{\"name\": \"edge\", \"target_ids\": [\"%s\"], \"server_ids\": [\"%s\"]}", server, server);
        assertThat(list(admin().get("/servers/" + server).body().get("loadbalancers")))
                .containsExactly(json("{\"id\": \"%s\", \"name\": \"edge\", \"via\": [\"server_ids\", \"target_ids\"]}", lb));
        delete("/servers/" + server);
        Map<String, Object> read = admin().get("/loadbalancers/" + lb).body();
        assertThat(list(read.get("target_ids"))).isEmpty();
        assertThat(list(read.get("server_ids"))).isEmpty();
        assertThat(read.get("version")).isEqualTo(2);
    }

    @Test
    void deletingARecordRemovesItsTags() {
        String server = post("/servers", "{\"hostname\": \"web01\", \"tags\": [{\"key\": \"env\", \"value\": \"x\"}]}");
        delete("/servers/" + server);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_tag", Long.class)).isZero();
        assertThat(admin().get("/servers?tag=env:x").body()).containsEntry("total", 0);
    }

    @Test
    void deleteHonoursIfMatch() {
        String server = post("/servers", "{\"hostname\": \"web01\"}");
        assertThat(admin().delete("/servers/" + server, "If-Match", "\"5\"").status()).isEqualTo(412);
        assertThat(admin().get("/servers/" + server).status()).isEqualTo(200);
        assertThat(admin().delete("/servers/" + server, "If-Match", "\"1\"").status()).isEqualTo(204);
    }

    @Test
    void reverseListsFollowRenames() {
        String server = post("/servers", "{\"hostname\": \"web01\"}");
        String app = post("/applications", "{\"name\": \"shop\", \"server_ids\": [\"%s\"]}", server);
        admin().patch("/applications/" + app, json("{\"name\": \"webshop\"}"));
        assertThat(map(list(admin().get("/servers/" + server).body().get("applications")).get(0))).containsEntry("name", "webshop");
    }

    private String post(String path, String body, Object... args) {
        Response r = admin().post(path, json(body, args));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    private void delete(String path) {
        Response r = admin().delete(path);
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
    }
}
