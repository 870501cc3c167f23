package io.maestro.insight;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /{collection}/summary}: GROUP BY counts that agree with the list for the same filters, scoped, as_of. */
class SummaryApiTest extends ApiTest {
    private String dc;

    @BeforeEach
    void fleet() {
        dc = admin().post("/datacenters", json("{\"name\": \"dc-1\"}")).id();
        String[][] servers = {
                {"web01", "Production", "Linux"}, {"web02", "Production", "Linux"}, {"web03", "Production", "Windows"},
                {"stg01", "Staging", "Linux"}, {"dev01", null, "Linux"}, {"dev02", null, null}};
        for (String[] s : servers) {
            Map<String, Object> body = new HashMap<>();
            body.put("hostname", s[0]);
            if (s[1] != null) body.put("environment", s[1]);
            if (s[2] != null) body.put("os", Map.of("base", s[2]));
            if (s[0].startsWith("web")) body.put("datacenter", Map.of("id", dc));
            assertThat(admin().post("/servers", body).status()).isEqualTo(201);
        }
    }

    @Test
    void countsPerGroupEqualTheListTotalsForTheSameFilters() {
        Response r = admin().get("/servers/summary?group_by=environment,os.base");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).containsEntry("total", 6).containsEntry("group_by", List.of("environment", "os.base"));
        assertThat(groups(r)).containsExactly(
                "Production Linux 2", "Production Windows 1", "Staging Linux 1", "null Linux 1", "null null 1");
        // a filter applies as on the list
        Response prod = admin().get("/servers/summary?group_by=os.base&environment=production&q=web");
        assertThat(groups(prod)).containsExactly("Linux 2", "Windows 1");
        assertThat(prod.body().get("total")).isEqualTo(admin().get("/servers?environment=production&q=web").body().get("total"));
        assertThat(groups(admin().get("/servers/summary?group_by=datacenter.id"))).containsExactly(dc + " 3", "null 3");
        // no group: the total alone; provenance fields read as manual, never stale, until sources exist
        assertThat(admin().get("/servers/summary").body()).containsEntry("total", 6);
        assertThat(groups(admin().get("/servers/summary?group_by=source.type,stale"))).containsExactly("manual false 6");
        assertThat(groups(admin().get("/applications/summary?group_by=environment"))).isEmpty();
    }

    @Test
    void onlyWhatTheCallerMayReadIsCounted() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String dave = "dave-" + suffix;
        admin().post("/users", Map.of("username", dave, "password", "a-long-password-1", "email", dave + "@example.com"));
        Client asDave = as(dave, "a-long-password-1");
        String team = asDave.post("/teams", Map.of("name", "team-" + suffix)).id();
        asDave.post("/servers", json("{\"hostname\": \"dave01\", \"environment\": \"Production\", \"team_id\": \"%s\"}", team));
        Response r = asDave.get("/servers/summary?group_by=environment,team_id");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(groups(r)).containsExactly("Production " + team + " 1");
        assertThat(r.body()).containsEntry("total", 1);
        assertThat(admin().get("/servers/summary").body()).containsEntry("total", 7);
    }

    @Test
    void asOfCountsTheRecordsAsTheyStoodThen() {
        String web01 = admin().get("/servers?hostname=web01").items().get(0).get("id").toString();
        String last = (String) admin().get("/servers?sort=-updated_at&size=1").items().get(0).get("updated_at");
        clock.passing(java.time.OffsetDateTime.parse(last));
        admin().patch("/servers/" + web01, Map.of("environment", "Staging"));
        admin().post("/servers", Map.of("hostname", "new01", "environment", "Staging"));
        assertThat(groups(admin().get("/servers/summary?group_by=environment&environment=Staging"))).containsExactly("Staging 3");
        Response then = admin().get("/servers/summary?group_by=environment&environment=Staging&as_of=" + last);
        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(groups(then)).containsExactly("Staging 1");
        assertThat(admin().get("/servers/summary?as_of=" + last).body()).containsEntry("total", 6);
    }

    @Test
    void badInputIsAProblemNamingTheParameter() {
        for (String[] c : new String[][]{{"group_by=nonsense", "group_by"}, {"group_by=storage", "group_by"}, {"group_by=description", "group_by"},
                {"group_by=environment,os.base,cpu,memory", "group_by"}, {"group_by=environment&as_of=soon", "as_of"},
                {"group_by=environment&environment=Prod-ish", "environment"}, {"group_by=environment&colour=red", "colour"}}) {
            Response r = admin().get("/servers/summary?" + c[0]);
            assertThat(r.status()).as(c[0] + " " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("\"" + c[1] + "\"");
        }
        assertThat(admin().get("/planets/summary").status()).isEqualTo(404);
        assertThat(anonymous().get("/servers/summary").status()).isEqualTo(401);
    }

    /** "value value count" of each group, in the answer's order. */
    @SuppressWarnings("unchecked")
    static List<String> groups(Response r) {
        return ((List<Map<String, Object>>) r.body().get("groups")).stream()
                .map(g -> String.join(" ", g.values().stream().map(String::valueOf).toList())).toList();
    }
}
