package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** /servers: every field of the contract, name from hostname, secrets, duplicates, instance ids. */
class ServerApiTest extends KindApiTest {
    private static final String SECRET = "s3cr3t-Pa55word-in-plain-text";

    @Override
    String path() {
        return "/servers";
    }

    @Override
    List<String> contractFields() {
        return List.of("hostname", "ipv4_private", "ipv4_public", "os", "cpu", "memory", "role", "environment", "storage", "datacenter", "auth", "services");
    }

    @Override
    List<String> reverseLists() {
        return List.of("applications", "databases", "loadbalancers", "volumes");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"hostname\": \"web01\"}");
    }

    @Override
    Map<String, Object> full() {
        String dc = admin().post("/datacenters", json("{\"name\": \"dc-full\", \"regions\": [\"eu-west-1\"]}")).id();
        return json("""
                {"hostname": "web02.example.com", "name": "web two", "description": "front web server",
                 "ipv4_private": "10.0.0.12", "ipv4_public": "203.0.113.12",
                 "os": {"base": "Linux", "dist": "Debian", "version": "12"},
                 "cpu": 8, "memory": 16.5, "role": "Application", "environment": "Production",
                 "storage": [{"name": "root", "mount": "/", "size_gb": 50, "root": true},
                             {"name": "data", "mount": "/data", "size_gb": 500.5, "root": false}],
                 "datacenter": {"id": "%s", "region": "eu-west-1", "zone": "eu-west-1a", "instance_id": "i-0abc"},
                 "auth": [{"name": "ops", "type": "PKI", "username": "ops", "secret": "%s"},
                          {"name": "console", "type": "Password", "username": "root"}],
                 "services": [{"name": "Nginx", "version": "1.24", "status": "Active"}],
                 "tags": [{"key": "owner", "value": "web"}, {"key": "tier", "value": "front"}]}
                """, dc, SECRET);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> expected = new LinkedHashMap<>(full);
        expected.put("storage", List.of(
                json("{\"name\": \"root\", \"mount\": \"/\", \"size_gb\": 50.0, \"root\": true}"),
                json("{\"name\": \"data\", \"mount\": \"/data\", \"size_gb\": 500.5, \"root\": false}")));
        expected.put("auth", List.of(
                json("{\"name\": \"ops\", \"type\": \"PKI\", \"username\": \"ops\", \"has_secret\": true}"),
                json("{\"name\": \"console\", \"type\": \"Password\", \"username\": \"root\", \"has_secret\": false}")));
        expected.put("services", List.of(json("""
                {"service_id": "%s", "name": "Nginx", "version": "1.24", "status": "Active", "origin": "manual"}""", serviceId("Nginx"))));
        return expected;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"environment\": \"Development\", \"cpu\": 16}");
    }

    String serviceId(String name) {
        return admin().get("/services?name=" + name).items().get(0).get("id").toString();
    }

    @Test
    void nameDefaultsToHostnameAndTypesAreJsonTypes() {
        Map<String, Object> s = admin().post("/servers", json("{\"hostname\": \"db01\", \"cpu\": 4, \"memory\": 8}")).body();
        assertThat(s).containsEntry("name", "db01").containsEntry("hostname", "db01");
        assertThat(s.get("cpu")).isEqualTo(4);
        assertThat(s.get("memory")).isEqualTo(8.0);
        assertThat(s.get("os")).isNull();
        assertThat(s.get("datacenter")).isNull();
        assertThat(s.get("storage")).isEqualTo(List.of());
        assertThat(s.get("auth")).isEqualTo(List.of());
        assertThat(s.get("services")).isEqualTo(List.of());
        assertThat(s.get("tags")).isEqualTo(List.of());
        assertThat(s).containsKeys("id", "team_id", "created_at", "updated_at", "version", "ipv4_private", "ipv4_public", "role",
                "environment", "description");

        // a nested object shows all its names once any is set
        Map<String, Object> partial = admin().post("/servers", json("{\"hostname\": \"db02\", \"os\": {\"base\": \"linux\"}, "
                + "\"datacenter\": {\"zone\": \"z1\"}}")).body();
        assertThat(partial.get("os")).isEqualTo(json("{\"base\": \"Linux\", \"dist\": null, \"version\": null}"));
        assertThat(partial.get("datacenter")).isEqualTo(json("{\"id\": null, \"region\": null, \"zone\": \"z1\", \"instance_id\": null}"));
    }

    @Test
    void singleReadListsTheApplicationsDatabasesAndLoadBalancersOnIt() {
        String server = admin().post("/servers", minimal()).id();
        assertThat(admin().get("/servers/" + server).body())
                .containsEntry("applications", List.of()).containsEntry("databases", List.of()).containsEntry("loadbalancers", List.of());
        String app = admin().post("/applications", json("{\"name\": \"shop\", \"server_ids\": [\"%s\"]}", server)).id();
        String db = admin().post("/databases", json("{\"name\": \"shopdb\", \"engine\": \"PostgreSQL\", \"server_ids\": [\"%s\"]}", server)).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"lb1\", \"target_ids\": [\"%s\"]}", server)).id();

        Map<String, Object> read = admin().get("/servers/" + server).body();
        assertThat(ids(read.get("applications"))).containsExactly(app);
        assertThat(ids(read.get("databases"))).containsExactly(db);
        assertThat(ids(read.get("loadbalancers"))).containsExactly(lb);
        assertThat(map(list(read.get("applications")).get(0))).containsEntry("name", "shop");
    }

    @Test
    void readOnlyFieldsSentOnCreateAreIgnoredAndLocationIsTheRecordsUrl() {
        Response r = admin().post("/servers?source=script", json("""
                {"hostname": "h1", "id": "11111111-1111-1111-1111-111111111111", "version": 7,
                 "created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z"}"""));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.id()).isNotEqualTo("11111111-1111-1111-1111-111111111111");
        assertThat(r.body()).containsEntry("version", 1);
        assertThat((String) r.body().get("created_at")).doesNotStartWith("2000");
        assertThat(r.header("Location")).endsWith("/api/v1/servers/" + r.id());
    }

    // ---- secrets

    @Test
    void anEmptySecretIsNoSecretAndKeepsTheStoredOne() {
        Response r = admin().post("/servers", json("{\"hostname\": \"h\", \"auth\": [{\"name\": \"a\", \"secret\": \"\"}]}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(hasSecret(r.body(), "a")).isFalse();

        admin().patch("/servers/" + r.id(), json("{\"auth\": [{\"name\": \"a\", \"secret\": \"pw\"}]}"));
        Object sealed = storedSecret(r.id());
        assertThat(sealed).isNotNull();
        // a form that leaves the password field empty does not wipe the password
        Response kept = admin().patch("/servers/" + r.id(), json("{\"auth\": [{\"name\": \"a\", \"username\": \"x\", \"secret\": \"\"}]}"));
        assertThat(hasSecret(kept.body(), "a")).isTrue();
        assertThat(storedSecret(r.id())).isEqualTo(sealed);
        // null says: no secret
        Response cleared = admin().patch("/servers/" + r.id(), json("{\"auth\": [{\"name\": \"a\", \"secret\": null}]}"));
        assertThat(hasSecret(cleared.body(), "a")).isFalse();
    }

    @Test
    void authSecretsAreWriteOnlyAndStoredEncrypted() {
        Response created = admin().post("/servers", full());
        String id = created.id();
        assertThat(created.text()).doesNotContain(SECRET).doesNotContain("\"secret\"");
        assertThat(admin().get("/servers/" + id).text()).doesNotContain(SECRET).doesNotContain("\"secret\"");
        assertThat(admin().get("/servers").text()).doesNotContain(SECRET).doesNotContain("\"secret\"");
        assertThat(admin().get("/servers?q=web02").text()).doesNotContain(SECRET);

        String stored = storedAuth(id);
        assertThat(stored).doesNotContain(SECRET).contains("\"ops\"");

        // sent back without the secret (GET-edit-PUT), the secret is kept
        Map<String, Object> read = admin().get("/servers/" + id).body();
        read.put("description", "edited");
        Response put = admin().put("/servers/" + id, read);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.text()).doesNotContain(SECRET);
        assertThat(hasSecret(put.body(), "ops")).isTrue();
        assertThat(storedAuth(id)).isEqualTo(stored);

        Response patched = admin().patch("/servers/" + id, json("{\"cpu\": 2}"));
        assertThat(patched.text()).doesNotContain(SECRET);
        assertThat(hasSecret(patched.body(), "ops")).isTrue();
        assertThat(storedAuth(id)).isEqualTo(stored);

        // a new secret replaces it, still encrypted
        Response changed = admin().patch("/servers/" + id, json("""
                {"auth": [{"name": "ops", "type": "ssh key", "username": "ops", "secret": "another-plain-secret"}]}"""));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.text()).doesNotContain("another-plain-secret");
        assertThat(list(changed.body().get("auth"))).containsExactly(
                json("{\"name\": \"ops\", \"type\": \"PKI\", \"username\": \"ops\", \"has_secret\": true}"));
        assertThat(storedAuth(id)).isNotEqualTo(stored).doesNotContain("another-plain-secret");
    }

    private String storedAuth(String id) {
        return jdbc.queryForObject("SELECT auth FROM server WHERE id = ?", String.class, UUID.fromString(id));
    }

    private Object storedSecret(String id) {
        return map(list(io.maestro.core.Json.parse(storedAuth(id))).get(0)).get("secret");
    }

    @SuppressWarnings("unchecked")
    private static boolean hasSecret(Map<String, Object> server, String authName) {
        return ((List<Map<String, Object>>) server.get("auth")).stream()
                .filter(a -> authName.equals(a.get("name"))).findFirst().orElseThrow().get("has_secret").equals(true);
    }

    // ---- duplicate warnings

    @Test
    void duplicateHostnameIgnoringCaseAndDuplicatePrivateIpAreSavedWithWarnings() {
        Response first = admin().post("/servers", json("{\"hostname\": \"web01\", \"ipv4_private\": \"10.0.0.1\"}"));
        assertThat(first.body()).doesNotContainKey("warnings");

        Response second = admin().post("/servers", json("{\"hostname\": \"WEB01\", \"ipv4_private\": \"10.0.0.1\"}"));
        assertThat(second.status()).isEqualTo(201);
        @SuppressWarnings("unchecked") Map<String, Object> w = ((List<Map<String, Object>>) second.body().get("warnings")).get(0);
        assertThat(w).containsKeys("code", "field", "conflicts");
        assertThat(warnings(second.body())).containsExactly(
                "duplicate_hostname hostname [" + first.id() + "]",
                "duplicate_ipv4_private ipv4_private [" + first.id() + "]");
        assertThat(admin().get("/servers").body()).containsEntry("total", 2);
        // reads show the warnings too, and a read sent back is accepted with them
        Map<String, Object> read = admin().get("/servers/" + second.id()).body();
        assertThat(warnings(read)).hasSize(2);
        Response putBack = admin().put("/servers/" + second.id(), read);
        assertThat(putBack.status()).as(putBack.toString()).isEqualTo(200);
        assertThat(warnings(putBack.body())).hasSize(2);

        // an update that makes a duplicate says so too
        String third = admin().post("/servers", json("{\"hostname\": \"web03\", \"ipv4_private\": \"10.0.0.3\"}")).id();
        Response updated = admin().patch("/servers/" + third, json("{\"ipv4_private\": \"10.0.0.1\"}"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(warnings(updated.body())).singleElement().asString().startsWith("duplicate_ipv4_private ipv4_private");
        assertThat(conflicts(updated.body(), "duplicate_ipv4_private")).containsExactlyInAnyOrder(first.id(), second.id());
        Response unique = admin().patch("/servers/" + third, json("{\"ipv4_private\": \"10.0.0.4\"}"));
        assertThat(unique.body()).doesNotContainKey("warnings");
    }

    @Test
    void duplicatesInAnotherTeamAreNotWarnedAbout() {
        UUID other = UUID.randomUUID();
        jdbc.update("INSERT INTO team (id, name, email, created_at) VALUES (?, ?, NULL, ?)", other, "other-" + other, OffsetDateTime.now());
        try {
            admin().post("/servers", json("{\"hostname\": \"web01\", \"ipv4_private\": \"10.0.0.1\"}"));
            Response elsewhere = admin().post("/servers",
                    json("{\"hostname\": \"web01\", \"ipv4_private\": \"10.0.0.1\", \"team_id\": \"%s\"}", other));
            assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(201);
            assertThat(elsewhere.body()).containsEntry("team_id", other.toString()).doesNotContainKey("warnings");
            admin().post("/applications", json("{\"name\": \"shop\"}"));
            Response app = admin().post("/applications", json("{\"name\": \"Shop\", \"team_id\": \"%s\"}", other));
            assertThat(app.body()).doesNotContainKey("warnings");
        } finally {
            jdbc.update("DELETE FROM team WHERE id = ?", other);
        }
    }

    /** The conflicting ids of the warning with {@code code}, in any order (records made in the same millisecond tie). */
    @SuppressWarnings("unchecked")
    static List<String> conflicts(Map<String, Object> body, String code) {
        return ((List<Map<String, Object>>) body.getOrDefault("warnings", List.of())).stream()
                .filter(w -> code.equals(w.get("code"))).findFirst().map(w -> (List<String>) w.get("conflicts")).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    static List<String> warnings(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.getOrDefault("warnings", List.of())).stream()
                .map(w -> w.get("code") + " " + w.get("field") + " " + w.get("conflicts")).toList();
    }

    // ---- cloud instance identity

    @Test
    void instanceIdIsUniqueWithinADatacenter() {
        String dc1 = admin().post("/datacenters", json("{\"name\": \"aws-eu\"}")).id();
        String dc2 = admin().post("/datacenters", json("{\"name\": \"aws-us\"}")).id();
        String first = admin().post("/servers", json("{\"hostname\": \"a\", \"datacenter\": {\"id\": \"%s\", \"instance_id\": \"i-1\"}}", dc1)).id();

        Response clash = admin().post("/servers", json("{\"hostname\": \"b\", \"datacenter\": {\"id\": \"%s\", \"instance_id\": \"i-1\"}}", dc1));
        assertThat(clash.status()).as(clash.toString()).isEqualTo(409);
        assertThat(clash.contentType()).startsWith("application/problem+json");
        assertThat(clash.body()).containsEntry("existing_id", first).containsEntry("status", 409);
        assertThat(admin().get("/servers").body()).containsEntry("total", 1);

        Response otherDc = admin().post("/servers", json("{\"hostname\": \"b\", \"datacenter\": {\"id\": \"%s\", \"instance_id\": \"i-1\"}}", dc2));
        assertThat(otherDc.status()).as(otherDc.toString()).isEqualTo(201);

        // an update that repeats it: 409, nothing written
        Response moved = admin().patch("/servers/" + otherDc.id(), json("{\"datacenter\": {\"id\": \"%s\"}}", dc1));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(409);
        assertThat(moved.body()).containsEntry("existing_id", first);
        Map<String, Object> unchanged = admin().get("/servers/" + otherDc.id()).body();
        assertThat(unchanged.get("version")).isEqualTo(1);
        assertThat(map(unchanged.get("datacenter"))).containsEntry("id", dc2);

        // the server keeps its own instance id on updates
        Response self = admin().patch("/servers/" + first, json("{\"cpu\": 2}"));
        assertThat(self.status()).isEqualTo(200);
    }

    // ---- services

    @Test
    void servicesAreGivenByNameOrCatalogIdAndNewNamesJoinTheCatalog() {
        Response s = admin().post("/servers", json("""
                {"hostname": "app01", "services": [{"name": "tomcat", "version": 9, "status": "active"}]}"""));
        assertThat(s.status()).as(s.toString()).isEqualTo(201);
        Map<String, Object> tomcat = admin().get("/services?name=tomcat").items().get(0);
        assertThat(tomcat).containsEntry("name", "tomcat");
        assertThat(list(s.body().get("services"))).containsExactly(json("""
                {"service_id": "%s", "name": "tomcat", "version": "9", "status": "Active", "origin": "manual"}""", tomcat.get("id")));

        // same name in another case resolves to the same catalog entry; by id works too
        Response byId = admin().post("/servers", json("""
                {"hostname": "app02", "services": [{"service_id": "%s"}]}""", tomcat.get("id")));
        assertThat(byId.status()).as(byId.toString()).isEqualTo(201);
        Response byName = admin().post("/servers", json("""
                {"hostname": "app03", "services": [{"name": "TOMCAT"}]}"""));
        assertThat(byName.status()).as(byName.toString()).isEqualTo(201);
        assertThat(admin().get("/services").body()).containsEntry("total", 1);
        assertThat(list(byName.body().get("services"))).hasSize(1);
    }
}
