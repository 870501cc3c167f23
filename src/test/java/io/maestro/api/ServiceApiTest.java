package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /services: the catalog; names unique case-insensitively, refused deletion while used. */
class ServiceApiTest extends KindApiTest {
    @Override
    String path() {
        return "/services";
    }

    @Override
    List<String> contractFields() {
        return List.of("category");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"Nginx\"}");
    }

    @Override
    Map<String, Object> full() {
        return json("{\"name\": \"Oracle Database\", \"category\": \"database\", \"description\": \"Oracle RDBMS\", "
                + "\"tags\": [{\"key\": \"vendor\", \"value\": \"Oracle\"}]}");
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"category\": \"rdbms\"}");
    }

    @Override
    boolean teamOwned() {
        return false;
    }

    @Test
    void namesAreUnique() {
        String nginx = admin().post("/services", minimal()).id();
        Response again = admin().post("/services", json("{\"name\": \"NGINX\"}"));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.body()).containsEntry("existing_id", nginx);
        String apache = admin().post("/services", json("{\"name\": \"Apache\"}")).id();
        Response rename = admin().patch("/services/" + apache, json("{\"name\": \"nginx\"}"));
        assertThat(rename.status()).isEqualTo(409);
        assertThat(rename.body()).containsEntry("existing_id", nginx);
        assertThat(admin().get("/services/" + apache).body()).containsEntry("name", "Apache");
    }

    @Test
    void aServiceInUseIsOnlyDeletedWithDetach() {
        String nginx = admin().post("/services", minimal()).id();
        String server = admin().post("/servers", json("{\"hostname\": \"web01\", \"services\": [{\"name\": \"nginx\"}]}")).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"edge\", \"service\": \"Nginx\"}")).id();

        Response refused = admin().delete("/services/" + nginx);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(admin().get("/services/" + nginx).status()).isEqualTo(200);

        assertThat(admin().delete("/services/" + nginx + "?detach=true").status()).isEqualTo(204);
        assertThat(admin().get("/services/" + nginx).status()).isEqualTo(404);
        assertThat(list(admin().get("/servers/" + server).body().get("services"))).isEmpty();
        assertThat(admin().get("/loadbalancers/" + lb).body()).containsEntry("service", null);
    }

    @Test
    void renamingAServiceRenamesItWhereverItIsUsed() {
        String nginx = admin().post("/services", minimal()).id();
        String server = admin().post("/servers", json("{\"hostname\": \"web01\", \"services\": [{\"name\": \"nginx\"}]}")).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"edge\", \"service\": \"Nginx\", \"server_ids\": [\"%s\"]}", server)).id();

        Response renamed = admin().patch("/services/" + nginx, json("{\"name\": \"Nginx Plus\"}"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);

        Map<String, Object> balancer = admin().get("/loadbalancers/" + lb).body();
        assertThat(balancer).containsEntry("service", "Nginx Plus").containsEntry("version", 2);
        assertThat(list(admin().get("/servers/" + server).body().get("services"))).extracting(e -> map(e).get("name"))
                .containsExactly("Nginx Plus", "Nginx Plus");
        assertThat(admin().get("/loadbalancers?service=nginx%20plus").body()).containsEntry("total", 1);
        // still in use under its new name
        assertThat(admin().delete("/services/" + nginx).status()).isEqualTo(409);
        // saving the load balancer does not bring the old name back into the catalog
        assertThat(admin().patch("/loadbalancers/" + lb, json("{\"description\": \"x\"}")).status()).isEqualTo(200);
        assertThat(admin().get("/services").items()).extracting(i -> i.get("name")).containsExactly("Nginx Plus");
    }

    @Test
    void anUnusedServiceIsDeletedWithoutDetach() {
        String nginx = admin().post("/services", minimal()).id();
        assertThat(admin().delete("/services/" + nginx).status()).isEqualTo(204);
    }
}
