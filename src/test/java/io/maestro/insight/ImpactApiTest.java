package io.maestro.insight;

import io.maestro.support.ApiTest;
import io.maestro.support.SqlStatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /{collection}/{id}/impact}: on a hand-built estate (two clients, three systems,
 * applications depending on applications in a cycle and on a database, a load balancer targeting
 * servers), exactly the expected records, depths and paths; access, as_of and bad input.
 */
class ImpactApiTest extends ApiTest {
    private String dc;
    private String srv1;
    private String srv2;
    private String db1;
    private String lb1;
    private String app1;
    private String app2;
    private String app3;
    private String sysA;
    private String sysB;
    private String sysC;
    private String globex;
    private String initech;

    @BeforeEach
    void estate() {
        dc = admin().post("/datacenters", json("{\"name\": \"dc-east\"}")).id();
        srv1 = admin().post("/servers", json("{\"hostname\": \"db01\", \"datacenter\": {\"id\": \"%s\"}}", dc)).id();
        srv2 = admin().post("/servers", json("{\"hostname\": \"app01\", \"datacenter\": {\"id\": \"%s\"}}", dc)).id();
        globex = admin().post("/clients", json("{\"name\": \"Globex\"}")).id();
        initech = admin().post("/clients", json("{\"name\": \"Initech\"}")).id();
        sysA = admin().post("/systems", json("{\"name\": \"Payments\", \"client_ids\": [\"%s\"]}", globex)).id();
        sysB = admin().post("/systems", json("{\"name\": \"Portal\", \"client_ids\": [\"%s\"]}", globex)).id();
        sysC = admin().post("/systems", json("{\"name\": \"Reporting\", \"client_ids\": [\"%s\"]}", initech)).id();
        db1 = admin().post("/databases", json("{\"name\": \"ledger\", \"engine\": \"PostgreSQL\", \"server_ids\": [\"%s\"], \"system_ids\": [\"%s\"]}",
                srv1, sysA)).id();
        lb1 = admin().post("/loadbalancers", json("{\"name\": \"lb-front\", \"target_ids\": [\"%s\", \"%s\"], \"system_ids\": [\"%s\"]}",
                srv1, srv2, sysC)).id();
        app1 = admin().post("/applications", json("""
                {"name": "billing", "server_ids": ["%s"], "system_ids": ["%s"], "dependencies": [{"target_id": "%s"}]}""", srv2, sysA, db1)).id();
        app2 = admin().post("/applications", json("""
                {"name": "portal", "system_ids": ["%s"], "dependencies": [{"target_id": "%s"}]}""", sysB, app1)).id();
        app3 = admin().post("/applications", json("""
                {"name": "reports", "system_ids": ["%s"], "dependencies": [{"target_id": "%s"}]}""", sysC, app2)).id();
        // the cycle: billing depends on reports, which depends (through portal) on billing
        assertThat(admin().patch("/applications/" + app1, json("{\"dependencies\": [{\"target_id\": \"%s\"}, {\"target_id\": \"%s\"}]}", db1, app3))
                .status()).isEqualTo(200);
    }

    @Test
    void aServersImpactIsEachDependentOnceAtItsShortestDepthWithThePathExplainingIt() {
        Response r = admin().get("/servers/" + srv1 + "/impact");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("root")).isEqualTo(Map.of("id", srv1, "collection", "servers", "name", "db01"));
        assertThat(depths(r)).containsExactly(
                "ledger databases 1", "lb-front loadbalancers 1",
                "billing applications 2", "Payments systems 2", "Reporting systems 2",
                "portal applications 3", "Globex clients 3", "Initech clients 3",
                "reports applications 4", "Portal systems 4");
        assertThat(r.body()).containsEntry("truncated", false);
        assertThat(r.body().get("counts")).isEqualTo(Map.of("applications", 3, "databases", 1, "loadbalancers", 1, "systems", 3, "clients", 2));
        assertThat(via(r, "ledger")).containsExactly(srv1 + " server_ids");
        assertThat(via(r, "lb-front")).containsExactly(srv1 + " target_ids");
        assertThat(via(r, "portal")).containsExactly(srv1 + " server_ids", db1 + " dependencies", app1 + " dependencies");
        assertThat(via(r, "reports")).containsExactly(srv1 + " server_ids", db1 + " dependencies", app1 + " dependencies", app2 + " dependencies");
        assertThat(via(r, "Initech")).containsExactly(srv1 + " target_ids", lb1 + " system_ids", sysC + " client_ids");
    }

    @Test
    void aDatacentersImpactStartsWithItsServersAndDepthCutsTheWalk() {
        Response r = admin().get("/datacenters/" + dc + "/impact?depth=2");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(depths(r)).containsExactly("app01 servers 1", "db01 servers 1",
                "billing applications 2", "ledger databases 2", "lb-front loadbalancers 2");
        assertThat(via(r, "billing")).containsExactly(dc + " datacenter.id", srv2 + " server_ids");
        assertThat(r.body()).containsEntry("truncated", true);
        // an application's dependents: the cycle ends at the root
        Response app = admin().get("/applications/" + app1 + "/impact");
        assertThat(depths(app)).containsExactly("portal applications 1", "Payments systems 1",
                "reports applications 2", "Portal systems 2", "Globex clients 2", "Reporting systems 3", "Initech clients 4");
    }

    @Test
    void theWalkIsOneStatementPerHop() {
        Response[] r = new Response[1];
        List<String> sql = SqlStatementCounter.record(() -> assertThat((r[0] = admin().get("/servers/" + srv1 + "/impact")).status()).isEqualTo(200));
        int deepest = impacted(r[0]).stream().mapToInt(i -> ((Number) i.get("depth")).intValue()).max().orElseThrow();
        // the root's name (and whether the caller may read it), then one statement per hop: the last finds nothing new
        List<String> own = sql.stream().filter(s -> !s.contains("app_user") && !s.contains("team_member") && !s.contains("api_token")).toList();
        assertThat(own.stream().filter(s -> s.contains("from_id")).count()).as(String.join("\n", own)).isEqualTo(deepest + 1);
        assertThat(own).as(String.join("\n", own)).hasSize(deepest + 2);
    }

    @Test
    void recordsTheCallerMayNotReadAreNeitherShownNorCountedNorWalkedThrough() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String carol = "carol-" + suffix;
        assertThat(admin().post("/users", Map.of("username", carol, "password", "a-long-password-1", "email", carol + "@example.com")).status())
                .isEqualTo(201);
        Client asCarol = as(carol, "a-long-password-1");
        String team = asCarol.post("/teams", Map.of("name", "team-" + suffix)).id();
        String hers = admin().post("/servers", json("{\"hostname\": \"carol01\", \"team_id\": \"%s\"}", team)).id();
        // an application of the default team runs on her server; her own application depends on it
        String hidden = admin().post("/applications", json("{\"name\": \"hidden-app\", \"server_ids\": [\"%s\"]}", hers)).id();
        admin().post("/applications", json("{\"name\": \"carol-app\", \"team_id\": \"%s\", \"dependencies\": [{\"target_id\": \"%s\"}]}", team, hidden));
        admin().post("/loadbalancers", json("{\"name\": \"carol-lb\", \"team_id\": \"%s\", \"target_ids\": [\"%s\"]}", team, hers));

        Response mine = asCarol.get("/servers/" + hers + "/impact");
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(depths(mine)).containsExactly("carol-lb loadbalancers 1");
        assertThat(mine.body().get("counts")).isEqualTo(Map.of("loadbalancers", 1));
        assertThat(mine.text()).doesNotContain(hidden).doesNotContain("hidden-app");
        assertThat(depths(admin().get("/servers/" + hers + "/impact")))
                .containsExactly("hidden-app applications 1", "carol-lb loadbalancers 1", "carol-app applications 2");
        // another team's record: as if it did not exist
        assertThat(asCarol.get("/servers/" + srv1 + "/impact").status()).isEqualTo(404);
    }

    @Test
    void asOfAnswersForTheInventoryAsItStoodThen() {
        String before = (String) admin().get("/applications/" + app1).body().get("updated_at");
        clock.passing(OffsetDateTime.parse(before));
        // the load balancer no longer targets db01, and a new application runs on it
        assertThat(admin().patch("/loadbalancers/" + lb1, json("{\"target_ids\": [\"%s\"]}", srv2)).status()).isEqualTo(200);
        admin().post("/applications", json("{\"name\": \"newcomer\", \"server_ids\": [\"%s\"]}", srv1));

        List<String> now = depths(admin().get("/servers/" + srv1 + "/impact?depth=1"));
        assertThat(now).containsExactly("newcomer applications 1", "ledger databases 1");
        Response then = admin().get("/servers/" + srv1 + "/impact?depth=1&as_of=" + before);
        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(depths(then)).containsExactly("ledger databases 1", "lb-front loadbalancers 1");
        assertThat(depths(admin().get("/servers/" + srv1 + "/impact?as_of=" + before))).contains("Initech clients 3").hasSize(10);
        // before the server existed: as if it did not
        assertThat(admin().get("/servers/" + srv1 + "/impact?as_of=2020-01-01").status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemNamingTheParameter() {
        for (String depth : List.of("0", "11", "x", "-1", "2.5")) {
            Response r = admin().get("/servers/" + srv1 + "/impact?depth=" + depth);
            assertThat(r.status()).as(depth).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("depth");
        }
        Response asOf = admin().get("/servers/" + srv1 + "/impact?as_of=yesterday");
        assertThat(asOf.status()).isEqualTo(400);
        assertThat(asOf.text()).contains("as_of");
        assertThat(admin().get("/servers/not-an-id/impact").status()).isEqualTo(404);
        assertThat(admin().get("/servers/" + UUID.randomUUID() + "/impact").status()).isEqualTo(404);
        assertThat(admin().get("/planets/" + srv1 + "/impact").status()).isEqualTo(404);
        assertThat(anonymous().get("/servers/" + srv1 + "/impact").status()).isEqualTo(401);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> impacted(Response r) {
        return (List<Map<String, Object>>) r.body().get("impacted");
    }

    /** "name collection depth" of every impacted record, in the answer's order. */
    private static List<String> depths(Response r) {
        return impacted(r).stream().map(i -> i.get("name") + " " + i.get("collection") + " " + i.get("depth")).toList();
    }

    /** "from relation" of each hop of one record's path. */
    @SuppressWarnings("unchecked")
    private static List<String> via(Response r, String name) {
        Map<String, Object> i = impacted(r).stream().filter(x -> x.get("name").equals(name)).findFirst().orElseThrow();
        assertThat(((List<?>) i.get("via"))).hasSize(((Number) i.get("depth")).intValue());
        return ((List<Map<String, Object>>) i.get("via")).stream().map(h -> h.get("from") + " " + h.get("relation")).toList();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
