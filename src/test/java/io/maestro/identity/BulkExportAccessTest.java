package io.maestro.identity;

import io.maestro.core.Json;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.StringReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access matrix of the bulk and streaming endpoints, on the fixture of {@link AccessMatrixTest}:
 * {@code POST /{collection}/bulk} (rows in foreign teams, updates by id of records the caller may
 * not read or not change, links to unreadable records, upserts by instance id, moves to another
 * team), {@code GET /{collection}/export} in NDJSON and CSV, and the {@code next} cursors of lists,
 * as every role. Each case asserts statuses and per-row outcomes, that refused rows stored
 * nothing, that a record the caller may not read fails exactly like an unknown id, and that no id
 * or name of a record the role may not read appears anywhere in a body (cursors decoded).
 */
class BulkExportAccessTest extends AccessFixture {
    private String dc;
    private String instanceServer;

    @TestFactory
    List<DynamicTest> bulkExportAndCursors() {
        setUp();
        extras();
        List<DynamicTest> cases = new ArrayList<>();
        for (Role role : Role.values()) {
            for (String kind : KINDS) {
                cases.add(DynamicTest.dynamicTest(kind + " bulk create in foreign teams as " + role, () -> bulkCreate(kind, role)));
                cases.add(DynamicTest.dynamicTest(kind + " bulk update by id as " + role, () -> bulkUpdate(kind, role)));
            }
            cases.add(DynamicTest.dynamicTest("bulk duplicate warnings as " + role, () -> bulkWarnings(role)));
            cases.add(DynamicTest.dynamicTest("bulk links to unreadable records as " + role, () -> bulkLinks(role)));
            cases.add(DynamicTest.dynamicTest("bulk upsert by instance id as " + role, () -> bulkInstanceId(role)));
            cases.add(DynamicTest.dynamicTest("bulk move to another team as " + role, () -> bulkMove(role)));
            for (String kind : KINDS) {
                for (String format : List.of("ndjson", "csv")) {
                    cases.add(DynamicTest.dynamicTest(kind + " export " + format + " as " + role, () -> export(kind, format, role)));
                }
                cases.add(DynamicTest.dynamicTest(kind + " cursor walk as " + role, () -> cursorWalk(kind, role)));
                cases.add(DynamicTest.dynamicTest(kind + " cursors of other callers as " + role, () -> foreignCursors(kind, role)));
            }
        }
        cases.add(DynamicTest.dynamicTest("an id taken in another collection gives no access", this::noAccessThroughAnotherCollection));
        cases.add(DynamicTest.dynamicTest("no bulk write dropped a link the writer could not see", this::fixtureIntact));
        return cases;
    }

    /**
     * A server of team R with an instance id in team A's shared datacenter, and members of team W
     * besides will (so moves to a team the caller belongs to can be tried).
     */
    private void extras() {
        dc = main("datacenters").id();
        instanceServer = create(login("rita"), "servers", "R", false, Map.of("hostname", "mx-r-inst", "name", "mx-r-inst-server",
                "datacenter", Map.of("id", dc, "instance_id", "i-r")));
        recs.values().forEach(r -> adminSnapshot.put(r.id(), admin().get("/" + r.kind() + "/" + r.id()).body()));
        for (String u : List.of("alice", "adam", "ada")) member(teamW, recsUserId(u), "member", login("will"));
    }

    private static int bulkStatus(Role role) {
        return switch (role) {
            case ANONYMOUS, REVOKED_TOKEN -> 401;
            case READ_TOKEN -> 403;
            default -> 200;
        };
    }

    /** The teams whose members may create records there, by role. */
    private static boolean memberOf(Role role, String team) {
        return switch (role) {
            case GLOBAL_ADMIN -> true;
            case MEMBER, TEAM_ADMIN, WRITE_TOKEN -> team.equals("A");
            case READ_SHARE -> team.equals("R");
            case OUTSIDER -> team.equals("O");
            default -> false;
        };
    }

    // ---- bulk

    /** Row 0 in team A, row 1 in team O, row 2 in the caller's own team: only rows in the caller's teams are stored. */
    private void bulkCreate(String kind, Role role) {
        String tag = "bk" + (++counter);
        List<Object> rows = List.of(freshRow(kind, tag + "-0", Map.of("team_id", teamA)),
                freshRow(kind, tag + "-1", Map.of("team_id", teamO)), freshRow(kind, tag + "-2", Map.of()));
        Response r = client(role).post("/" + kind + "/bulk", rows);
        try {
            assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
            noLeak(role, r);
            Set<Integer> expectedFailed = new HashSet<>();
            if (r.status() == 200) {
                if (!memberOf(role, "A")) expectedFailed.add(0);
                if (!memberOf(role, "O")) expectedFailed.add(1);
                Map<Integer, List<Map<String, Object>>> failed = failed(r);
                assertThat(failed.keySet()).as(r.toString()).isEqualTo(expectedFailed);
                failed.values().forEach(errors -> assertThat(errors).extracting(e -> e.get("field")).containsOnly("team_id"));
                assertThat(r.body()).as(r.toString()).containsEntry("created", 3 - expectedFailed.size());
            } else {
                assertThat(r.contentType()).startsWith("application/problem+json");
                expectedFailed.addAll(List.of(0, 1, 2));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(named(kind, tag + "-" + i)).as("row " + i + " stored").isEqualTo(expectedFailed.contains(i) ? 0 : 1);
            }
        } finally {
            jdbc.queryForList("SELECT id FROM " + table(kind) + " WHERE name LIKE ?", String.class, tag + "-%")
                    .forEach(id -> admin().delete("/" + kind + "/" + id));
        }
    }

    /**
     * Updates by id of: the shared record of team A, a record of team A nobody else may read, team
     * O's record, and an id no record has. A record the caller may not read fails exactly like the
     * unknown id; one it may read but not change fails as such; refused rows change nothing.
     */
    private void bulkUpdate(String kind, Role role) {
        Client c = client(role);
        List<Rec> targets = new ArrayList<>();
        targets.add(main(kind));
        recs.values().stream().filter(x -> x.kind().equals(kind) && x.team().equals("A") && !x.shared()).findFirst().ifPresent(targets::add);
        recs.values().stream().filter(x -> x.kind().equals(kind) && x.team().equals("O")).findFirst().ifPresent(targets::add);
        String unknown = UUID.randomUUID().toString();
        List<Object> rows = new ArrayList<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (Rec t : targets) {
            String path = "/" + kind + "/" + t.id();
            versions.put(t.id(), version(path));
            if (role != Role.ANONYMOUS && role != Role.REVOKED_TOKEN && mayRead(role, t)) {
                Map<String, Object> row = editable(c.get(path).body());
                row.put("description", "bulk by " + role + " " + (++counter));
                rows.add(row);
            } else {
                rows.add(Map.of("id", t.id(), "description", "bulk by " + role));
            }
        }
        rows.add(freshRow(kind, "bk-unknown-" + (++counter), Map.of("id", unknown)));
        List<String> named = new ArrayList<>(targets.stream().map(Rec::id).toList());
        named.add(unknown);
        Response r = c.post("/" + kind + "/bulk", rows);
        try {
            checkUpdate(kind, role, r, targets, unknown, named, versions);
        } finally {
            jdbc.queryForList("SELECT id FROM " + table(kind) + " WHERE id = ?", String.class, UUID.fromString(unknown))
                    .forEach(id -> admin().delete("/" + kind + "/" + id));
        }
    }

    private void checkUpdate(String kind, Role role, Response r, List<Rec> targets, String unknown, List<String> named, Map<String, Long> versions) {
        assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
        noLeak(role, r, named.toArray(String[]::new));
        if (r.status() == 200) {
            Map<Integer, List<Map<String, Object>>> failed = failed(r);
            int unknownIndex = targets.size();
            assertThat(failed).as("an unknown id is not created: " + r).containsKey(unknownIndex);
            List<Map<String, Object>> unknownErrors = failed.get(unknownIndex);
            assertThat(unknownErrors.toString()).contains(unknown);
            for (int i = 0; i < targets.size(); i++) {
                Rec t = targets.get(i);
                if (mayWrite(role, t)) {
                    assertThat(failed).as(t + " " + r).doesNotContainKey(i);
                } else if (mayRead(role, t)) {
                    assertThat(failed).as(t + " " + r).containsKey(i);
                } else {
                    assertThat(failed.get(i)).as("%s fails like an unknown id: %s", t, r)
                            .isEqualTo(Json.parse(Json.write(unknownErrors).replace(unknown, t.id())));
                }
            }
        } else {
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        for (Rec t : targets) {
            long now = version("/" + kind + "/" + t.id());
            assertThat(now).as(t.toString()).isEqualTo(r.status() == 200 && mayWrite(role, t) ? versions.get(t.id()) + 1 : versions.get(t.id()));
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table(kind) + " WHERE id = ?", Long.class, UUID.fromString(unknown)))
                .as("a row with an unknown id stores nothing").isZero();
    }

    /**
     * Saving team A's shared server (hostname mx-a-srv, like team A's hidden MX-A-SRV and team O's
     * server) warns of duplicates in its team, naming only those the caller may read, as single writes do.
     */
    private void bulkWarnings(Role role) {
        Client c = client(role);
        Rec server = main("servers");
        String path = "/servers/" + server.id();
        boolean reads = role != Role.ANONYMOUS && role != Role.REVOKED_TOKEN && mayRead(role, server);
        Map<String, Object> row = reads ? editable(c.get(path).body()) : new LinkedHashMap<>(Map.of("id", server.id(), "hostname", "mx-a-srv"));
        row.put("description", "warned " + role);
        Response r = c.post("/servers/bulk", List.of(row));
        assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
        noLeak(role, r, server.id());
        if (r.status() != 200 || !mayWrite(role, server)) return;
        Response single = c.get(path);
        Object expected = single.body().get("warnings") == null ? List.of() : ((Map<?, ?>) ((List<?>) single.body().get("warnings")).get(0)).get("conflicts");
        List<?> warnings = (List<?>) r.body().get("warnings");
        Object conflicts = warnings.isEmpty() ? List.of() : ((Map<?, ?>) warnings.get(0)).get("conflicts");
        assertThat(conflicts).as("the conflicts a single read names: " + r).isEqualTo(expected);
        assertThat(ids(conflicts)).containsExactlyInAnyOrderElementsOf(readableAmong(role, "servers", "mx-a-hidden-server"));
    }

    /** New applications linking servers the caller may not read fail as single writes do (400, as for an unknown id). */
    private void bulkLinks(Role role) {
        Client c = client(role);
        String unknown = UUID.randomUUID().toString();
        List<Rec> servers = List.of(byName("mx-a-hidden-server"), byName("mx-o-server"), main("servers"));
        String tag = "bk" + (++counter);
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) rows.add(Map.of("name", tag + "-" + i, "server_ids", List.of(servers.get(i).id())));
        rows.add(Map.of("name", tag + "-u", "server_ids", List.of(unknown)));
        Response r = c.post("/applications/bulk", rows);
        try {
            assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
            List<String> named = new ArrayList<>(servers.stream().map(Rec::id).toList());
            named.add(unknown);
            noLeak(role, r, named.toArray(String[]::new));
            if (r.status() != 200) return;
            Map<Integer, List<Map<String, Object>>> failed = failed(r);
            List<Map<String, Object>> unknownErrors = failed.get(servers.size());
            Response single = c.post("/applications", Map.of("name", tag + "-single", "server_ids", List.of(unknown)));
            assertThat(single.status()).isEqualTo(400);
            assertThat(unknownErrors).as("the same errors as a single write").isEqualTo(single.body().get("errors"));
            for (int i = 0; i < servers.size(); i++) {
                Rec s = servers.get(i);
                if (mayRead(role, s)) {
                    assertThat(failed).as(s + " " + r).doesNotContainKey(i);
                } else {
                    assertThat(failed.get(i)).as("%s fails like an unknown id: %s", s, r)
                            .isEqualTo(Json.parse(Json.write(unknownErrors).replace(unknown, s.id())));
                }
                assertThat(named("applications", tag + "-" + i)).isEqualTo(mayRead(role, s) ? 1 : 0);
            }
        } finally {
            jdbc.queryForList("SELECT id FROM application WHERE name LIKE ?", String.class, tag + "-%")
                    .forEach(id -> admin().delete("/applications/" + id));
        }
    }

    /**
     * Upserts by (datacenter, instance id). Into team A's shared server (dry run): updates for whoever
     * may change it. Into team R's server in the same datacenter: only team R and global admins
     * update it; for anyone else the row fails without naming that server, and nothing changes.
     */
    private void bulkInstanceId(Role role) {
        Client c = client(role);
        Rec shared = main("servers");
        Response dry = c.post("/servers/bulk?dry_run=true", List.of(Map.of("hostname", "bk-inst", "name", "bk-inst-" + role,
                "datacenter", Map.of("id", dc, "region", "eu", "instance_id", "i-a"))));
        assertThat(dry.status()).as(dry.toString()).isEqualTo(bulkStatus(role));
        noLeak(role, dry, dc);
        if (dry.status() == 200) {
            if (mayWrite(role, shared)) {
                assertThat(dry.body()).as(dry.toString()).containsEntry("updated", 1).containsEntry("created", 0);
            } else {
                assertThat(dry.body()).as(dry.toString()).containsEntry("failed_count", 1).containsEntry("updated", 0);
            }
        }

        Rec inst = recs.get(instanceServer);
        long before = version("/servers/" + inst.id());
        Response r = c.post("/servers/bulk", List.of(Map.of("hostname", "mx-r-inst", "name", "mx-r-inst-server",
                "description", "upsert by " + role, "datacenter", Map.of("id", dc, "instance_id", "i-r"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
        noLeak(role, r, dc);
        boolean updates = r.status() == 200 && mayWrite(role, inst);
        if (r.status() == 200) {
            if (updates) {
                assertThat(r.body()).as(r.toString()).containsEntry("updated", 1).containsEntry("failed_count", 0);
            } else {
                assertThat(r.body()).as(r.toString()).containsEntry("updated", 0).containsEntry("created", 0).containsEntry("failed_count", 1);
            }
        }
        assertThat(version("/servers/" + inst.id())).isEqualTo(updates ? before + 1 : before);
        assertThat(named("servers", "mx-r-inst-server")).isEqualTo(1);
    }

    /** Moving a record to another team (here team W) takes record admin rights, as with single writes (dry run). */
    private void bulkMove(Role role) {
        Client c = client(role);
        Rec shared = main("servers");
        String path = "/servers/" + shared.id();
        Map<String, Object> row = role != Role.ANONYMOUS && role != Role.REVOKED_TOKEN && mayRead(role, shared)
                ? editable(c.get(path).body()) : new LinkedHashMap<>(Map.of("id", shared.id(), "hostname", "mx-a-srv"));
        row.put("team_id", teamW);
        Response r = c.post("/servers/bulk?dry_run=true", List.of(row));
        assertThat(r.status()).as(r.toString()).isEqualTo(bulkStatus(role));
        noLeak(role, r, shared.id());
        if (r.status() != 200) return;
        boolean inW = role != Role.READ_SHARE && role != Role.OUTSIDER;
        boolean allowed = inW && mayAdmin(role, shared);
        assertThat(r.body()).as(r.toString()).containsEntry("failed_count", allowed ? 0 : 1).containsEntry("updated", allowed ? 1 : 0);
        // the same move as a single write answers accordingly (and is undone)
        Response single = c.patch(path, Map.of("team_id", teamW));
        assertThat(single.status()).as(single.toString()).isEqualTo(allowed ? 200 : mayRead(role, shared) ? 403 : 404);
        if (allowed) assertThat(admin().patch(path, Map.of("team_id", teamA)).status()).isEqualTo(200);
    }

    // ---- export

    private void export(String kind, String format, Role role) throws Exception {
        Response r = client(role).get("/" + kind + "/export?format=" + format);
        boolean anon = role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN;
        assertThat(r.status()).as(r.toString()).isEqualTo(anon ? 401 : 200);
        noLeak(role, r);
        if (anon) return;
        List<String> ids = new ArrayList<>();
        if (format.equals("csv")) {
            try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(r.text()))) {
                for (CSVRecord rec : p) ids.add(rec.get("id"));
            }
        } else {
            r.text().lines().filter(l -> !l.isBlank()).forEach(l -> ids.add((String) ((Map<?, ?>) Json.parse(l)).get("id")));
        }
        assertThat(ids).as(kind + " " + format + " as " + role).containsExactlyInAnyOrderElementsOf(readable(role, kind));
    }

    // ---- cursors

    /** Walks the list a record at a time through {@code next} (plain, sorted by name, searched): every readable record once. */
    private void cursorWalk(String kind, Role role) {
        Client c = client(role);
        boolean anon = role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN;
        for (String query : List.of("", "&sort=-name", "&q=MX-&sort=updated_at")) {
            String next = "/api/v1/" + kind + "?size=1" + query;
            List<Object> seen = new ArrayList<>();
            int pages = 0;
            while (next != null && pages++ < 100) {
                Response page = c.get(next);
                assertThat(page.status()).as(page.toString()).isEqualTo(anon ? 401 : 200);
                noLeak(role, page);
                if (anon) return;
                page.items().forEach(i -> seen.add(i.get("id")));
                next = (String) page.body().get("next");
                if (next != null) noLeakInCursor(role, next);
            }
            assertThat(seen).as(kind + query + " as " + role).containsExactlyInAnyOrderElementsOf(readable(role, kind));
        }
    }

    /** Cursors taken from a global admin's walk (positioned on records of every team) show the role only what it may read. */
    private void foreignCursors(String kind, Role role) {
        Client c = client(role);
        boolean anon = role == Role.ANONYMOUS || role == Role.REVOKED_TOKEN;
        String next = "/api/v1/" + kind + "?size=1&sort=name";
        int pages = 0;
        while (next != null && pages++ < 100) {
            Response adminPage = admin().get(next);
            next = (String) adminPage.body().get("next");
            if (next == null) break;
            String cursor = next.substring(next.indexOf("cursor=") + 7);
            Response r = c.get("/" + kind + "?size=1000&sort=name&cursor=" + cursor);
            assertThat(r.status()).as(r.toString()).isEqualTo(anon ? 401 : 200);
            noLeak(role, r);
            if (anon) return;
            assertThat(r.items()).extracting(i -> (String) i.get("id")).isSubsetOf(readable(role, kind));
            assertThat(((Number) r.body().get("total")).intValue()).isEqualTo(readable(role, kind).size());
        }
    }

    private void noLeakInCursor(Role role, String next) {
        String cursor = URLDecoder.decode(next.substring(next.indexOf("cursor=") + 7).replaceAll("&.*", ""), StandardCharsets.UTF_8);
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        for (Rec rec : recs.values()) {
            if (mayRead(role, rec)) continue;
            assertThat(decoded).as(role + " cursor must not carry " + rec).doesNotContain(rec.id());
            assertThat(decoded.toLowerCase()).as(role + " cursor must not carry " + rec).doesNotContain(rec.name().toLowerCase());
        }
    }

    // ---- ids across collections

    /**
     * Sharing is per collection: an id of team A's hidden server cannot be taken for a new
     * application (bulk ids name existing records only), and a share of an application with that
     * id would not open the server.
     */
    private void noAccessThroughAnotherCollection() {
        Rec hidden = byName("mx-a-hidden-server");
        Client olga = login("olga");
        Response r = olga.post("/applications/bulk", List.of(Map.of("id", hidden.id(), "name", "mx-o-squatter")));
        assertThat(r.body()).as(r.toString()).containsEntry("failed_count", 1).containsEntry("created", 0);
        assertThat(named("applications", "mx-o-squatter")).isZero();
        jdbc.update("INSERT INTO record_access (record_id, kind, team_id, user_id, level) VALUES (?, 'applications', NULL, ?, 'admin')",
                UUID.fromString(hidden.id()), UUID.fromString(recsUserId("olga")));
        try {
            problem(olga.get("/servers/" + hidden.id()), 404);
            assertThat(olga.get("/servers?size=1000").text()).doesNotContain(hidden.id());
            assertThat(olga.get("/servers/export").text()).doesNotContain(hidden.id());
            problem(olga.get("/servers/" + hidden.id() + "/history"), 404);
            problem(olga.patch("/servers/" + hidden.id(), Map.of("description", "taken")), 404);
            problem(olga.get("/servers/" + hidden.id() + "/access"), 404);
        } finally {
            jdbc.update("DELETE FROM record_access WHERE kind = 'applications' AND record_id = ?", UUID.fromString(hidden.id()));
        }
    }

    // ---- helpers

    private Map<String, Object> freshRow(String kind, String name, Map<String, Object> extra) {
        Map<String, Object> row = new LinkedHashMap<>(extra);
        row.put("name", name);
        if (kind.equals("servers")) row.put("hostname", name);
        if (kind.equals("databases")) row.put("engine", "MySQL");
        return row;
    }

    private long named(String kind, String name) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table(kind) + " WHERE name = ?", Long.class, name);
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unchecked")
    private static Map<Integer, List<Map<String, Object>>> failed(Response r) {
        Map<Integer, List<Map<String, Object>>> out = new TreeMap<>();
        for (Object f : (List<?>) r.body().get("failed")) {
            Map<String, Object> m = (Map<String, Object>) f;
            out.put(((Number) m.get("index")).intValue(), (List<Map<String, Object>>) m.get("errors"));
        }
        return out;
    }
}
