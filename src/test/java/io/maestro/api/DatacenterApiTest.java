package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /datacenters: provider from the catalog, regions and zones, server_count, refused deletion while used. */
class DatacenterApiTest extends KindApiTest {
    @Override
    String path() {
        return "/datacenters";
    }

    @Override
    List<String> contractFields() {
        return List.of("provider", "regions", "zones", "server_count");
    }

    @Override
    List<String> reverseLists() {
        return List.of("databases", "volumes");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"room-1\"}");
    }

    @Override
    Map<String, Object> full() {
        return json("""
                {"name": "aws-eu", "description": "production account", "provider": "AWS",
                 "regions": ["eu-west-1", "eu-central-1"],
                 "zones": [{"name": "eu-west-1a", "region": "eu-west-1"}, {"name": "eu-central-1b", "region": "eu-central-1"}],
                 "tags": [{"key": "account", "value": "1234"}]}
                """);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> e = new LinkedHashMap<>(full);
        e.put("server_count", 0);
        return e;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"regions\": [\"eu-west-1\", \"eu-central-1\", \"eu-north-1\"]}");
    }

    @Test
    void serverCountCountsTheServersInIt() {
        String dc = admin().post("/datacenters", minimal()).id();
        String other = admin().post("/datacenters", json("{\"name\": \"room-2\"}")).id();
        for (String h : new String[]{"a", "b", "c"}) {
            admin().post("/servers", json("{\"hostname\": \"%s\", \"datacenter\": {\"id\": \"%s\"}}", h, dc));
        }
        admin().post("/servers", json("{\"hostname\": \"d\"}"));
        assertThat(admin().get("/datacenters/" + dc).body()).containsEntry("server_count", 3);
        assertThat(admin().get("/datacenters/" + other).body()).containsEntry("server_count", 0);
        assertThat(admin().get("/datacenters?sort=name").items()).extracting(i -> i.get("server_count")).containsExactly(3, 0);
    }

    @Test
    void unknownProvidersJoinTheCatalogAndKnownOnesKeepTheirSpelling() {
        admin().post("/providers", json("{\"name\": \"OpenStack\", \"regions\": [\"RegionOne\"]}"));
        Response known = admin().post("/datacenters", json("{\"name\": \"private\", \"provider\": \"openstack\"}"));
        assertThat(known.body()).containsEntry("provider", "OpenStack");
        Response unknown = admin().post("/datacenters", json("{\"name\": \"edge\", \"provider\": \"Hetzner Cloud\"}"));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(201);
        assertThat(unknown.body()).containsEntry("provider", "Hetzner Cloud");
        assertThat(admin().get("/providers").items()).extracting(i -> i.get("name")).containsExactly("Hetzner Cloud", "OpenStack");
    }

    @Test
    void aDatacenterInUseIsOnlyDeletedWithDetach() {
        String dc = admin().post("/datacenters", minimal()).id();
        String server = admin().post("/servers", json("{\"hostname\": \"a\", \"datacenter\": {\"id\": \"%s\", \"zone\": \"z1\", \"instance_id\": \"i-1\"}}", dc)).id();
        String db = admin().post("/databases", json("{\"name\": \"rds\", \"engine\": \"MySQL\", \"datacenter_ids\": [\"%s\"]}", dc)).id();

        Response refused = admin().delete("/datacenters/" + dc);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(admin().get("/datacenters/" + dc).status()).isEqualTo(200);
        assertThat(map(admin().get("/servers/" + server).body().get("datacenter"))).containsEntry("id", dc);

        Response detached = admin().delete("/datacenters/" + dc + "?detach=true");
        assertThat(detached.status()).as(detached.toString()).isEqualTo(204);
        assertThat(admin().get("/datacenters/" + dc).status()).isEqualTo(404);
        Map<String, Object> s = admin().get("/servers/" + server).body();
        // the placement goes with the datacenter: no zone or instance id of a datacenter that is gone
        assertThat(s.get("datacenter")).isNull();
        assertThat(s.get("version")).isEqualTo(2);
        assertThat(list(admin().get("/databases/" + db).body().get("datacenter_ids"))).isEmpty();
        // no dangling ids: filters by the old id find nothing
        assertThat(admin().get("/servers?datacenter.id=" + dc).body()).containsEntry("total", 0);
    }

    @Test
    void anUnusedDatacenterIsDeletedWithoutDetach() {
        String dc = admin().post("/datacenters", minimal()).id();
        assertThat(admin().delete("/datacenters/" + dc).status()).isEqualTo(204);
    }
}
