package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /volumes: size, type, the server using it and its datacenter, both {@code ref()} fields. A ref
 * behaves like a relation: the server and the datacenter list the volume on their reads, a
 * deleted server leaves no dangling id, and a used datacenter is deleted only with detach.
 */
class VolumeApiTest extends KindApiTest {
    @Override
    String path() {
        return "/volumes";
    }

    @Override
    List<String> contractFields() {
        return List.of("size_gb", "type", "server_id", "datacenter_id");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"vol-0a1b\"}");
    }

    @Override
    Map<String, Object> full() {
        String dc = admin().post("/datacenters", json("{\"name\": \"aws-eu\"}")).id();
        String server = admin().post("/servers", json("{\"hostname\": \"db01\"}")).id();
        return json("""
                {"name": "db01-data", "description": "data disk", "size_gb": 512.5, "type": "gp3",
                 "server_id": "%s", "datacenter_id": "%s", "tags": [{"key": "backup", "value": "daily"}]}
                """, server, dc);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> e = new LinkedHashMap<>(full);
        e.put("type", "SSD"); // gp3 is an alias of SSD in the volume_type list
        return e;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"size_gb\": 1024.0, \"type\": \"HDD\"}");
    }

    @Test
    void theServerAndTheDatacenterListTheVolumeAndFilterByIt() {
        String dc = admin().post("/datacenters", json("{\"name\": \"aws-eu\"}")).id();
        String server = admin().post("/servers", json("{\"hostname\": \"db01\", \"datacenter\": {\"id\": \"%s\"}}", dc)).id();
        String vol = admin().post("/volumes", json("{\"name\": \"db01-data\", \"server_id\": \"%s\", \"datacenter_id\": \"%s\"}", server, dc)).id();
        admin().post("/volumes", json("{\"name\": \"spare\", \"datacenter_id\": \"%s\"}", dc));

        Map<String, Object> s = admin().get("/servers/" + server).body();
        assertThat(s.get("volumes")).isEqualTo(List.of(Map.of("id", vol, "name", "db01-data", "via", List.of("server_id"))));
        // the datacenter lists its volumes; its servers stay a count (server_count), not a list
        Map<String, Object> d = admin().get("/datacenters/" + dc).body();
        assertThat(ids(d.get("volumes"))).hasSize(2).contains(vol);
        assertThat(d).containsEntry("server_count", 1).doesNotContainKey("servers");
        assertThat(admin().get("/volumes?server_id=" + server).items()).extracting(i -> i.get("id")).containsExactly(vol);
    }

    @Test
    void deletingTheServerClearsTheVolumesServerAndRecordsTheChange() {
        String server = admin().post("/servers", json("{\"hostname\": \"db01\"}")).id();
        String vol = admin().post("/volumes", json("{\"name\": \"db01-data\", \"server_id\": \"%s\"}", server)).id();

        assertThat(admin().delete("/servers/" + server).status()).isEqualTo(204);
        Map<String, Object> v = admin().get("/volumes/" + vol).body();
        assertThat(v.get("server_id")).isNull();
        assertThat(v.get("version")).isEqualTo(2);
        assertThat(admin().get("/volumes?server_id=" + server).items()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM volume_version WHERE id = ?", Long.class, java.util.UUID.fromString(vol))).isEqualTo(2);
    }

    @Test
    void aDatacenterWithVolumesIsDeletedOnlyWithDetach() {
        String dc = admin().post("/datacenters", json("{\"name\": \"aws-eu\"}")).id();
        String vol = admin().post("/volumes", json("{\"name\": \"v1\", \"datacenter_id\": \"%s\"}", dc)).id();

        Response refused = admin().delete("/datacenters/" + dc);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text()).contains("1 volumes (datacenter_id)");
        assertThat(admin().get("/volumes/" + vol).body()).containsEntry("datacenter_id", dc).containsEntry("version", 1);

        assertThat(admin().delete("/datacenters/" + dc + "?detach=true").status()).isEqualTo(204);
        assertThat(admin().get("/volumes/" + vol).body()).containsEntry("datacenter_id", null).containsEntry("version", 2);
    }

    @Test
    void theGraphFollowsTheVolumesReferences() {
        String dc = admin().post("/datacenters", json("{\"name\": \"aws-eu\"}")).id();
        String server = admin().post("/servers", json("{\"hostname\": \"db01\"}")).id();
        String vol = admin().post("/volumes", json("{\"name\": \"db01-data\", \"server_id\": \"%s\", \"datacenter_id\": \"%s\"}", server, dc)).id();

        Map<String, Object> g = admin().get("/servers/" + server + "/graph?depth=1").body();
        assertThat(ids(g.get("nodes"))).containsExactlyInAnyOrder(server, vol);
        assertThat(list(g.get("edges"))).containsExactly(Map.of("source", vol, "target", server, "field", "server_id"));
        Map<String, Object> fromVolume = admin().get("/volumes/" + vol + "/graph?depth=1").body();
        assertThat(list(fromVolume.get("edges"))).containsExactlyInAnyOrder(Map.of("source", vol, "target", server, "field", "server_id"),
                Map.of("source", vol, "target", dc, "field", "datacenter_id"));
    }
}
