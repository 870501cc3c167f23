package io.maestro.identity;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Sharing, team rules, and bad input to them: each a clear 4xx problem and nothing changed. */
class AccessRulesTest extends IdentityTest {
    private String alice;
    private String bob;
    private String teamA;
    private String teamB;

    @BeforeEach
    void teams() {
        alice = user("alice");
        bob = user("bob");
        teamA = team("team-a", "alice");
        teamB = team("team-b", "bob");
    }

    @Test
    void sharingGrantsExactlyItsLevelAndCanBeTakenBack() {
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01", "name", "alpha-web")));
        String path = "/servers/" + server;
        problem(login("bob").get(path), 404);
        assertThat(login("bob").get("/servers?q=alpha").items()).isEmpty();

        Response shared = login("alice").put(path + "/access", List.of(Map.of("team_id", teamB, "level", "read")));
        assertThat(shared.status()).as(shared.toString()).isEqualTo(200);
        assertThat(shared.json()).isEqualTo(List.of(Map.of("team_id", teamB, "name", "team-b", "level", "read")));
        assertThat(login("bob").get(path).status()).isEqualTo(200);
        assertThat(login("bob").get("/servers?q=alpha").items()).extracting(i -> i.get("id")).containsExactly(server);
        problem(login("bob").patch(path, Map.of("description", "x")), 403);
        problem(login("bob").get(path + "/access"), 403);

        login("alice").put(path + "/access", List.of(Map.of("user_id", bob, "level", "write")));
        assertThat(login("bob").patch(path, Map.of("description", "by bob")).status()).isEqualTo(200);
        problem(login("bob").delete(path), 403);
        problem(login("bob").put(path + "/access", List.of()), 403);

        login("alice").put(path + "/access", List.of(Map.of("user_id", bob, "level", "admin")));
        assertThat(login("bob").get(path + "/access").status()).isEqualTo(200);
        // an admin share may change the access, and give it away
        assertThat(login("bob").put(path + "/access", List.of()).status()).isEqualTo(200);
        problem(login("bob").get(path), 404);
        assertThat(login("alice").get(path).body()).containsEntry("description", "by bob");
    }

    @Test
    void membersReadAndWriteTeamAdminsAlsoDeleteAndShare() {
        String carol = user("carol");
        member(teamA, carol, "member", login("alice"));
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        assertThat(login("carol").get("/servers/" + server).status()).isEqualTo(200);
        assertThat(login("carol").patch("/servers/" + server, Map.of("cpu", 4)).status()).isEqualTo(200);
        assertThat(login("carol").get("/servers/" + server + "/access").status()).isEqualTo(200);
        problem(login("carol").put("/servers/" + server + "/access", List.of(Map.of("team_id", teamB, "level", "read"))), 403);
        problem(login("carol").delete("/servers/" + server), 403);
        // a member's own records belong to the team: the member still may not delete them
        String own = created(login("carol").post("/servers", Map.of("hostname", "web02")));
        problem(login("carol").delete("/servers/" + own), 403);
        member(teamA, carol, "admin", login("alice"));
        assertThat(login("carol").delete("/servers/" + own).status()).isEqualTo(204);

        // leaving the team takes effect at once
        assertThat(login("carol").delete("/teams/" + teamA + "/members/" + carol).status()).isEqualTo(204);
        problem(login("carol").get("/servers/" + server), 404);
    }

    @Test
    void anotherTeamsRecordIs404LikeAnUnknownOne() {
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        String unknown = UUID.randomUUID().toString();
        for (String id : List.of(server, unknown)) {
            Response get = login("bob").get("/servers/" + id);
            problem(get, 404);
            assertThat(get.body().get("detail")).isEqualTo("Server not found");
            problem(login("bob").put("/servers/" + id, Map.of("hostname", "x")), 404);
            problem(login("bob").patch("/servers/" + id, Map.of("cpu", 1)), 404);
            problem(login("bob").delete("/servers/" + id), 404);
            problem(login("bob").get("/servers/" + id + "/access"), 404);
            problem(login("bob").put("/servers/" + id + "/access", List.of()), 404);
        }
        assertThat(admin().get("/servers/" + server).body()).containsEntry("version", 1);
    }

    @Test
    void creatingInAnotherTeamIs403AndStoresNothing() {
        problem(login("bob").post("/servers", Map.of("hostname", "web01", "team_id", teamA)), 403);
        problem(login("bob").post("/servers", Map.of("hostname", "web01", "team_id", UUID.randomUUID().toString())), 400);
        problem(login("bob").post("/servers", Map.of("hostname", "web01", "team_id", "team-a")), 400);
        user("nobody");
        Response teamless = login("nobody").post("/servers", Map.of("hostname", "web01"));
        problem(teamless, 400);
        assertThat(teamless.text()).contains("team_id");
        assertThat(count("SELECT COUNT(*) FROM server")).isZero();
    }

    @Test
    void linkingARecordOneCannotReadIs400ThatRevealsNothing() {
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        String db = created(login("alice").post("/databases", Map.of("name", "db", "engine", "MySQL")));
        String dc = created(login("alice").post("/datacenters", Map.of("name", "dc")));
        String unknown = UUID.randomUUID().toString();
        Response foreign = login("bob").post("/applications", Map.of("name", "app", "server_ids", List.of(server),
                "dependencies", List.of(Map.of("target_id", db, "protocol", "tcp"))));
        Response madeUp = login("bob").post("/applications", Map.of("name", "app", "server_ids", List.of(unknown),
                "dependencies", List.of(Map.of("target_id", unknown, "protocol", "tcp"))));
        problem(foreign, 400);
        problem(madeUp, 400);
        assertThat(foreign.text().replace(server, "X").replace(db, "X")).isEqualTo(madeUp.text().replace(unknown, "X"));
        assertThat(foreign.text()).contains("no server with id " + server).doesNotContain("web01");
        problem(login("bob").post("/servers", Map.of("hostname", "b01", "datacenter", Map.of("id", dc))), 400);
        problem(login("bob").post("/loadbalancers", Map.of("name", "lb", "target_ids", List.of(server))), 400);
        assertThat(count("SELECT COUNT(*) FROM application")).isZero();
        assertThat(count("SELECT COUNT(*) FROM relation")).isZero();
        assertThat(count("SELECT COUNT(*) FROM server WHERE team_id = '" + teamB + "'")).isZero();

        // the same on update: bob's own app stays as it was
        String app = created(login("bob").post("/applications", Map.of("name", "app")));
        problem(login("bob").patch("/applications/" + app, Map.of("server_ids", List.of(server))), 400);
        assertThat(login("bob").get("/applications/" + app).body()).containsEntry("version", 1).containsEntry("server_ids", List.of());
    }

    @Test
    void movingARecordToAnotherTeamNeedsAdminOnIt() {
        String carol = user("carol");
        member(teamA, carol, "member", login("alice"));
        member(teamB, carol, "member", login("bob"));
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        login("alice").put("/servers/" + server + "/access", List.of(Map.of("user_id", bob, "level", "write")));

        // a write share or a plain member cannot take the record away from its team
        problem(login("bob").patch("/servers/" + server, Map.of("team_id", teamB)), 403);
        problem(login("carol").patch("/servers/" + server, Map.of("team_id", teamB)), 403);
        // a team admin can, but only into a team they belong to
        problem(login("alice").patch("/servers/" + server, Map.of("team_id", teamB)), 403);
        assertThat(admin().get("/servers/" + server).body()).containsEntry("team_id", teamA).containsEntry("version", 1);
        member(teamB, alice, "member", login("bob"));
        Response moved = login("alice").patch("/servers/" + server, Map.of("team_id", teamB));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.body()).containsEntry("team_id", teamB);
    }

    @Test
    void duplicateWarningsStayWithinTheTeam() {
        String a1 = created(login("alice").post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1")));
        Response b1 = login("bob").post("/servers", Map.of("hostname", "WEB01", "ipv4_private", "10.0.0.1"));
        assertThat(b1.status()).isEqualTo(201);
        assertThat(b1.body()).doesNotContainKey("warnings");
        assertThat(b1.text()).doesNotContain(a1);
        Response a2 = login("alice").post("/servers", Map.of("hostname", "Web01"));
        assertThat(a2.body().get("warnings")).isEqualTo(List.of(Map.of("code", "duplicate_hostname", "field", "hostname",
                "message", "another server in this team has the same hostname", "conflicts", List.of(a1))));
    }

    @Test
    void badAccessBodiesAre400AndChangeNothing() {
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        String path = "/servers/" + server + "/access";
        List<Map<String, Object>> before = List.of(Map.of("team_id", teamB, "level", "read"));
        assertThat(login("alice").put(path, before).status()).isEqualTo(200);
        Object stored = login("alice").get(path).json();

        String randomTeam = UUID.randomUUID().toString();
        List<Object[]> bad = List.of(
                new Object[]{Map.of("team_id", teamB, "level", "read"), "body"},
                new Object[]{"\"read\"", "body"},
                new Object[]{List.of("read"), "[0]"},
                new Object[]{List.of(Map.of("team_id", teamB, "user_id", bob, "level", "read")), "[0]"},
                new Object[]{List.of(Map.of("level", "read")), "[0]"},
                new Object[]{List.of(Map.of("team_id", "team-b", "level", "read")), "[0].team_id"},
                new Object[]{List.of(Map.of("team_id", 42, "level", "read")), "[0].team_id"},
                new Object[]{List.of(Map.of("team_id", randomTeam, "level", "read")), "[0].team_id"},
                new Object[]{List.of(Map.of("user_id", randomTeam, "level", "read")), "[0].user_id"},
                new Object[]{List.of(Map.of("user_id", teamB, "level", "read")), "[0].user_id"},
                new Object[]{List.of(Map.of("team_id", teamB, "level", "owner")), "[0].level"},
                new Object[]{List.of(Map.of("team_id", teamB, "level", "READ")), "[0].level"},
                new Object[]{List.of(Map.of("team_id", teamB)), "[0].level"},
                new Object[]{List.of(Map.of("team_id", teamB, "level", 1)), "[0].level"},
                new Object[]{List.of(Map.of("team_id", teamB, "level", "read"), Map.of("team_id", teamB, "level", "write")), "[1].team_id"},
                new Object[]{List.of(Map.of("team_id", teamB, "level", "read", "role", "admin")), "[0].role"},
                new Object[]{"[{\"team_id\": ", "body"});
        for (Object[] b : bad) {
            Response r = login("alice").put(path, b[0]);
            problem(r, 400);
            assertThat(r.text()).as(String.valueOf(b[0])).contains("\"field\":\"" + b[1] + "\"");
            assertThat(login("alice").get(path).json()).isEqualTo(stored);
        }
        Response plain = login("alice").send("PUT", path, "[]", "text/plain");
        problem(plain, 415);
        problem(login("alice").get("/servers/not-an-id/access"), 404);
        String service = (String) admin().post("/services", Map.of("name", "Tomcat")).body().get("id");
        problem(admin().get("/services/" + service + "/access"), 404);
        problem(admin().put("/services/" + service + "/access", List.of()), 404);
        assertThat(login("alice").get(path).json()).isEqualTo(stored);
    }

    @Test
    void sharingWithAUserAndDeletingThatUserLeavesNoTrace() {
        String server = created(login("alice").post("/servers", Map.of("hostname", "web01")));
        login("alice").put("/servers/" + server + "/access", List.of(Map.of("user_id", bob, "level", "read")));
        String sys = created(login("alice").post("/systems", Map.of("name", "billing", "owner", bob)));
        assertThat(login("alice").get("/systems/" + sys).body()).containsEntry("owner", bob);
        assertThat(admin().delete("/users/" + bob).status()).isEqualTo(204);
        assertThat(count("SELECT COUNT(*) FROM record_access")).isZero();
        assertThat(login("alice").get("/systems/" + sys).body().get("owner")).isNull();
        assertThat(login("alice").get("/servers/" + server + "/access").json()).isEqualTo(List.of());
    }

    private static String created(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
