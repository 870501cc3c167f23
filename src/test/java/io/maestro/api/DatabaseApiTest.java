package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /databases: generic fields, the oracle and mysql sections, relations to servers, datacenters and systems. */
class DatabaseApiTest extends KindApiTest {
    @Override
    String path() {
        return "/databases";
    }

    @Override
    List<String> contractFields() {
        return List.of("engine", "category", "engine_version", "mode", "environment", "spec", "server_ids", "datacenter_ids", "system_ids", "oracle", "mysql");
    }

    @Override
    List<String> reverseLists() {
        return List.of("applications");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"cache\", \"engine\": \"Redis\"}");
    }

    @Override
    Map<String, Object> full() {
        String s1 = admin().post("/servers", json("{\"hostname\": \"ora01\"}")).id();
        String s2 = admin().post("/servers", json("{\"hostname\": \"ora02\"}")).id();
        String dc = admin().post("/datacenters", json("{\"name\": \"onprem\"}")).id();
        String system = admin().post("/systems", json("{\"name\": \"erp\"}")).id();
        return json("""
                {"name": "erpdb", "description": "ERP database", "engine": "oracle database", "category": "Relational",
                 "version": "19.21", "mode": "Clustered", "environment": "prod",
                 "spec": {"endpoint": "erp-scan.example.com", "port": 1521, "commands": {"status": "srvctl status database"},
                          "health_check": "tnsping"},
                 "server_ids": ["%s", "%s"], "datacenter_ids": ["%s"], "system_ids": ["%s"],
                 "oracle": {"version": "19c", "storage": "ASM", "mode": "RAC",
                            "asm_groups": [{"name": "DATA", "size_gb": 2048}, {"name": "FRA", "size_gb": 512.5}],
                            "cdbs": [{"name": "CDB1", "pdbs": ["HR", "FIN"]}, {"name": "CDB2", "pdbs": []}],
                            "dataguard": {"role": "primary", "standby": "erpdb-dr"},
                            "goldengate": {"enabled": false},
                            "backups": [{"tool": "RMAN", "schedule": "daily"}]},
                 "tags": [{"key": "cost-center", "value": "42"}]}
                """, s1, s2, dc, system);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> e = new LinkedHashMap<>(full);
        e.remove("version");
        e.put("engine", "Oracle");
        e.put("engine_version", "19.21");
        e.put("category", "relational");
        e.put("mode", "Clustered");
        e.put("environment", "Production");
        e.put("oracle", json("""
                {"version": "19c", "storage": "asm", "mode": "rac",
                 "asm_groups": [{"name": "DATA", "size_gb": 2048.0}, {"name": "FRA", "size_gb": 512.5}],
                 "cdbs": [{"name": "CDB1", "pdbs": ["HR", "FIN"]}, {"name": "CDB2", "pdbs": []}],
                 "dataguard": {"role": "primary", "standby": "erpdb-dr"},
                 "goldengate": {"enabled": false},
                 "backups": [{"tool": "RMAN", "schedule": "daily"}]}"""));
        e.put("mysql", null);
        return e;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"environment\": \"UAT\", \"datacenter_ids\": []}");
    }

    @Test
    void mysqlFamilyHasItsSection() {
        Response r = admin().post("/databases", json("""
                {"name": "orders", "engine": "mariadb", "category": "relational", "version": "10.11",
                 "mysql": {"topology": "Galera", "replicas": 2, "backups": {"tool": "mariabackup", "retention_days": 14}}}"""));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body()).containsEntry("engine", "MariaDB").containsEntry("engine_version", "10.11").containsEntry("version", 1)
                .containsEntry("oracle", null);
        assertThat(r.body().get("mysql")).isEqualTo(json("""
                {"topology": "galera", "replicas": 2, "backups": {"tool": "mariabackup", "retention_days": 14}}"""));
        Response topology = admin().patch("/databases/" + r.id(), json("{\"mysql\": {\"topology\": \"master-slave\"}}"));
        assertThat(map(topology.body().get("mysql"))).containsEntry("topology", "master-slave").containsEntry("replicas", 2);
    }

    @Test
    void engineVersionIsAlsoAcceptedUnderItsOwnNameAndAsANumber() {
        Response r = admin().post("/databases", json("{\"name\": \"pg\", \"engine\": \"PostgreSQL\", \"engine_version\": 16}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body()).containsEntry("engine_version", "16").containsEntry("version", 1);
    }

    @Test
    void theContractsVersionFieldChangesTheEngineVersionOnEveryWrite() {
        String id = admin().post("/databases", json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"version\": \"19c\"}")).id();
        Response patched = admin().patch("/databases/" + id, json("{\"version\": \"21c\"}"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body()).containsEntry("engine_version", "21c").containsEntry("version", 2);
        Response put = admin().put("/databases/" + id, json("{\"name\": \"erp\", \"engine\": \"Oracle\", \"version\": \"23ai\"}"));
        assertThat(put.body()).containsEntry("engine_version", "23ai");
        // the change counter sent back (a number) is not an engine version
        Map<String, Object> read = admin().get("/databases/" + id).body();
        assertThat(admin().put("/databases/" + id, read).body()).containsEntry("engine_version", "23ai").containsEntry("version", 4);
    }

    @Test
    void serversDatacentersAndSystemsListTheDatabase() {
        Map<String, Object> full = full();
        String id = admin().post("/databases", full).id();
        for (Object server : list(full.get("server_ids"))) {
            assertThat(list(admin().get("/servers/" + server).body().get("databases")))
                    .containsExactly(json("{\"id\": \"%s\", \"name\": \"erpdb\", \"via\": [\"server_ids\"]}", id));
        }
        assertThat(ids(admin().get("/datacenters/" + list(full.get("datacenter_ids")).get(0)).body().get("databases"))).containsExactly(id);
        assertThat(ids(admin().get("/systems/" + list(full.get("system_ids")).get(0)).body().get("databases"))).containsExactly(id);
        assertThat(list(admin().get("/databases/" + id).body().get("server_ids"))).isEqualTo(full.get("server_ids"));
    }

    @Test
    void sectionsAreListedAsNullWhenEmpty() {
        Map<String, Object> body = admin().post("/databases", minimal()).body();
        assertThat(body).containsEntry("oracle", null).containsEntry("mysql", null).containsEntry("spec", null)
                .containsEntry("server_ids", List.of()).containsEntry("datacenter_ids", List.of()).containsEntry("system_ids", List.of());
    }
}
