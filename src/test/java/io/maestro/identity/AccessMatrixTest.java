package io.maestro.identity;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access matrix: every endpoint of every inventory kind (list, q search, read with its
 * relation lists and counts, create, PUT, PATCH, DELETE, access GET and PUT), the catalogs and
 * the option lists, called as every role. Each case asserts the exact status and that no id or
 * name of a record the role may not read appears anywhere in the body; lists and searches must
 * return exactly the records the role may read. A final case checks that no write of a sharer
 * dropped the links it could not see.
 */
class AccessMatrixTest extends IdentityTest {
    static final List<String> KINDS = List.of("servers", "applications", "databases", "loadbalancers", "datacenters", "systems", "clients");

    enum Role { MEMBER, TEAM_ADMIN, READ_SHARE, WRITE_SHARE, ADMIN_SHARE, OUTSIDER, READ_TOKEN, WRITE_TOKEN, REVOKED_TOKEN, ANONYMOUS, GLOBAL_ADMIN }

    enum Op { LIST, SEARCH, READ, CREATE, PUT, PATCH, DELETE, ACCESS_GET, ACCESS_PUT }

    /** Expected status per operation, in the order of {@link Role}. */
    static final Map<Op, int[]> EXPECTED = Map.of(
            //                 MEM  TADM  RSH  WSH  ASH  OUT  RTOK WTOK REV  ANON GADM
            Op.LIST, new int[]{200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 200},
            Op.SEARCH, new int[]{200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 200},
            Op.READ, new int[]{200, 200, 200, 200, 200, 404, 200, 200, 401, 401, 200},
            Op.CREATE, new int[]{201, 201, 403, 403, 403, 403, 403, 201, 401, 401, 201},
            Op.PUT, new int[]{200, 200, 403, 200, 200, 404, 403, 200, 401, 401, 200},
            Op.PATCH, new int[]{200, 200, 403, 200, 200, 404, 403, 200, 401, 401, 200},
            Op.DELETE, new int[]{403, 204, 403, 403, 204, 404, 403, 403, 401, 401, 204},
            Op.ACCESS_GET, new int[]{200, 200, 403, 403, 200, 404, 200, 200, 401, 401, 200},
            Op.ACCESS_PUT, new int[]{403, 200, 403, 403, 200, 404, 403, 403, 401, 401, 200});

    /** One fixture record: its owning team key (A, R, O), whether it is shared (read R, write will, admin ada). */
    record Rec(String kind, String id, String name, String team, boolean shared) {
    }

    private final Map<String, Rec> recs = new LinkedHashMap<>();
    private final Map<Role, Supplier<Client>> clients = new HashMap<>();
    private final Map<String, Map<String, Object>> adminSnapshot = new HashMap<>();
    private String teamA;
    private List<Map<String, Object>> shares;
    private int counter;

    @TestFactory
    List<DynamicTest> matrix() {
        setUp();
        List<DynamicTest> cases = new ArrayList<>();
        for (String kind : KINDS) {
            for (Op op : Op.values()) {
                for (Role role : Role.values()) {
                    int expected = EXPECTED.get(op)[role.ordinal()];
                    cases.add(DynamicTest.dynamicTest(kind + " " + op + " as " + role + " -> " + expected, () -> run(kind, op, role, expected)));
                }
            }
        }
        for (String catalog : List.of("services", "providers")) {
            for (Op op : List.of(Op.LIST, Op.READ, Op.CREATE, Op.PUT, Op.DELETE, Op.ACCESS_GET)) {
                for (Role role : Role.values()) {
                    int expected = catalogExpected(op, role);
                    cases.add(DynamicTest.dynamicTest(catalog + " " + op + " as " + role + " -> " + expected, () -> runCatalog(catalog, op, role, expected)));
                }
            }
        }
        for (Role role : Role.values()) {
            boolean anon = role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN;
            cases.add(DynamicTest.dynamicTest("options GET as " + role, () -> {
                Response r = client(role).get("/options");
                assertThat(r.status()).as(r.toString()).isEqualTo(anon ? 401 : 200);
            }));
            int put = anon ? 401 : role == Role.GLOBAL_ADMIN ? 200 : 403;
            cases.add(DynamicTest.dynamicTest("options PUT as " + role + " -> " + put, () -> {
                Object current = admin().get("/options/environment").body();
                Response r = client(role).put("/options/environment", current);
                assertThat(r.status()).as(r.toString()).isEqualTo(put);
                if (put != 200) assertThat(r.contentType()).startsWith("application/problem+json");
            }));
        }
        for (Role role : Role.values()) {
            cases.add(DynamicTest.dynamicTest("relations, counts and members as " + role, () -> relationsAs(role)));
        }
        cases.add(DynamicTest.dynamicTest("no write dropped a link the writer could not see", this::fixtureIntact));
        return cases;
    }

    // ---- the fixture

    private void setUp() {
        user("alice");
        String adam = user("adam");
        user("rita");
        String will = user("will");
        String ada = user("ada");
        user("olga");
        teamA = team("team-a", "adam");
        member(teamA, recsUserId("alice"), "member", login("adam"));
        String teamR = team("team-r", "rita");
        team("team-w", "will");
        team("team-d", "ada");
        team("team-o", "olga");
        assertThat(adam).isNotNull();
        shares = List.of(Map.of("team_id", teamR, "level", "read"), Map.of("user_id", will, "level", "write"),
                Map.of("user_id", ada, "level", "admin"));

        Client alice = login("alice");
        // team A: one shared record of each kind, plus records nobody outside A may see
        String dc = create(alice, "datacenters", "A", true, Map.of("name", "mx-a-dc", "provider", "AWS", "regions", List.of("eu")));
        String client = create(alice, "clients", "A", true, Map.of("name", "mx-a-client"));
        String sys = create(alice, "systems", "A", true, Map.of("name", "mx-a-sys", "client_ids", List.of(client)));
        String server = create(alice, "servers", "A", true, Map.of("hostname", "mx-a-srv", "name", "mx-a-server",
                "datacenter", Map.of("id", dc, "region", "eu", "instance_id", "i-a"),
                "auth", List.of(Map.of("name", "root", "username", "root", "secret", "s3cret-in-matrix"))));
        String hiddenServer = create(alice, "servers", "A", false, Map.of("hostname", "MX-A-SRV", "name", "mx-a-hidden-server"));
        String hiddenApp = create(alice, "applications", "A", false, Map.of("name", "mx-a-hidden-app"));
        String app = create(alice, "applications", "A", true, Map.of("name", "mx-a-app", "server_ids", List.of(server, hiddenServer),
                "system_ids", List.of(sys), "dependencies", List.of(Map.of("target_id", hiddenApp, "protocol", "rest"))));
        String db = create(alice, "databases", "A", true, Map.of("name", "mx-a-db", "engine", "MySQL", "server_ids", List.of(server),
                "datacenter_ids", List.of(dc), "system_ids", List.of(sys)));
        create(alice, "loadbalancers", "A", true, Map.of("name", "mx-a-lb", "service", "HAProxy", "server_ids", List.of(server),
                "target_ids", List.of(server, app, hiddenServer), "system_ids", List.of(sys)));
        Response entry = admin().patch("/systems/" + sys, Map.of("entry_application_ids", List.of(app)));
        assertThat(entry.status()).as(entry.toString()).isEqualTo(200);

        // team R (read share): its own records link to what was shared with it
        Client rita = login("rita");
        create(rita, "servers", "R", false, Map.of("hostname", "mx-r-srv", "name", "mx-r-server", "datacenter", Map.of("id", dc)));
        create(rita, "applications", "R", false, Map.of("name", "mx-r-app", "server_ids", List.of(server), "system_ids", List.of(sys)));
        create(rita, "databases", "R", false, Map.of("name", "mx-r-db", "engine", "PostgreSQL", "server_ids", List.of(server),
                "datacenter_ids", List.of(dc), "system_ids", List.of(sys)));

        // team O (outsider): one of each kind, one server with the same hostname as team A's
        Client olga = login("olga");
        String odc = create(olga, "datacenters", "O", false, Map.of("name", "mx-o-dc"));
        String osys = create(olga, "systems", "O", false, Map.of("name", "mx-o-sys"));
        String osrv = create(olga, "servers", "O", false, Map.of("hostname", "mx-a-srv", "name", "mx-o-server", "datacenter", Map.of("id", odc)));
        create(olga, "applications", "O", false, Map.of("name", "mx-o-app", "server_ids", List.of(osrv), "system_ids", List.of(osys)));
        create(olga, "databases", "O", false, Map.of("name", "mx-o-db", "engine", "Oracle", "server_ids", List.of(osrv)));
        create(olga, "loadbalancers", "O", false, Map.of("name", "mx-o-lb", "server_ids", List.of(osrv)));
        create(olga, "clients", "O", false, Map.of("name", "mx-o-client"));

        clients.put(Role.MEMBER, () -> login("alice"));
        clients.put(Role.TEAM_ADMIN, () -> login("adam"));
        clients.put(Role.READ_SHARE, () -> login("rita"));
        clients.put(Role.WRITE_SHARE, () -> login("will"));
        clients.put(Role.ADMIN_SHARE, () -> login("ada"));
        clients.put(Role.OUTSIDER, () -> login("olga"));
        String read = token("alice", "read");
        String write = token("alice", "write");
        Response revokedToken = login("alice").post("/tokens", Map.of("name", "old", "scope", "write"));
        assertThat(login("alice").delete("/tokens/" + revokedToken.id()).status()).isEqualTo(204);
        String revoked = (String) revokedToken.body().get("token");
        clients.put(Role.READ_TOKEN, () -> bearer(read));
        clients.put(Role.WRITE_TOKEN, () -> bearer(write));
        clients.put(Role.REVOKED_TOKEN, () -> bearer(revoked));
        clients.put(Role.ANONYMOUS, this::anonymous);
        clients.put(Role.GLOBAL_ADMIN, this::admin);

        for (Rec r : recs.values()) adminSnapshot.put(r.id(), admin().get("/" + r.kind() + "/" + r.id()).body());
    }

    private String recsUserId(String username) {
        return jdbc.queryForObject("SELECT id FROM app_user WHERE username = ?", String.class, username);
    }

    private String create(Client as, String kind, String team, boolean shared, Map<String, Object> body) {
        Response r = as.post("/" + kind, body);
        assertThat(r.status()).as(kind + " " + body + " -> " + r).isEqualTo(201);
        if (shared) share(kind, r.id());
        recs.put(r.id(), new Rec(kind, r.id(), (String) body.get("name"), team, shared));
        return r.id();
    }

    private void share(String kind, String id) {
        Response r = admin().put("/" + kind + "/" + id + "/access", shares);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    // ---- who may read what

    private Client client(Role role) {
        return clients.get(role).get();
    }

    private static boolean mayRead(Role role, Rec r) {
        return switch (role) {
            case GLOBAL_ADMIN -> true;
            case ANONYMOUS, REVOKED_TOKEN -> false;
            case MEMBER, TEAM_ADMIN, READ_TOKEN, WRITE_TOKEN -> r.team().equals("A");
            case READ_SHARE -> r.team().equals("R") || r.shared();
            case WRITE_SHARE, ADMIN_SHARE -> r.shared();
            case OUTSIDER -> r.team().equals("O");
        };
    }

    private Set<String> readable(Role role, String kind) {
        Set<String> out = new HashSet<>();
        recs.values().stream().filter(r -> r.kind().equals(kind) && mayRead(role, r)).forEach(r -> out.add(r.id()));
        return out;
    }

    /**
     * No id and no name of a record the role may not read appears in the response, except an id the
     * request itself named (a problem's {@code instance} repeats the request path).
     */
    private void noLeak(Role role, Response r, String... named) {
        String text = r.text();
        for (String id : named) text = text.replace(id, "");
        for (Rec rec : recs.values()) {
            if (mayRead(role, rec)) continue;
            assertThat(text).as(role + " must not see " + rec).doesNotContain(rec.id());
            assertThat(text.toLowerCase()).as(role + " must not see " + rec).doesNotContain(rec.name().toLowerCase());
        }
        assertThat(text).doesNotContain("s3cret-in-matrix");
    }

    private Rec main(String kind) {
        return recs.values().stream().filter(r -> r.kind().equals(kind) && r.team().equals("A") && r.shared()).findFirst().orElseThrow();
    }

    // ---- one case

    private void run(String kind, Op op, Role role, int expected) {
        Client c = client(role);
        Rec rec = main(kind);
        String path = "/" + kind + "/" + rec.id();
        long versionBefore = version(path);
        Response r = switch (op) {
            case LIST -> c.get("/" + kind + "?size=1000");
            case SEARCH -> c.get("/" + kind + "?q=MX-&size=1000");
            case READ -> c.get(path);
            case CREATE -> c.post("/" + kind, freshBody(kind, Map.of("team_id", teamA)));
            case PUT -> c.put(path, editable(readable(role, kind).contains(rec.id()) ? c.get(path).body() : admin().get(path).body()));
            case PATCH -> c.patch(path, Map.of("description", "patched by " + role));
            case DELETE -> c.delete("/" + kind + "/" + fresh(kind));
            case ACCESS_GET -> c.get(path + "/access");
            case ACCESS_PUT -> c.put(path + "/access", admin().get(path + "/access").json());
        };
        try {
            assertThat(r.status()).as(r.toString()).isEqualTo(expected);
            if (expected >= 400) assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
            noLeak(role, r, rec.id());
            if (op == Op.LIST || op == Op.SEARCH) {
                if (expected == 200) {
                    assertThat(r.items()).extracting(i -> (String) i.get("id")).as(role + " " + kind)
                            .containsExactlyInAnyOrderElementsOf(readable(role, kind));
                    assertThat(((Number) r.body().get("total")).intValue()).isEqualTo(readable(role, kind).size());
                }
            }
            if (op == Op.READ && expected == 200) assertThat(r.body()).containsEntry("id", rec.id());
            if ((op == Op.PUT || op == Op.PATCH) && expected != 200) {
                assertThat(version(path)).as("a refused write changes nothing").isEqualTo(versionBefore);
            }
            if (op == Op.ACCESS_GET && expected == 200) assertThat((List<?>) r.json()).hasSize(3);
            if (op == Op.ACCESS_PUT) assertThat((List<?>) admin().get(path + "/access").json()).hasSize(3);
        } finally {
            cleanUp(kind, op, r);
        }
    }

    private void cleanUp(String kind, Op op, Response r) {
        if (op == Op.CREATE && r.status() == 201) admin().delete("/" + kind + "/" + r.id());
        if (op == Op.DELETE) {
            jdbc.queryForList("SELECT id FROM " + table(kind) + " WHERE name LIKE 'fresh-%'", String.class)
                    .forEach(id -> admin().delete("/" + kind + "/" + id));
        }
    }

    private int catalogExpected(Op op, Role role) {
        if (role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN) return 401;
        return switch (op) {
            case LIST, READ -> 200;
            case ACCESS_GET -> 404;
            case CREATE -> role == Role.GLOBAL_ADMIN ? 201 : 403;
            case PUT -> role == Role.GLOBAL_ADMIN ? 200 : 403;
            case DELETE -> role == Role.GLOBAL_ADMIN ? 204 : 403;
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    private void runCatalog(String catalog, Op op, Role role, int expected) {
        Client c = client(role);
        String existing = (String) admin().get("/" + catalog + "?size=1").items().get(0).get("id");
        String name = "fresh-" + catalog + "-" + (++counter);
        Response r = switch (op) {
            case LIST -> c.get("/" + catalog);
            case READ -> c.get("/" + catalog + "/" + existing);
            case CREATE -> c.post("/" + catalog, Map.of("name", name));
            case PUT -> c.put("/" + catalog + "/" + existing, editable(admin().get("/" + catalog + "/" + existing).body()));
            case DELETE -> {
                Response made = admin().post("/" + catalog, Map.of("name", name));
                assertThat(made.status()).as(made.toString()).isEqualTo(201);
                yield c.delete("/" + catalog + "/" + made.id());
            }
            case ACCESS_GET -> c.get("/" + catalog + "/" + existing + "/access");
            default -> throw new IllegalArgumentException(op.name());
        };
        assertThat(r.status()).as(r.toString()).isEqualTo(expected);
        if (expected >= 400) assertThat(r.contentType()).startsWith("application/problem+json");
        noLeak(role, r);
        jdbc.queryForList("SELECT id FROM " + (catalog.equals("services") ? "service" : "provider") + " WHERE name LIKE 'fresh-%'", String.class)
                .forEach(id -> admin().delete("/" + catalog + "/" + id));
    }

    // ---- relation lists, counts, members, warnings: what each role sees on reads

    private void relationsAs(Role role) {
        Client c = client(role);
        Rec server = main("servers");
        Response s = c.get("/servers/" + server.id());
        if (!mayRead(role, server)) {
            assertThat(s.status()).isIn(401, 404);
            return;
        }
        noLeak(role, s);
        Map<String, Object> doc = s.body();
        assertThat(ids(doc.get("applications"))).as("applications of the server")
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "applications", "mx-a-app", "mx-r-app"));
        assertThat(ids(doc.get("databases"))).as("databases of the server")
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "databases", "mx-a-db", "mx-r-db"));
        assertThat(ids(doc.get("loadbalancers"))).containsExactlyInAnyOrderElementsOf(readableAmong(role, "loadbalancers", "mx-a-lb"));
        // every automatic service shows (MySQL, PostgreSQL, HAProxy); the source of one from a database the role cannot read does not
        assertThat((List<?>) doc.get("services")).hasSize(3);
        // the duplicate hostname in team A shows only to who may read it; team O's never
        List<?> warnings = (List<?>) doc.get("warnings");
        if (role == Role.READ_SHARE || role == Role.WRITE_SHARE || role == Role.ADMIN_SHARE) {
            assertThat(warnings).as("conflict the sharer cannot read").isNull();
        } else {
            assertThat(warnings).hasSize(1);
            assertThat(ids(((Map<?, ?>) warnings.get(0)).get("conflicts"))).containsExactly(byName("mx-a-hidden-server").id());
        }

        Response dc = c.get("/datacenters/" + main("datacenters").id());
        assertThat(dc.body().get("server_count")).as("server_count").isEqualTo(readableAmong(role, "servers", "mx-a-server", "mx-r-server").size());
        assertThat(ids(dc.body().get("databases"))).containsExactlyInAnyOrderElementsOf(readableAmong(role, "databases", "mx-a-db", "mx-r-db"));
        noLeak(role, dc);

        Response sys = c.get("/systems/" + main("systems").id());
        assertThat(ids(sys.body().get("applications"))).as("system members")
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "applications", "mx-a-app", "mx-r-app"));
        assertThat(ids(sys.body().get("databases"))).containsExactlyInAnyOrderElementsOf(readableAmong(role, "databases", "mx-a-db", "mx-r-db"));
        noLeak(role, sys);

        Response app = c.get("/applications/" + main("applications").id());
        assertThat(ids(app.body().get("server_ids"))).as("server_ids")
                .containsExactlyInAnyOrderElementsOf(readableAmong(role, "servers", "mx-a-server", "mx-a-hidden-server"));
        noLeak(role, app);
        Response lb = c.get("/loadbalancers/" + main("loadbalancers").id());
        noLeak(role, lb);
        Response list = c.get("/loadbalancers?size=1000");
        noLeak(role, list);
        Response services = c.get("/servers?size=1000");
        noLeak(role, services);
    }

    private Set<String> readableAmong(Role role, String kind, String... names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            Rec r = byName(n);
            assertThat(r.kind()).isEqualTo(kind);
            if (mayRead(role, r)) out.add(r.id());
        }
        return out;
    }

    private Rec byName(String name) {
        return recs.values().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> ids(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) out.add(o instanceof Map<?, ?> m ? (String) m.get("id") : (String) o);
        return out;
    }

    // ---- the last case: sharers' writes kept what they could not see

    private void fixtureIntact() {
        for (Rec r : recs.values()) {
            Map<String, Object> now = new LinkedHashMap<>(admin().get("/" + r.kind() + "/" + r.id()).body());
            Map<String, Object> before = new LinkedHashMap<>(adminSnapshot.get(r.id()));
            for (String volatileKey : List.of("version", "updated_at", "description")) {
                now.remove(volatileKey);
                before.remove(volatileKey);
            }
            assertThat(now).as(r.toString()).isEqualTo(before);
        }
    }

    // ---- helpers

    private long version(String path) {
        Response r = admin().get(path);
        return r.status() == 200 ? ((Number) r.body().get("version")).longValue() : -1;
    }

    /** A body for PUT from what a read returned (read-only parts are ignored by the API anyway). */
    private static Map<String, Object> editable(Map<String, Object> doc) {
        Map<String, Object> out = new LinkedHashMap<>(doc);
        out.remove("warnings");
        return out;
    }

    private Map<String, Object> freshBody(String kind, Map<String, Object> extra) {
        String name = "fresh-" + (++counter);
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("name", name);
        if (kind.equals("servers")) body.put("hostname", name);
        if (kind.equals("databases")) body.put("engine", "MySQL");
        return body;
    }

    /** A new record of team A, shared like the fixture (as admin), for a delete case. */
    private String fresh(String kind) {
        Response r = admin().post("/" + kind, freshBody(kind, Map.of("team_id", teamA)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        share(kind, r.id());
        return r.id();
    }

    private static String table(String kind) {
        return switch (kind) {
            case "servers" -> "server";
            case "applications" -> "application";
            case "databases" -> "database_instance";
            case "loadbalancers" -> "load_balancer";
            case "datacenters" -> "datacenter";
            case "systems" -> "business_system";
            case "clients" -> "client";
            default -> throw new IllegalArgumentException(kind);
        };
    }
}
