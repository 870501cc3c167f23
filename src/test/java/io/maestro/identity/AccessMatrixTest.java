package io.maestro.identity;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access matrix: every endpoint of every inventory kind (list, q search, read with its
 * relation lists and counts, create, PUT, PATCH, DELETE, access GET and PUT), the catalogs and
 * the option lists, called as every role. Each case asserts the exact status and that no id or
 * name of a record the role may not read appears anywhere in the body; lists and searches must
 * return exactly the records the role may read. A final case checks that no write of a sharer
 * dropped the links it could not see.
 */
class AccessMatrixTest extends AccessFixture {
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

}
