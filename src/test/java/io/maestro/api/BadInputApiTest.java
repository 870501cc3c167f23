package io.maestro.api;

import io.maestro.core.Json;
import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 2's guarantee, case by case over {@link BadInputCorpus}: every malformed request gets its
 * 4xx as application/problem+json naming each bad field, with no trace of the implementation,
 * and nothing of it is stored; read-only fields sent back are accepted and ignored.
 */
class BadInputApiTest extends ApiTest {
    /** Every table a write may touch besides the kinds' own: all must keep their row counts after a rejected request. */
    private static final List<String> TABLES = List.of("relation", "record_tag", "server_service", "record_access");
    /** What must never reach a client: class names, stack frames, SQL. */
    private static final Pattern LEAK = Pattern.compile("(?i)(\\b(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.(springframework|h2|postgresql|apache))\\.[a-z]"
            + "|exception|\\tat |\\bat [a-z]+\\.[a-z]|caused by|\\bselect\\b.+\\bfrom\\b|\\binsert into\\b|\\bupdate\\b.+\\bset\\b|jdbc:|sqlstate|stacktrace)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([a-z]+[0-9]?)");

    private final Map<String, String> ids = new HashMap<>();

    static List<BadInputCase> corpus() {
        return BadInputCorpus.cases();
    }

    @Test
    void corpusIsLargeAndCoversEveryKindAndMethod() {
        List<BadInputCase> all = corpus();
        assertThat(all).hasSizeGreaterThanOrEqualTo(150);
        assertThat(all.stream().map(BadInputCase::toString).collect(Collectors.toSet())).as("case names are distinct").hasSize(all.size());
        for (String kind : kinds.all().stream().map(io.maestro.core.record.Kind::collection).toList()) {
            for (String method : List.of("POST", "PUT", "PATCH")) {
                assertThat(all).as(method + " /" + kind)
                        .anyMatch(c -> c.method.equals(method) && c.collection().equals(kind) && !c.succeeds());
            }
        }
    }

    /** One of each kind, linked the way the user guide links them. */
    @BeforeEach
    void fixtures() {
        ids.put("team", jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", UUID.class).toString());
        ids.put("user", jdbc.queryForObject("SELECT id FROM app_user WHERE username = 'admin'", UUID.class).toString());
        ids.put("rnd", UUID.randomUUID().toString());
        ids.put("rnd2", UUID.randomUUID().toString());
        create("dc", "/datacenters", "{'name':'dc1','provider':'AWS','regions':['eu-west-1'],'zones':[{'name':'eu-west-1a','region':'eu-west-1'}]}");
        create("srv", "/servers", "{'hostname':'web01','ipv4_private':'10.0.0.1','os':{'base':'Linux','dist':'Debian','version':'12'},"
                + "'cpu':4,'memory':8,'environment':'Production','storage':[{'name':'root','mount':'/','size_gb':20,'root':true}],"
                + "'datacenter':{'id':'$dc','region':'eu-west-1','zone':'eu-west-1a','instance_id':'i-1'},"
                + "'auth':[{'name':'ops','type':'PKI','username':'root','secret':'s3cret'}],"
                + "'services':[{'name':'Nginx','version':'1.24','status':'Active'}],'tags':[{'key':'team','value':'ops'}]}");
        create("cli", "/clients", "{'name':'ACME','sla':'gold','contacts':[{'channel':'Email','value':'ops@acme.test'}]}");
        create("sys", "/systems", "{'name':'Shop','links':[{'name':'wiki','url':'https://wiki.example.com/shop'}],'client_ids':['$cli'],"
                + "'owner':'$team'}");
        create("db", "/databases", "{'name':'orcl','engine':'Oracle','engine_version':'19.3','environment':'Production',"
                + "'oracle':{'version':'19c','storage':'asm','mode':'rac','asm_groups':[{'name':'DATA','size_gb':100}],"
                + "'cdbs':[{'name':'CDB1','pdbs':['PDB1']}]},'server_ids':['$srv'],'system_ids':['$sys'],'datacenter_ids':['$dc']}");
        create("mdb", "/databases", "{'name':'mysql1','engine':'MySQL','mysql':{'topology':'master-slave','replicas':2}}");
        create("app", "/applications", "{'name':'shop-api','environment':'Production','language':'Java','role':{'endpoint':'/api'},"
                + "'system_ids':['$sys'],'server_ids':['$srv'],'deploy':[{'type':'Git','provider':'GitHub'}],"
                + "'dependencies':[{'target_id':'$db','protocol':'jdbc'}]}");
        create("lb", "/loadbalancers", "{'name':'lb1','service':'HAProxy','target_ids':['$srv','$app'],'server_ids':['$srv'],"
                + "'spec':{'endpoint':'https://shop.example.com'},'system_ids':['$sys']}");
        admin().patch("/systems/" + ids.get("sys"), Map.of("entry_application_ids", List.of(ids.get("app"))));
        create("vol", "/volumes", "{'name':'vol-1','size_gb':100,'type':'SSD','server_id':'$srv','datacenter_id':'$dc'}");
        create("svc", "/services", "{'name':'Tomcat','category':'app server'}");
        create("prv", "/providers", "{'name':'OpenStack','regions':['r1'],'zones':[{'name':'z1','region':'r1'}]}");
    }

    private void create(String key, String path, String json) {
        Response r = admin().post(path, fill(BadInputCase.j(json)));
        assertThat(r.status()).as("fixture " + path + ": " + r).isEqualTo(201);
        ids.put(key, r.id());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void answersAsExpectedAndStoresNothingRejected(BadInputCase c) {
        String path = fill(c.path);
        String targetId = c.target() == null ? null : ids.get(c.target().substring(1));
        Map<String, Object> before = targetId == null ? null : read(c.collection(), targetId);
        Map<String, Long> counts = counts();

        Object body = c.body instanceof String s ? (s.equals(BadInputCase.GET_BODY) ? Json.write(before) : fill(s)) : c.body;
        Response r = send(c, path, body);

        assertThat(r.status()).as(c + " → " + abbreviate(r.toString())).isEqualTo(c.status);
        assertThat(r.text() == null ? "" : r.text()).as("no implementation details in " + c).doesNotContainPattern(LEAK);
        if (c.succeeds()) {
            accepted(c, r, targetId, before);
            return;
        }
        assertThat(r.contentType()).as(c + " content type").startsWith("application/problem+json");
        Map<String, Object> problem = r.body();
        assertThat(problem).as(c.toString()).containsKeys("type", "title", "status", "detail").containsEntry("status", c.status);
        assertThat(problem.get("title")).isInstanceOf(String.class);
        assertThat((String) problem.get("detail")).isNotBlank();
        Set<String> fields = errorFields(problem);
        if (c.exactFields) assertThat(fields).as(c + " error fields: " + problem).isEqualTo(c.fields);
        else assertThat(fields).as(c + " error fields: " + problem).containsAll(c.fields);

        assertThat(counts()).as("nothing stored by " + c).isEqualTo(counts);
        if (before != null) assertThat(read(c.collection(), targetId)).as(c + " left the record unchanged").isEqualTo(before);
    }

    /** A write that must succeed: read-only values sent back were ignored, not applied. */
    private void accepted(BadInputCase c, Response r, String targetId, Map<String, Object> before) {
        if (c.method.equals("GET")) return;
        Map<String, Object> doc = r.body();
        assertThat(doc).as(c.toString()).doesNotContainKey("errors");
        if (before == null) {
            assertThat(doc.get("id")).as("server-assigned id").isNotIn(ids.values());
            assertThat(doc.get("version")).isEqualTo(1);
            assertThat((String) doc.get("created_at")).doesNotStartWith("2001");
            return;
        }
        assertThat(doc.get("id")).isEqualTo(targetId);
        assertThat(((Number) doc.get("version")).longValue()).as("version +1").isEqualTo(((Number) before.get("version")).longValue() + 1);
        assertThat(doc.get("created_at")).isEqualTo(before.get("created_at"));
        if (c.body == BadInputCase.GET_BODY) {
            Map<String, Object> after = read(c.collection(), targetId);
            assertThat(withoutChangeFields(after)).as(c + " stores what it read").isEqualTo(withoutChangeFields(before));
        }
    }

    // ---- helpers

    private Response send(BadInputCase c, String path, Object body) {
        if (body instanceof BadInputCase.Chunked chunked) return sendChunked(c, path, chunked.bytes());
        if (c.socket) return sendOverSocket(c.method, "/api/v1" + path);
        Client client = c.headers.stream().anyMatch(h -> h.equalsIgnoreCase("Authorization")) ? anonymous() : admin();
        return client.send(c.method, path, body, c.contentType, c.headers.toArray(String[]::new));
    }

    /** A body streamed without Content-Length (Transfer-Encoding: chunked). */
    private Response sendChunked(BadInputCase c, String path, byte[] bytes) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1" + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", c.contentType)
                    .method(c.method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new AssertionError(c + " failed: " + e, e);
        }
    }

    /** A request written by hand (Connection: close), its response parsed by hand. */
    private Response sendOverSocket(String method, String target) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            String auth = Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = raw.indexOf("\r\n\r\n");
            String[] head = raw.substring(0, split).split("\r\n");
            String body = raw.substring(split + 4);
            Map<String, List<String>> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.computeIfAbsent(head[i].substring(0, colon).strip(), k -> new java.util.ArrayList<>()).add(head[i].substring(colon + 1).strip());
            }
            if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) body = unchunk(body);
            return new Response(Integer.parseInt(head[0].split(" ")[1]), java.net.http.HttpHeaders.of(headers, (a, b) -> true), body);
        } catch (IOException e) {
            throw new AssertionError(method + " " + target + " failed: " + e, e);
        }
    }

    private static String unchunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, eol).strip(), 16);
            if (size == 0) return out.toString();
            out.append(body, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    private Map<String, Object> read(String collection, String id) {
        Response r = admin().get("/" + collection + "/" + id);
        if (r.status() == 404) return null;
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        kinds.all().forEach(k -> out.put(k.table(), jdbc.queryForObject("SELECT COUNT(*) FROM " + k.table(), Long.class)));
        TABLES.forEach(t -> out.put(t, jdbc.queryForObject("SELECT COUNT(*) FROM " + t, Long.class)));
        return out;
    }

    /** Replaces $srv, $dc ... by the fixtures' ids. */
    private String fill(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String id = ids.get(m.group(1));
            if (id == null) throw new IllegalArgumentException("unknown placeholder $" + m.group(1));
            m.appendReplacement(out, id);
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> errorFields(Map<String, Object> problem) {
        Set<String> out = new LinkedHashSet<>();
        Object errors = problem.get("errors");
        if (errors == null) return out;
        for (Object e : (List<Object>) errors) {
            Map<String, Object> m = (Map<String, Object>) e;
            assertThat(m.get("message")).as("message of " + m).isInstanceOf(String.class);
            out.add((String) m.get("field"));
        }
        return out;
    }

    private static Map<String, Object> withoutChangeFields(Map<String, Object> doc) {
        Map<String, Object> m = new LinkedHashMap<>(doc);
        m.remove("version");
        m.remove("updated_at");
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
