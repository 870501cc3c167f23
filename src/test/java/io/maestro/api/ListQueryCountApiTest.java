package io.maestro.api;

import io.maestro.support.ApiTest;
import io.maestro.support.SqlStatementCounter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.maestro.api.KindApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pinned SQL statement counts of list requests: a page of 1 and a page of 50 records with
 * relations, tags, services and counts take the same fixed number of statements (no N+1).
 * The caller (user, team memberships) and the password check are remembered between requests,
 * so a script's requests cost only their own statements. GET by id is one statement for every kind.
 * Both pages are requested with size=100 so neither is full: a full page adds one COUNT(*) for
 * {@code total}, whatever the number of records. When a count changes on purpose, update the pin
 * and say why in the commit.
 */
class ListQueryCountApiTest extends ApiTest {

    @Test
    void servers() {
        String dc = admin().post("/datacenters", json("{\"name\": \"dc\"}")).id();
        // page 1 + tags and services 1
        assertPinned("/servers", 2, i -> json("""
                {"hostname": "s%d", "datacenter": {"id": "%s", "instance_id": "i-%d"}, "storage": [{"name": "root", "size_gb": 10}],
                 "tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
                 "services": [{"name": "Nginx"}, {"name": "JVM"}]}""", i, dc, i));
    }

    @Test
    void applications() {
        String server = admin().post("/servers", json("{\"hostname\": \"host\"}")).id();
        String system = admin().post("/systems", json("{\"name\": \"sys\"}")).id();
        String db = admin().post("/databases", json("{\"name\": \"db\", \"engine\": \"Redis\"}")).id();
        // page 1 + relations and tags 1
        assertPinned("/applications", 2, i -> json("""
                {"name": "app%d", "server_ids": ["%s"], "system_ids": ["%s"], "dependencies": [{"target_id": "%s", "protocol": "tcp"}],
                 "deploy": [{"type": "Git"}], "tags": [{"key": "a", "value": "1"}]}""", i, server, system, db));
    }

    @Test
    void databases() {
        String s1 = admin().post("/servers", json("{\"hostname\": \"h1\"}")).id();
        String s2 = admin().post("/servers", json("{\"hostname\": \"h2\"}")).id();
        String dc = admin().post("/datacenters", json("{\"name\": \"dc\"}")).id();
        // page 1 + relations and tags 1
        assertPinned("/databases", 2, i -> json("""
                {"name": "db%d", "engine": "Oracle", "server_ids": ["%s", "%s"], "datacenter_ids": ["%s"],
                 "oracle": {"mode": "rac", "cdbs": [{"name": "c", "pdbs": ["p"]}]}, "tags": [{"key": "a", "value": "1"}]}""",
                i, s1, s2, dc));
    }

    @Test
    void systems() {
        String client = admin().post("/clients", json("{\"name\": \"c\"}")).id();
        String app = admin().post("/applications", json("{\"name\": \"a\"}")).id();
        // page 1 + relations and tags 1
        assertPinned("/systems", 2, i -> json("""
                {"name": "sys%d", "client_ids": ["%s"], "entry_application_ids": ["%s"], "links": [{"name": "w", "url": "https://w.example"}],
                 "tags": [{"key": "a", "value": "1"}]}""", i, client, app));
    }

    @Test
    void datacenters() {
        // page 1 + tags 1 + server_count 1
        assertPinned("/datacenters", 3, i -> {
            String dc = admin().post("/datacenters", json("""
                    {"name": "dc%d", "provider": "AWS", "regions": ["r"], "tags": [{"key": "a", "value": "1"}]}""", i)).id();
            admin().post("/servers", json("{\"hostname\": \"in-dc%d\", \"datacenter\": {\"id\": \"%s\"}}", i, dc));
            return null;
        });
    }

    @Test
    void oneServer() {
        String server = admin().post("/servers", json("""
                {"hostname": "web-1", "ipv4_private": "10.0.0.1", "tags": [{"key": "a", "value": "1"}], "services": [{"name": "Nginx"}]}""")).id();
        String twin = admin().post("/servers", json("{\"hostname\": \"WEB-1\", \"ipv4_private\": \"10.0.0.1\"}")).id();
        admin().post("/applications", json("{\"name\": \"app\", \"server_ids\": [\"%s\"]}", server));
        admin().get("/servers/" + server);
        Map<String, Object>[] body = new Map[1];
        List<String> read = statements(() -> body[0] = admin().get("/servers/" + server).body());
        // the record, its tags and services, the records linking to it and both duplicate rules: one statement
        assertThat(read).as("statements reading one server").hasSize(1);
        assertThat(body[0].get("warnings")).asString().contains("duplicate_hostname", "duplicate_ipv4_private", twin);
        assertThat(body[0].get("applications")).asString().contains("app");
        assertThat(body[0].get("tags")).asString().contains("key=a");
        assertThat(body[0].get("services")).asString().contains("Nginx");
    }

    /** GET by id is one statement for every kind, with its links, counts and what links to it. */
    @Test
    void oneRecordOfEachKind() {
        String dc = admin().post("/datacenters", json("{\"name\": \"dc\", \"tags\": [{\"key\": \"a\", \"value\": \"1\"}]}")).id();
        String server = admin().post("/servers", json("{\"hostname\": \"h\", \"datacenter\": {\"id\": \"%s\"}}", dc)).id();
        String client = admin().post("/clients", json("{\"name\": \"c\"}")).id();
        String system = admin().post("/systems", json("{\"name\": \"sys\", \"client_ids\": [\"%s\"]}", client)).id();
        String db = admin().post("/databases", json("{\"name\": \"db\", \"engine\": \"Redis\", \"server_ids\": [\"%s\"]}", server)).id();
        String app = admin().post("/applications", json("""
                {"name": "a", "server_ids": ["%s"], "system_ids": ["%s"], "dependencies": [{"target_id": "%s", "protocol": "tcp"}]}""",
                server, system, db)).id();
        String lb = admin().post("/loadbalancers", json("{\"name\": \"lb\", \"service\": \"HAProxy\", \"target_ids\": [\"%s\"]}", app)).id();
        String service = String.valueOf(((Map<?, ?>) ((List<?>) admin().get("/servers/" + server).body().get("services")).get(0)).get("service_id"));
        String provider = admin().post("/providers", json("{\"name\": \"AWS\"}")).id();
        Map<String, String> records = new java.util.LinkedHashMap<>();
        records.put("/datacenters/" + dc, "\"server_count\":1");
        records.put("/servers/" + server, "\"databases\":[{\"id\":\"" + db + "\"");
        records.put("/clients/" + client, "\"systems\":[{\"id\":\"" + system + "\"");
        records.put("/systems/" + system, "\"applications\":[{\"id\":\"" + app + "\"");
        records.put("/databases/" + db, "\"applications\":[{\"id\":\"" + app + "\"");
        records.put("/applications/" + app, "\"loadbalancers\":[{\"id\":\"" + lb + "\"");
        records.put("/loadbalancers/" + lb, "\"target_ids\":[\"" + app + "\"]");
        records.put("/services/" + service, "\"name\":\"Redis\"");
        records.put("/providers/" + provider, "\"name\":\"AWS\"");
        records.forEach((path, shown) -> {
            admin().get(path);
            String[] text = new String[1];
            List<String> read = statements(() -> text[0] = admin().get(path).text());
            assertThat(text[0]).as(path).contains(shown);
            assertThat(read).as("statements reading " + path).hasSize(1);
        });
    }

    /** A member's read is one statement too, the records of other teams it points at left out. */
    @Test
    void oneRecordAsATeamMember() {
        String user = "reader-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin().post("/users", Map.of("username", user, "password", "a-long-password-1", "email", user + "@example.com")).status())
                .isEqualTo(201);
        Client reader = as(user, "a-long-password-1");
        String team = reader.post("/teams", Map.of("name", "team-" + user)).id();
        String foreign = admin().post("/servers", json("{\"hostname\": \"not-yours\"}")).id();
        String own = reader.post("/servers", json("{\"hostname\": \"yours\", \"team_id\": \"%s\"}", team)).id();
        String app = admin().post("/applications", json("{\"name\": \"mine\", \"team_id\": \"%s\", \"server_ids\": [\"%s\", \"%s\"]}",
                team, foreign, own)).id();
        reader.get("/applications/" + app);
        Map<String, Object>[] body = new Map[1];
        List<String> read = statements(() -> body[0] = reader.get("/applications/" + app).body());
        assertThat(body[0]).containsEntry("server_ids", List.of(own));
        assertThat(read).as("statements of a member reading one application").hasSize(1);
        assertThat(admin().get("/applications/" + app).body().get("server_ids")).asList().contains(foreign, own);
    }

    /**
     * A script's token is looked up on every request (a token revoked on one node is refused by the
     * next request on any node: ClusterTest), then the read itself is one statement.
     */
    @Test
    void oneRecordWithAToken() {
        String user = "script-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin().post("/users", Map.of("username", user, "password", "a-long-password-1", "email", user + "@example.com")).status())
                .isEqualTo(201);
        String token = (String) as(user, "a-long-password-1").post("/tokens", Map.of("name", "ci", "scope", "read")).body().get("token");
        String team = as(user, "a-long-password-1").post("/teams", Map.of("name", "team-" + user)).id();
        String server = admin().post("/servers", json("{\"hostname\": \"tok-1\", \"team_id\": \"%s\"}", team)).id();
        assertThat(bearer(token).get("/servers/" + server).status()).isEqualTo(200);
        List<String> read = statements(() -> assertThat(bearer(token).get("/servers/" + server).body()).containsEntry("hostname", "tok-1"));
        assertThat(read).as("statements of a token's read: the token, then the record").hasSize(2);
    }

    /** Creates records one by one (a null body means the function created it) and pins the list's statements at 1 and 50. */
    private void assertPinned(String path, int expected, IntFunction<Object> record) {
        create(path, record, 0);
        assertThat(admin().get(path + "?size=100").body()).containsEntry("total", 1);
        List<String> one = statements(() -> assertThat(admin().get(path + "?size=100").status()).isEqualTo(200));
        for (int i = 1; i < 50; i++) create(path, record, i);
        List<String> fifty = statements(() ->
                assertThat(admin().get(path + "?size=100").body()).containsEntry("total", 50));
        assertThat(one).as("the counter sees the list query").anyMatch(sql -> sql.contains("LIMIT"));
        assertThat(one).as("statements listing 1 record").hasSize(expected);
        assertThat(fifty).as("statements listing 50 records").hasSize(expected);
    }

    private void create(String path, IntFunction<Object> record, int i) {
        Object body = record.apply(i);
        if (body != null) assertThat(admin().post(path, body).status()).isEqualTo(201);
    }

    /**
     * The statements of a request, less the caller's lookup: memberships are remembered for a few
     * seconds, so whether a request reloads them depends on the time, not on the list.
     */
    private static List<String> statements(Runnable request) {
        return SqlStatementCounter.record(request).stream().filter(sql -> !sql.contains("FROM app_user")).toList();
    }
}
