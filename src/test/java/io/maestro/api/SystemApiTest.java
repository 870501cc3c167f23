package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /systems: links, clients, owner, entry applications; reads list the members. */
class SystemApiTest extends KindApiTest {
    @Override
    String path() {
        return "/systems";
    }

    @Override
    List<String> contractFields() {
        return List.of("links", "client_ids", "owner", "entry_application_ids");
    }

    @Override
    List<String> reverseLists() {
        return List.of("applications", "databases", "loadbalancers");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"commerce\"}");
    }

    @Override
    Map<String, Object> full() {
        String client = admin().post("/clients", json("{\"name\": \"ACME\"}")).id();
        String app = admin().post("/applications", json("{\"name\": \"storefront\"}")).id();
        return json("""
                {"name": "webshop", "description": "everything that sells",
                 "links": [{"name": "wiki", "url": "https://wiki.example.com/shop"}, {"name": "repo", "url": "git://git.example.com/shop"}],
                 "client_ids": ["%s"], "owner": "%s", "entry_application_ids": ["%s"],
                 "tags": [{"key": "criticality", "value": "high"}]}
                """, client, defaultTeamId(), app);
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"links\": [], \"owner\": \"%s\"}", adminUserId());
    }

    String adminUserId() {
        return jdbc.queryForObject("SELECT id FROM app_user WHERE username = 'admin'", java.util.UUID.class).toString();
    }

    @Test
    void readsListTheMembersWithIdAndName() {
        String sys = admin().post("/systems", minimal()).id();
        assertThat(admin().get("/systems/" + sys).body()).containsEntry("applications", List.of())
                .containsEntry("databases", List.of()).containsEntry("loadbalancers", List.of());
        String app = admin().post("/applications", json("{\"name\": \"shop\", \"system_ids\": [\"%s\"]}", sys)).id();
        String db = admin().post("/databases", json("{\"name\": \"shopdb\", \"engine\": \"MongoDB\", \"system_ids\": [\"%s\"]}", sys)).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"edge\", \"system_ids\": [\"%s\"]}", sys)).id();
        admin().post("/applications", json("{\"name\": \"unrelated\"}"));

        Map<String, Object> read = admin().get("/systems/" + sys).body();
        assertThat(list(read.get("applications"))).containsExactly(json("{\"id\": \"%s\", \"name\": \"shop\", \"via\": [\"system_ids\"]}", app));
        assertThat(list(read.get("databases"))).containsExactly(json("{\"id\": \"%s\", \"name\": \"shopdb\", \"via\": [\"system_ids\"]}", db));
        assertThat(list(read.get("loadbalancers"))).containsExactly(json("{\"id\": \"%s\", \"name\": \"edge\", \"via\": [\"system_ids\"]}", lb));
    }

    @Test
    void clientsListTheirSystems() {
        Map<String, Object> full = full();
        String sys = admin().post("/systems", full).id();
        String client = (String) list(full.get("client_ids")).get(0);
        assertThat(list(admin().get("/clients/" + client).body().get("systems")))
                .containsExactly(json("{\"id\": \"%s\", \"name\": \"webshop\", \"via\": [\"client_ids\"]}", sys));
        String app = (String) list(full.get("entry_application_ids")).get(0);
        assertThat(ids(admin().get("/applications/" + app).body().get("systems"))).containsExactly(sys);
    }
}
