package io.maestro.graph;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /{collection}/{id}/graph}: a record's neighbourhood, hop by hop, only what the caller may read. */
class GraphApiTest extends ApiTest {
    private String dc;
    private String web;
    private String ora1;
    private String ora2;
    private String db;
    private String app;
    private String sys;
    private String client;

    @BeforeEach
    void estate() {
        dc = admin().post("/datacenters", json("{\"name\": \"aws-prod\", \"provider\": \"AWS\"}")).id();
        web = admin().post("/servers", json("{\"hostname\": \"web01\", \"datacenter\": {\"id\": \"%s\"}, \"services\": [{\"name\": \"Nginx\"}]}", dc)).id();
        ora1 = admin().post("/servers", json("{\"hostname\": \"ora01\", \"datacenter\": {\"id\": \"%s\"}}", dc)).id();
        ora2 = admin().post("/servers", json("{\"hostname\": \"ora02\"}")).id();
        db = admin().post("/databases", json("{\"name\": \"erp-db\", \"engine\": \"Oracle\", \"server_ids\": [\"%s\", \"%s\"]}", ora1, ora2)).id();
        client = admin().post("/clients", json("{\"name\": \"ACME\"}")).id();
        sys = admin().post("/systems", json("{\"name\": \"ERP\", \"client_ids\": [\"%s\"]}", client)).id();
        app = admin().post("/applications", json("""
                {"name": "erp-web", "server_ids": ["%s"], "system_ids": ["%s"], "dependencies": [{"target_id": "%s", "protocol": "jdbc"}]}""",
                web, sys, db)).id();
    }

    @Test
    void aSystemsGraphGrowsHopByHop() {
        Response one = admin().get("/systems/" + sys + "/graph?depth=1");
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.body()).containsEntry("root", sys).containsEntry("truncated", false);
        assertThat(names(one)).containsExactlyInAnyOrder("ERP systems 0", "erp-web applications 1", "ACME clients 1");
        assertThat(edges(one)).containsExactlyInAnyOrder(app + " system_ids " + sys, sys + " client_ids " + client);

        Response two = admin().get("/systems/" + sys + "/graph");
        assertThat(names(two)).contains("web01 servers 2", "erp-db databases 2").hasSize(5);
        assertThat(edges(two)).contains(app + " server_ids " + web, app + " dependencies " + db);

        Response three = admin().get("/systems/" + sys + "/graph?depth=3");
        assertThat(names(three)).contains("ora01 servers 3", "ora02 servers 3", "aws-prod datacenters 3", "Nginx services 3")
                .doesNotContain("Oracle Database services 3"); // the database's servers are 3 hops out; their services would be 4
        assertThat(edges(three)).contains(web + " datacenter.id " + dc, web + " services " + id(three, "Nginx"),
                db + " server_ids " + ora1, db + " server_ids " + ora2);
    }

    @Test
    void aServerShowsWhatRunsOnItAndWhereItIs() {
        Response g = admin().get("/servers/" + ora1 + "/graph?depth=1");
        assertThat(names(g)).containsExactlyInAnyOrder("ora01 servers 0", "erp-db databases 1", "aws-prod datacenters 1",
                "Oracle Database services 1");
        // a datacenter is a hub: shown, but the walk does not fan out to its other servers
        assertThat(names(admin().get("/servers/" + ora1 + "/graph?depth=2"))).contains("ora02 servers 2").doesNotContain("web01 servers 2");
        // from the datacenter itself, its servers are its neighbours
        assertThat(names(admin().get("/datacenters/" + dc + "/graph?depth=1"))).contains("web01 servers 1", "ora01 servers 1");
    }

    @Test
    void recordsTheCallerMayNotReadAreNeitherShownNorWalkedThrough() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String carol = "carol-" + suffix;
        assertThat(admin().post("/users", Map.of("username", carol, "password", "a-long-password-1", "email", carol + "@example.com")).status())
                .isEqualTo(201);
        Client asCarol = as(carol, "a-long-password-1");
        String team = asCarol.post("/teams", Map.of("name", "team-" + suffix)).id();
        // carol's application uses web01 and the database of the default team, which she cannot read
        String hers = admin().post("/applications", json("""
                {"name": "carol-app", "team_id": "%s", "server_ids": ["%s"], "dependencies": [{"target_id": "%s"}]}""", team, web, db)).id();
        Response g = asCarol.get("/applications/" + hers + "/graph?depth=3");
        assertThat(g.status()).as(g.toString()).isEqualTo(200);
        assertThat(names(g)).containsExactly("carol-app applications 0");
        assertThat(g.body().get("edges")).isEqualTo(List.of());
        // another team's record: as if it did not exist
        assertThat(asCarol.get("/systems/" + sys + "/graph").status()).isEqualTo(404);
        // the admin sees both sides
        assertThat(names(admin().get("/applications/" + hers + "/graph?depth=1"))).contains("web01 servers 1", "erp-db databases 1");
    }

    @Test
    void badInputIsAClearProblem() {
        for (String depth : List.of("0", "4", "x", "-1")) {
            Response r = admin().get("/systems/" + sys + "/graph?depth=" + depth);
            assertThat(r.status()).as(depth).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("depth");
        }
        assertThat(admin().get("/systems/not-an-id/graph").status()).isEqualTo(404);
        assertThat(admin().get("/systems/" + UUID.randomUUID() + "/graph").status()).isEqualTo(404);
        assertThat(admin().get("/planets/" + sys + "/graph").status()).isEqualTo(404);
        assertThat(anonymous().get("/systems/" + sys + "/graph").status()).isEqualTo(401);
    }

    /** "name kind depth" of every node. */
    private static List<String> names(Response r) {
        return nodes(r).stream().map(n -> n.get("name") + " " + n.get("kind") + " " + n.get("depth")).toList();
    }

    private static String id(Response r, String name) {
        return nodes(r).stream().filter(n -> n.get("name").equals(name)).map(n -> n.get("id").toString()).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(Response r) {
        return (List<Map<String, Object>>) r.body().get("nodes");
    }

    @SuppressWarnings("unchecked")
    private static List<String> edges(Response r) {
        return ((List<Map<String, Object>>) r.body().get("edges")).stream()
                .map(e -> e.get("source") + " " + e.get("field") + " " + e.get("target")).collect(Collectors.toList());
    }
}
