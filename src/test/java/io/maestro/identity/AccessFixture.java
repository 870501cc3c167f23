package io.maestro.identity;

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
 * The access fixture shared by the access tests: users in every role, team A's records (some
 * shared at read with team R, at write with will, at admin with ada; some not), team R's records
 * linking to what was shared with it, and team O's records; who may read which, and a check that
 * no id or name of a record a role may not read appears in a response.
 */
abstract class AccessFixture extends IdentityTest {
    static final List<String> KINDS = List.of("servers", "applications", "databases", "loadbalancers", "datacenters", "systems", "clients");

    enum Role { MEMBER, TEAM_ADMIN, READ_SHARE, WRITE_SHARE, ADMIN_SHARE, OUTSIDER, READ_TOKEN, WRITE_TOKEN, REVOKED_TOKEN, ANONYMOUS, GLOBAL_ADMIN }

    /** One fixture record: its owning team key (A, R, O), whether it is shared (read R, write will, admin ada). */
    record Rec(String kind, String id, String name, String team, boolean shared) {
    }

    final Map<String, Rec> recs = new LinkedHashMap<>();
    final Map<Role, Supplier<Client>> clients = new HashMap<>();
    final Map<String, Map<String, Object>> adminSnapshot = new HashMap<>();
    String teamA;
    String teamR;
    String teamW;
    String teamO;
    List<Map<String, Object>> shares;
    int counter;

    // ---- the fixture

    void setUp() {
        user("alice");
        String adam = user("adam");
        user("rita");
        String will = user("will");
        String ada = user("ada");
        user("olga");
        teamA = team("team-a", "adam");
        member(teamA, recsUserId("alice"), "member", login("adam"));
        teamR = team("team-r", "rita");
        teamW = team("team-w", "will");
        team("team-d", "ada");
        teamO = team("team-o", "olga");
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

    String recsUserId(String username) {
        return jdbc.queryForObject("SELECT id FROM app_user WHERE username = ?", String.class, username);
    }

    String create(Client as, String kind, String team, boolean shared, Map<String, Object> body) {
        Response r = as.post("/" + kind, body);
        assertThat(r.status()).as(kind + " " + body + " -> " + r).isEqualTo(201);
        if (shared) share(kind, r.id());
        recs.put(r.id(), new Rec(kind, r.id(), (String) body.get("name"), team, shared));
        return r.id();
    }

    void share(String kind, String id) {
        Response r = admin().put("/" + kind + "/" + id + "/access", shares);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    // ---- who may read what

    Client client(Role role) {
        return clients.get(role).get();
    }

    static boolean mayRead(Role role, Rec r) {
        return switch (role) {
            case GLOBAL_ADMIN -> true;
            case ANONYMOUS, REVOKED_TOKEN -> false;
            case MEMBER, TEAM_ADMIN, READ_TOKEN, WRITE_TOKEN -> r.team().equals("A");
            case READ_SHARE -> r.team().equals("R") || r.shared();
            case WRITE_SHARE, ADMIN_SHARE -> r.shared();
            case OUTSIDER -> r.team().equals("O");
        };
    }

    /** Whether the role may change the record (PUT, PATCH, bulk update); a read token may not write at all. */
    static boolean mayWrite(Role role, Rec r) {
        return switch (role) {
            case READ_SHARE -> r.team().equals("R");
            case READ_TOKEN, ANONYMOUS, REVOKED_TOKEN -> false;
            default -> mayRead(role, r);
        };
    }

    /** Whether the role may delete the record, change its access or move it to another team. */
    static boolean mayAdmin(Role role, Rec r) {
        return switch (role) {
            case GLOBAL_ADMIN -> true;
            case TEAM_ADMIN -> r.team().equals("A");
            case ADMIN_SHARE -> r.shared();
            case OUTSIDER -> r.team().equals("O");
            case READ_SHARE -> r.team().equals("R");
            default -> false;
        };
    }

    Set<String> readable(Role role, String kind) {
        Set<String> out = new HashSet<>();
        recs.values().stream().filter(r -> r.kind().equals(kind) && mayRead(role, r)).forEach(r -> out.add(r.id()));
        return out;
    }

    /**
     * No id and no name of a record the role may not read appears in the response, except an id the
     * request itself named (a problem's {@code instance} repeats the request path).
     */
    void noLeak(Role role, Response r, String... named) {
        String text = r.text();
        for (String id : named) text = text.replace(id, "");
        for (Rec rec : recs.values()) {
            if (mayRead(role, rec)) continue;
            assertThat(text).as(role + " must not see " + rec).doesNotContain(rec.id());
            assertThat(text.toLowerCase()).as(role + " must not see " + rec).doesNotContain(rec.name().toLowerCase());
        }
        assertThat(text).doesNotContain("s3cret-in-matrix");
    }

    Rec main(String kind) {
        return recs.values().stream().filter(r -> r.kind().equals(kind) && r.team().equals("A") && r.shared()).findFirst().orElseThrow();
    }

    Set<String> readableAmong(Role role, String kind, String... names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            Rec r = byName(n);
            assertThat(r.kind()).isEqualTo(kind);
            if (mayRead(role, r)) out.add(r.id());
        }
        return out;
    }

    Rec byName(String name) {
        return recs.values().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    static List<String> ids(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) out.add(o instanceof Map<?, ?> m ? (String) m.get("id") : (String) o);
        return out;
    }

    // ---- the last case: sharers' writes kept what they could not see

    void fixtureIntact() {
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

    long version(String path) {
        Response r = admin().get(path);
        return r.status() == 200 ? ((Number) r.body().get("version")).longValue() : -1;
    }

    /** A body for PUT from what a read returned (read-only parts are ignored by the API anyway). */
    static Map<String, Object> editable(Map<String, Object> doc) {
        Map<String, Object> out = new LinkedHashMap<>(doc);
        out.remove("warnings");
        return out;
    }

    Map<String, Object> freshBody(String kind, Map<String, Object> extra) {
        String name = "fresh-" + (++counter);
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("name", name);
        if (kind.equals("servers")) body.put("hostname", name);
        if (kind.equals("databases")) body.put("engine", "MySQL");
        return body;
    }

    /** A new record of team A, shared like the fixture (as admin), for a delete case. */
    String fresh(String kind) {
        Response r = admin().post("/" + kind, freshBody(kind, Map.of("team_id", teamA)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        share(kind, r.id());
        return r.id();
    }

    static String table(String kind) {
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
