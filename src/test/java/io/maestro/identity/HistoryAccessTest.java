package io.maestro.identity;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access matrix of history, on the fixture of {@link AccessMatrixTest}: a record's history
 * (also after it was deleted), the change feed, lists and reads {@code as_of} an instant, and
 * restore, as every role. Histories and old versions show only records the caller may read, and
 * the changes and documents in them no id or name of a record it may not read: a link to a hidden
 * record, the source of an automatic service entry, a datacenter of another team.
 */
class HistoryAccessTest extends AccessFixture {
    private static final Set<String> CATALOGS = Set.of("services", "providers");

    /** After the fixture and the extras: every record exists, the gone ones too. */
    private String t1;
    /** While team A's shared server stood in team A's hidden datacenter. */
    private String tHiddenDc;
    private String hiddenDc;

    @TestFactory
    List<DynamicTest> history() {
        setUp();
        extras();
        List<DynamicTest> cases = new ArrayList<>();
        for (Role role : Role.values()) {
            for (String kind : KINDS) {
                cases.add(DynamicTest.dynamicTest(kind + " history of the shared record as " + role, () -> recordHistory(role, main(kind))));
                cases.add(DynamicTest.dynamicTest(kind + " list as_of as " + role, () -> listAsOf(kind, role)));
                cases.add(DynamicTest.dynamicTest(kind + " read as_of as " + role, () -> readAsOf(role, main(kind), t1)));
            }
            for (String name : List.of("mx-a-hidden-app", "mx-o-server", "mx-a-hidden-server", "mx-r-db", "mx-a-gone-app", "mx-o-gone-server")) {
                cases.add(DynamicTest.dynamicTest("history of " + name + " as " + role, () -> recordHistory(role, byName(name))));
                cases.add(DynamicTest.dynamicTest("read as_of of " + name + " as " + role, () -> readAsOf(role, byName(name), t1)));
            }
            cases.add(DynamicTest.dynamicTest("read as_of while in a hidden datacenter as " + role, () -> readAsOf(role, main("servers"), tHiddenDc)));
            cases.add(DynamicTest.dynamicTest("reverse relations as_of as " + role, () -> referencedByAsOf(role)));
            cases.add(DynamicTest.dynamicTest("feed as " + role, () -> feed(role, "/history?size=1000", null)));
            cases.add(DynamicTest.dynamicTest("feed of servers, a page at a time, as " + role, () -> feed(role, "/history?kind=servers&size=3", "servers")));
        }
        for (Role role : Role.values()) {
            for (String kind : List.of("servers", "applications", "loadbalancers")) {
                cases.add(DynamicTest.dynamicTest(kind + " restore of the shared record as " + role, () -> restore(role, main(kind))));
            }
            for (String name : List.of("mx-a-hidden-app", "mx-o-server", "mx-a-gone-app", "mx-o-gone-server")) {
                cases.add(DynamicTest.dynamicTest("restore of " + name + " as " + role, () -> restore(role, byName(name))));
            }
        }
        cases.add(DynamicTest.dynamicTest("no restore dropped a link the restorer could not see", this::fixtureIntact));
        return cases;
    }

    /**
     * Team A's shared server moves to a datacenter only team A reads and back; an application of
     * team A (unshared, linking the shared server) and a server of team O are created and, after
     * t1, deleted.
     */
    private void extras() {
        Client alice = login("alice");
        hiddenDc = create(alice, "datacenters", "A", false, Map.of("name", "mx-a-hidden-dc", "regions", List.of("eu")));
        String server = "/servers/" + main("servers").id();
        Map<String, Object> dc = Map.of("id", main("datacenters").id(), "region", "eu", "instance_id", "i-a");
        assertThat(alice.patch(server, Map.of("datacenter", Map.of("id", hiddenDc, "region", "eu", "instance_id", "i-a"))).status()).isEqualTo(200);
        tHiddenDc = clock.mark();
        assertThat(alice.patch(server, Map.of("datacenter", dc)).status()).isEqualTo(200);
        create(alice, "applications", "A", false, Map.of("name", "mx-a-gone-app",
                "server_ids", List.of(byName("mx-a-hidden-server").id(), main("servers").id())));
        create(login("olga"), "servers", "O", false, Map.of("hostname", "mx-o-gone", "name", "mx-o-gone-server"));
        t1 = clock.mark();
        assertThat(login("adam").delete("/applications/" + byName("mx-a-gone-app").id()).status()).isEqualTo(204);
        assertThat(login("olga").delete("/servers/" + byName("mx-o-gone-server").id()).status()).isEqualTo(204);
        recs.values().stream().filter(r -> !r.name().contains("gone"))
                .forEach(r -> adminSnapshot.put(r.id(), admin().get("/" + r.kind() + "/" + r.id()).body()));
    }

    /** The records deleted on purpose are gone; every other one is as it was. */
    @Override
    void fixtureIntact() {
        recs.values().removeIf(r -> r.name().contains("gone"));
        super.fixtureIntact();
    }

    private static boolean anonymous(Role role) {
        return role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN;
    }

    // ---- reads

    private void recordHistory(Role role, Rec rec) {
        Response r = client(role).get("/" + rec.kind() + "/" + rec.id() + "/history");
        int expected = anonymous(role) ? 401 : mayRead(role, rec) ? 200 : 404;
        assertThat(r.status()).as(r.toString()).isEqualTo(expected);
        noLeak(role, r, rec.id());
        if (expected != 200) {
            assertThat(r.contentType()).startsWith("application/problem+json");
            return;
        }
        assertThat(r.items()).isNotEmpty();
        assertThat(r.items().get(r.items().size() - 1)).containsEntry("action", "create");
        assertThat(((Number) r.body().get("total")).intValue()).isEqualTo(r.items().size());
        sameReadableIds(role, r, admin().get("/" + rec.kind() + "/" + rec.id() + "/history"));
    }

    /** Hiding is exact: every record named in a global admin's answer that the role may read is named in the role's too. */
    private void sameReadableIds(Role role, Response mine, Response all) {
        for (Rec other : recs.values()) {
            if (mayRead(role, other) && all.text().contains(other.id())) {
                assertThat(mine.text()).as(role + " still sees " + other).contains(other.id());
            }
        }
    }

    private void listAsOf(String kind, Role role) {
        Response r = client(role).get("/" + kind + "?size=1000&as_of=" + t1);
        assertThat(r.status()).as(r.toString()).isEqualTo(anonymous(role) ? 401 : 200);
        noLeak(role, r);
        if (anonymous(role)) return;
        Set<String> expected = readable(role, kind);
        assertThat(r.items()).extracting(i -> (String) i.get("id")).as(kind + " as of t1 as " + role).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(((Number) r.body().get("total")).intValue()).isEqualTo(expected.size());
    }

    private void readAsOf(Role role, Rec rec, String at) {
        Response r = client(role).get("/" + rec.kind() + "/" + rec.id() + "?as_of=" + at);
        int expected = anonymous(role) ? 401 : mayRead(role, rec) ? 200 : 404;
        assertThat(r.status()).as(r.toString()).isEqualTo(expected);
        noLeak(role, r, rec.id());
        if (expected == 200) {
            assertThat(r.body()).containsEntry("id", rec.id());
            sameReadableIds(role, r, admin().get("/" + rec.kind() + "/" + rec.id() + "?as_of=" + at));
        }
    }

    /**
     * The shared server read as of t1 lists the records that linked to it then (the application
     * deleted since included) that the role may read, and no other.
     */
    private void referencedByAsOf(Role role) {
        Response r = client(role).get("/servers/" + main("servers").id() + "?as_of=" + t1);
        if (!mayRead(role, main("servers"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(anonymous(role) ? 401 : 404);
            return;
        }
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(ids(r.body().get("applications"))).as("applications as " + role)
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "applications", "mx-a-app", "mx-r-app", "mx-a-gone-app"));
        assertThat(ids(r.body().get("databases"))).as("databases as " + role)
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "databases", "mx-a-db", "mx-r-db"));
        assertThat(ids(r.body().get("loadbalancers"))).as("load balancers as " + role)
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "loadbalancers", "mx-a-lb"));
        noLeak(role, r);
    }

    /** The feed (following {@code next}) holds entries of exactly the records the role may read, and of the catalogs. */
    private void feed(Role role, String first, String kind) {
        Set<String> seen = new HashSet<>();
        Set<Object> seqs = new HashSet<>();
        String next = first;
        int pages = 0;
        while (next != null && pages++ < 500) {
            Response r = client(role).get(next);
            assertThat(r.status()).as(r.toString()).isEqualTo(anonymous(role) ? 401 : 200);
            noLeak(role, r);
            if (anonymous(role)) return;
            assertThat(r.text()).doesNotContain("s3cret-in-matrix");
            for (Map<String, Object> e : r.items()) {
                assertThat(seqs.add(e.get("seq"))).as("entry seen twice").isTrue();
                if (kind != null) assertThat(e).containsEntry("kind", kind);
                if (!CATALOGS.contains((String) e.get("kind"))) seen.add((String) e.get("id"));
            }
            next = (String) r.body().get("next");
        }
        Set<String> expected = new HashSet<>();
        for (String k : kind == null ? KINDS : List.of(kind)) expected.addAll(readable(role, k));
        assertThat(seen).as("records in the feed of " + role).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * History belongs to the team that owned the record when it changed (the feed's predicate on
     * each entry): after a move from team A to team O, team A keeps its own entries and sees none
     * of team O's, and team O sees the record's entries from the move on.
     */
    @Test
    void aMovedRecordsHistoryIsSplitByTeam() {
        user("alice");
        user("olga");
        String teamA = team("team-a", "alice");
        String teamO = team("team-o", "olga");
        String id = admin().post("/servers", Map.of("hostname", "mv1", "name", "mx-moved", "team_id", teamA)).id();
        String path = "/servers/" + id;
        assertThat(login("alice").patch(path, Map.of("description", "kept by a")).status()).isEqualTo(200);
        String beforeMove = clock.mark();
        assertThat(admin().patch(path, Map.of("team_id", teamO)).status()).isEqualTo(200);
        assertThat(login("olga").patch(path, Map.of("description", "plan of o")).status()).isEqualTo(200);

        Response a = login("alice").get(path + "/history");
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        assertThat(a.items()).extracting(e -> e.get("actor")).containsExactly("alice", "admin");
        assertThat(a.items()).extracting(e -> e.get("action")).containsExactly("update", "create");
        assertThat(a.text()).doesNotContain("plan of o", teamO);
        assertThat(login("alice").get("/history?kind=servers").items()).extracting(e -> e.get("version")).containsExactly(2, 1);
        assertThat(login("alice").get(path + "?as_of=" + beforeMove).status()).isEqualTo(200);
        problem(login("alice").get(path + "?as_of=" + clock.mark()), 404);
        problem(login("alice").get(path), 404);

        Response o = login("olga").get(path + "/history");
        assertThat(o.items()).extracting(e -> e.get("actor")).containsExactly("olga", "admin");
        assertThat(o.items()).extracting(e -> e.get("version")).containsExactly(4, 3);
        problem(login("olga").get(path + "?as_of=" + beforeMove), 404);
    }

    // ---- restore

    private void restore(Role role, Rec rec) {
        String path = "/" + rec.kind() + "/" + rec.id();
        boolean gone = rec.name().contains("gone");
        long versionBefore = version(path);
        Response r = client(role).post(path + "/restore?as_of=" + t1, null);
        int expected = anonymous(role) ? 401 : role == Role.READ_TOKEN ? 403 : !mayRead(role, rec) ? 404 : mayWrite(role, rec) ? 200 : 403;
        try {
            assertThat(r.status()).as(r.toString()).isEqualTo(expected);
            noLeak(role, r, rec.id());
            if (expected != 200) {
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(version(path)).as("a refused restore changes nothing").isEqualTo(versionBefore);
            } else {
                assertThat(r.body()).containsEntry("id", rec.id());
            }
        } finally {
            if (gone && r.status() == 200) assertThat(admin().delete(path).status()).isEqualTo(204);
        }
    }
}
