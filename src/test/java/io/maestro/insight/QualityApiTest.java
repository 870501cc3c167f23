package io.maestro.insight;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /quality} and {@code /systems/{id}/quality}: completeness, duplicates, orphans, worst records, scoped. */
class QualityApiTest extends ApiTest {
    private String dc;
    private String sys;

    @BeforeEach
    void estate() {
        dc = admin().post("/datacenters", json("{\"name\": \"dc-1\"}")).id();
        // complete
        String full = admin().post("/servers", json("""
                {"hostname": "full01", "ipv4_private": "10.0.0.1", "os": {"base": "Linux"}, "environment": "Production",
                 "cpu": 4, "memory": 16, "datacenter": {"id": "%s"}}""", dc)).id();
        // missing ipv4_private, cpu, memory, datacenter; shares a hostname
        admin().post("/servers", json("{\"hostname\": \"dup01\", \"os\": {\"base\": \"Linux\"}, \"environment\": \"Staging\"}"));
        admin().post("/servers", json("{\"hostname\": \"DUP01\", \"os\": {\"base\": \"Linux\"}, \"environment\": \"Staging\"}"));
        // only the hostname
        admin().post("/servers", json("{\"hostname\": \"bare01\"}"));
        sys = admin().post("/systems", json("{\"name\": \"Payments\"}")).id();
        admin().post("/applications", json("{\"name\": \"billing\", \"environment\": \"Production\", \"language\": \"Java\","
                + " \"system_ids\": [\"%s\"], \"server_ids\": [\"%s\"]}", sys, full));
        admin().post("/applications", json("{\"name\": \"stray\", \"system_ids\": [\"%s\"]}", sys));
    }

    @Test
    @SuppressWarnings("unchecked")
    void completenessDuplicatesOrphansAndTheWorstRecords() {
        Response r = admin().get("/quality?collection=servers");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, Object> q = r.body();
        assertThat(q).containsEntry("collection", "servers").containsEntry("records", 4)
                .containsEntry("stale", 0).containsEntry("drift", 0).containsEntry("orphans", 3);
        // filled: hostname 4, ipv4 1, os 3, env 3, cpu 1, memory 1, datacenter 1 = 14 of 28
        assertThat(q.get("score")).isEqualTo(0.5);
        assertThat((List<Map<String, Object>>) q.get("fields")).extracting(f -> f.get("field") + " " + f.get("filled") + " " + f.get("share"))
                .containsExactly("hostname 4 1.0", "ipv4_private 1 0.25", "os.base 3 0.75", "environment 3 0.75", "cpu 1 0.25",
                        "memory 1 0.25", "datacenter.id 1 0.25");
        assertThat(q.get("duplicates")).isEqualTo(Map.of("duplicate_hostname", 1, "duplicate_ipv4_private", 0));
        List<Map<String, Object>> worst = (List<Map<String, Object>>) q.get("worst");
        assertThat(worst).extracting(w -> w.get("name") + " " + w.get("score")).containsExactlyInAnyOrder("bare01 0.1429", "dup01 0.4286", "DUP01 0.4286");
        assertThat(worst.get(0).get("name")).isEqualTo("bare01");
        assertThat(worst.get(0).get("missing")).isEqualTo(List.of("ipv4_private", "os.base", "environment", "cpu", "memory", "datacenter.id"));

        Response apps = admin().get("/quality?collection=applications");
        assertThat(apps.body()).containsEntry("records", 2).containsEntry("orphans", 0).containsEntry("score", 0.625);
        assertThat(admin().get("/quality?collection=systems").body()).containsEntry("orphans", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSystemsQualityIsThatOfItsMembers() {
        Response r = admin().get("/systems/" + sys + "/quality");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).containsEntry("records", 2).containsEntry("score", 0.625);
        assertThat((Map<String, Object>) r.body().get("system")).containsEntry("name", "Payments");
        assertThat((List<Map<String, Object>>) r.body().get("worst")).extracting(w -> w.get("collection") + " " + w.get("name"))
                .containsExactly("applications stray");
        assertThat(admin().get("/systems/" + UUID.randomUUID() + "/quality").status()).isEqualTo(404);
    }

    @Test
    void onlyWhatTheCallerMayReadIsMeasured() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String gina = "gina-" + suffix;
        admin().post("/users", Map.of("username", gina, "password", "a-long-password-1", "email", gina + "@example.com"));
        Client asGina = as(gina, "a-long-password-1");
        String team = asGina.post("/teams", Map.of("name", "team-" + suffix)).id();
        asGina.post("/servers", json("{\"hostname\": \"gina01\", \"team_id\": \"%s\"}", team));
        Response r = asGina.get("/quality");
        assertThat(r.body()).containsEntry("records", 1).containsEntry("duplicates", Map.of("duplicate_hostname", 0, "duplicate_ipv4_private", 0));
        assertThat(r.text()).doesNotContain("bare01").doesNotContain("dup01");
        assertThat(admin().get("/quality?team_id=" + team).body()).containsEntry("records", 1);
        assertThat(admin().get("/quality").body()).containsEntry("records", 5);
        assertThat(asGina.get("/systems/" + sys + "/quality").status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemNamingTheParameter() {
        for (String[] c : new String[][]{{"collection=planets", "collection"}, {"collection=services", "collection"}, {"team_id=nope", "team_id"}}) {
            Response r = admin().get("/quality?" + c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("\"" + c[1] + "\"");
        }
        assertThat(anonymous().get("/quality").status()).isEqualTo(401);
    }
}
