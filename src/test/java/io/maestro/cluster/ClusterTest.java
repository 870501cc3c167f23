package io.maestro.cluster;

import io.maestro.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two real Maestro nodes (separate JVMs, started from this build's classes like the jar would
 * be) on one PostgreSQL schema, started at the same moment on an empty schema, with Debian's
 * nginx in front configured with the block from docs/deploy.md. Everything runs on loopback.
 * Node-specific requests (a change on A, the check on B) go to the nodes' own ports; the rest
 * goes through nginx. PostgreSQL pass only: H2 is embedded and single-node.
 */
@EnabledIfSystemProperty(named = "maestro.test.db", matches = "postgresql")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final String SCHEMA = "maestro_cluster_test";
    private static final String ADMIN_PASSWORD = "cluster-admin-password";
    private static final String PASSWORD = "a-long-password-1";
    private static final Duration RETENTION_INTERVAL = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path dir;
    private static Node a;
    private static Node b;
    private static Nginx nginx;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("maestro-cluster");
        try (Connection c = db(false); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            // the extension belongs to public, where every other test's schema finds it too
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretKey = Base64.getEncoder().encodeToString(key);
        a = new Node("a", freePort(), secretKey);
        b = new Node("b", freePort(), secretKey);
        // the same moment, on an empty schema: both run Flyway and Bootstrap at once
        a.start();
        b.start();
        a.awaitReady();
        b.awaitReady();
        nginx = new Nginx(freePort(), a.port, b.port);
        nginx.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (nginx != null) nginx.stop();
        if (a != null) a.stop();
        if (b != null) b.stop();
        try (Connection c = db(false); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    @Order(1)
    void twoNodesStartingTogetherOnAnEmptyDatabaseBothComeUp() throws Exception {
        for (Node n : List.of(a, b)) {
            assertThat(n.log()).as("log of node " + n.name).doesNotContain("duplicate key").doesNotContain("APPLICATION FAILED TO START");
        }
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = 'admin'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM team WHERE name = 'default'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM installation")).isEqualTo(1);
        for (Node n : List.of(a, b)) assertThat(send(n.url(), "GET", "/api/v1/me", admin(), null).status).isEqualTo(200);
        assertThat(send(nginx.url(), "GET", "/actuator/health/readiness", null, null).body).contains("UP");
    }

    @Test
    @Order(2)
    void aBrowserSignedInThroughOneNodeIsSignedInOnBoth() throws Exception {
        HttpClient browser = browser();
        Resp login = formLogin(browser, nginx.url(), "admin", ADMIN_PASSWORD);
        assertThat(login.status).isEqualTo(302);
        assertPublic(login.header("Location"));
        assertThat(login.header("Location")).doesNotContain("error");

        int before = nginx.accessLog().size();
        for (int i = 0; i < 6; i++) {
            Resp page = send(browser, nginx.url(), "GET", "/", null, null);
            assertThat(page.status).as("page %d through nginx: %s", i, page.header("Location")).isEqualTo(200);
            assertThat(page.body).contains("Sign out");
        }
        List<String> served = nginx.accessLog().subList(before, nginx.accessLog().size());
        assertThat(served).anyMatch(l -> l.startsWith("127.0.0.1:" + a.port)).anyMatch(l -> l.startsWith("127.0.0.1:" + b.port));
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'admin'")).isGreaterThanOrEqualTo(1);

        // a forged session cookie signs nobody in
        String forgedCookie = "SESSION=" + Base64.getEncoder().encodeToString(java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        Resp forged = send(nginx.url(), "GET", "/", null, null, "Cookie", forgedCookie);
        assertThat(forged.status).isEqualTo(302);
        assertThat(forged.header("Location")).contains("/login");

        // signing out through one node ends the session on both, and its cookie replayed later signs nobody in
        String sessionCookie = ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("SESSION")).findFirst().orElseThrow().getValue();
        String csrf = csrf(send(browser, nginx.url(), "GET", "/", null, null).body);
        Resp out = send(browser, nginx.url(), "POST", "/logout", null, "_csrf=" + enc(csrf), "Content-Type", "application/x-www-form-urlencoded");
        assertThat(out.status).isEqualTo(302);
        for (int i = 0; i < 4; i++) {
            Resp page = send(browser, nginx.url(), "GET", "/", null, null);
            assertThat(page.status).isEqualTo(302);
            assertThat(page.header("Location")).contains("/login");
            Resp replayed = send(nginx.url(), "GET", "/", null, null, "Cookie", "SESSION=" + sessionCookie);
            assertThat(replayed.status).isEqualTo(302);
            assertThat(replayed.header("Location")).contains("/login");
        }
    }

    @Test
    @Order(3)
    void changesOnOneNodeAreRefusedOnTheOtherWithinOneSecond() throws Exception {
        String bob = send(a.url(), "POST", "/api/v1/users", admin(), Json.write(Map.of("username", "bob", "password", PASSWORD))).id();
        String team = send(a.url(), "POST", "/api/v1/teams", admin(), "{\"name\": \"payments\"}").id();
        assertThat(send(a.url(), "PUT", "/api/v1/teams/" + team + "/members/bob", admin(), "{\"role\": \"member\"}").status).isEqualTo(200);
        Resp token = send(a.url(), "POST", "/api/v1/tokens", basic("bob", PASSWORD), "{\"name\": \"ci\", \"scope\": \"read\"}");
        assertThat(token.status).isEqualTo(201);
        String bearer = "Bearer " + token.json().get("token");
        // node B knows bob: his password check and his teams are remembered there now
        assertThat(send(b.url(), "GET", "/api/v1/teams/" + team, basic("bob", PASSWORD), null).status).isEqualTo(200);
        assertThat(send(b.url(), "GET", "/api/v1/me", bearer, null).status).isEqualTo(200);
        HttpClient bobsBrowser = browser();
        assertThat(formLogin(bobsBrowser, b.url(), "bob", PASSWORD).status).isEqualTo(302);
        assertThat(send(bobsBrowser, nginx.url(), "GET", "/", null, null).status).isEqualTo(200);

        // a revoked token: refused by B at the very next request (tokens are looked up every time)
        assertThat(send(a.url(), "DELETE", "/api/v1/tokens/" + token.id(), basic("bob", PASSWORD), null).status).isEqualTo(204);
        assertThat(send(b.url(), "GET", "/api/v1/me", bearer, null).status).isEqualTo(401);

        // removed from the team on A: B stops showing him the team within a second
        assertThat(send(a.url(), "DELETE", "/api/v1/teams/" + team + "/members/bob", admin(), null).status).isEqualTo(204);
        assertWithinOneSecond("team removal", () -> send(b.url(), "GET", "/api/v1/teams/" + team, basic("bob", PASSWORD), null).status == 404);

        // a new password on A: the old one (remembered as a success on B) stops working on B
        String newPassword = "another-long-password-2";
        assertThat(send(a.url(), "PATCH", "/api/v1/users/" + bob, admin(), Json.write(Map.of("password", newPassword)),
                "Content-Type", "application/merge-patch+json").status).isEqualTo(200);
        assertWithinOneSecond("password change", () -> send(b.url(), "GET", "/api/v1/me", basic("bob", PASSWORD), null).status == 401);
        assertThat(send(b.url(), "GET", "/api/v1/me", basic("bob", newPassword), null).status).isEqualTo(200);

        // an option list edited on A: B accepts the new value within a second (B had the old lists cached)
        assertThat(send(b.url(), "POST", "/api/v1/servers", admin(), "{\"hostname\": \"qa-before\", \"environment\": \"QA\"}").status).isEqualTo(400);
        @SuppressWarnings("unchecked") List<Object> environments = new ArrayList<>((List<Object>) send(a.url(), "GET", "/api/v1/options/environment", admin(), null)
                .json().get("options"));
        environments.add(Map.of("value", "QA", "label", "Quality assurance"));
        assertThat(send(a.url(), "PUT", "/api/v1/options/environment", admin(), Json.write(Map.of("options", environments))).status).isEqualTo(200);
        AtomicInteger qa = new AtomicInteger();
        assertWithinOneSecond("option list change", () -> send(b.url(), "POST", "/api/v1/servers", admin(),
                "{\"hostname\": \"qa-" + qa.incrementAndGet() + "\", \"environment\": \"QA\"}").status == 201);

        // disabled on A: refused on B within a second, and his browser session ends on every node
        assertThat(send(a.url(), "PATCH", "/api/v1/users/" + bob, admin(), Json.write(Map.of("disabled", true)),
                "Content-Type", "application/merge-patch+json").status).isEqualTo(200);
        assertWithinOneSecond("disabling", () -> send(b.url(), "GET", "/api/v1/me", basic("bob", newPassword), null).status == 401);
        for (int i = 0; i < 2; i++) assertThat(send(bobsBrowser, nginx.url(), "GET", "/", null, null).status).isEqualTo(302);
        // enabled again: he signs in again, through either node
        assertThat(send(a.url(), "PATCH", "/api/v1/users/" + bob, admin(), Json.write(Map.of("disabled", false)),
                "Content-Type", "application/merge-patch+json").status).isEqualTo(200);
        assertWithinOneSecond("enabling", () -> send(b.url(), "GET", "/api/v1/me", basic("bob", newPassword), null).status == 200);
        assertThat(formLogin(bobsBrowser, b.url(), "bob", newPassword).status).isEqualTo(302);
        assertThat(send(bobsBrowser, nginx.url(), "GET", "/", null, null).status).isEqualTo(200);

        // deleted on A: refused on B, and his browser session is gone on every node
        assertThat(send(a.url(), "DELETE", "/api/v1/users/" + bob, admin(), null).status).isEqualTo(204);
        assertWithinOneSecond("user deletion", () -> send(b.url(), "GET", "/api/v1/me", basic("bob", newPassword), null).status == 401);
        for (int i = 0; i < 2; i++) assertThat(send(bobsBrowser, nginx.url(), "GET", "/", null, null).status).isEqualTo(302);
    }

    @Test
    @Order(4)
    void theLoginThrottleCountsFailuresOfEveryNode() throws Exception {
        send(a.url(), "POST", "/api/v1/users", admin(), Json.write(Map.of("username", "carol", "password", PASSWORD)));
        send(a.url(), "POST", "/api/v1/users", admin(), Json.write(Map.of("username", "dave", "password", PASSWORD)));
        int before = nginx.accessLog().size();
        for (int i = 0; i < 10; i++) {
            assertThat(send(nginx.url(), "GET", "/api/v1/me", basic("carol", "wrong-password-" + i), null).status).isEqualTo(401);
        }
        List<String> served = nginx.accessLog().subList(before, nginx.accessLog().size());
        assertThat(served).anyMatch(l -> l.startsWith("127.0.0.1:" + a.port)).anyMatch(l -> l.startsWith("127.0.0.1:" + b.port));
        // the right password now: locked on both nodes (the failures were split between them)
        for (String url : List.of(a.url(), b.url(), nginx.url())) {
            Resp locked = send(url, "GET", "/api/v1/me", basic("carol", PASSWORD), null);
            assertThat(locked.status).as(url).isEqualTo(429);
            assertThat(locked.header("Retry-After")).isNotNull();
        }
        assertThat(count("SELECT COUNT(*) FROM login_failure WHERE username = 'carol'")).isEqualTo(10);
        // the lock is on carol from this address, not on everyone
        assertThat(send(nginx.url(), "GET", "/api/v1/me", basic("dave", PASSWORD), null).status).isEqualTo(200);
        assertThat(send(nginx.url(), "GET", "/api/v1/me", admin(), null).status).isEqualTo(200);
    }

    @Test
    @Order(5)
    void redirectsAndLocationsNameThePublicUrlAndOtherHostsGetNoAnswer() throws Exception {
        Resp created = send(nginx.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"dc-public-url\"}",
                "X-Forwarded-Host", "evil.example");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(nginx.url() + "/api/v1/datacenters/" + created.id());
        Resp toLogin = send(browser(), nginx.url(), "GET", "/servers", null, null);
        assertThat(toLogin.status).isEqualTo(302);
        assertPublic(toLogin.header("Location"));

        try (Socket socket = new Socket("127.0.0.1", nginx.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(socket.getInputStream().readAllBytes()).as("answer to a request naming another site").isEmpty();
        }
    }

    @Test
    @Order(6)
    void historyRetentionRunsOncePerIntervalForTheWholeCluster() throws Exception {
        Pattern run = Pattern.compile("History retention run due at (\\S+) removed");
        List<Instant> due = new ArrayList<>();
        awaitCondition(Duration.ofSeconds(120), "four retention runs", () -> {
            due.clear();
            for (Node n : List.of(a, b)) {
                Matcher m = run.matcher(n.log());
                while (m.find()) due.add(Instant.parse(m.group(1)));
            }
            return due.size() >= 4;
        });
        Collections.sort(due);
        // each run is due one interval after the previous one finished: two nodes running it
        // each on their own would put runs closer together than that
        for (int i = 1; i < due.size(); i++) {
            assertThat(Duration.between(due.get(i - 1), due.get(i))).as("gap before run %d of %s", i, due).isGreaterThanOrEqualTo(RETENTION_INTERVAL);
        }
    }

    @Test
    @Order(7)
    void aNodeKilledMidRequestLosesNoAcknowledgedWriteAndTheOtherKeepsServing() throws Exception {
        int writers = 4;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<List<Integer>> afterKill = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> running = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            afterKill.add(statuses);
            running.add(pool.submit(() -> {
                for (int i = 0; i < 1000 && statuses.size() < 40 && System.nanoTime() < deadline; i++) {
                    boolean wasKilled = killed.get();
                    attempts.incrementAndGet();
                    Resp r = send(nginx.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"dc-" + writer + "-" + i + "\"}");
                    if (r.status == 201) acknowledged.add(r.id());
                    if (wasKilled) statuses.add(r.status);
                }
                return null;
            }));
        }
        awaitCondition(Duration.ofSeconds(120), "writes acknowledged before the kill", () -> acknowledged.size() >= 40);
        b.kill(); // SIGKILL, with writes in flight
        killed.set(true);
        for (Future<?> f : running) f.get();
        pool.shutdown();

        // every write that was answered 201 is stored, and node A answers for all of it
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(40);
        for (String id : acknowledged) {
            assertThat(send(nginx.url(), "GET", "/api/v1/datacenters/" + id, admin(), null).status).as("acknowledged %s", id).isEqualTo(200);
        }
        assertThat(count("SELECT COUNT(*) FROM datacenter WHERE id IN (" + acknowledged.stream().map(id -> "'" + id + "'")
                .collect(Collectors.joining(",")) + ")")).isEqualTo(acknowledged.size());
        // once B is gone, A takes every request: after at most the ones in flight at the kill, all succeed
        for (List<Integer> statuses : afterKill) {
            assertThat(statuses).hasSize(40);
            assertThat(statuses.subList(5, statuses.size())).as("statuses after the kill: %s", statuses).containsOnly(201);
        }
        assertThat(send(nginx.url(), "GET", "/api/v1/me", admin(), null).status).isEqualTo(200);
    }

    // ---- helpers

    private static void assertWithinOneSecond(String what, BooleanSupplier refused) {
        long start = System.nanoTime();
        awaitCondition(Duration.ofSeconds(10), Duration.ofMillis(10), what + " reaching node B", refused);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("ClusterTest: %s reached node B %d ms after node A answered%n", what, took.toMillis());
        assertThat(took).as(what + " took " + took.toMillis() + " ms to reach node B").isLessThan(Duration.ofSeconds(1));
    }

    private static void awaitCondition(Duration patience, String what, BooleanSupplier condition) {
        awaitCondition(patience, Duration.ofMillis(100), what, condition);
    }

    /** Polls {@code condition} every {@code every} until it holds; fails after {@code patience}. */
    private static void awaitCondition(Duration patience, Duration every, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("waited " + patience.toSeconds() + " s for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(every.toNanos()); // a poll interval, not a wait for timing
        }
    }

    private static void assertPublic(String location) {
        assertThat(location).isNotNull();
        assertThat(location).doesNotContain(":" + a.port).doesNotContain(":" + b.port);
        if (location.contains("://")) assertThat(location).startsWith(nginx.url());
    }

    private static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static Resp formLogin(HttpClient browser, String base, String user, String password) {
        String csrf = csrf(send(browser, base, "GET", "/login", null, null).body);
        return send(browser, base, "POST", "/login", null, "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"").matcher(html);
        assertThat(m.find()).as("a _csrf field in the page").isTrue();
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        String id() {
            assertThat(status).as(body).isIn(200, 201);
            return (String) json().get("id");
        }
    }

    private static Resp send(String base, String method, String path, String authorization, String json, String... headers) {
        return send(HTTP, base, method, path, authorization, json, headers);
    }

    /** One request; a JSON body unless a Content-Type is among {@code headers}; 0 when the connection failed. */
    private static Resp send(HttpClient client, String base, String method, String path, String authorization, String body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) r.header("Authorization", authorization);
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) r.header("Content-Type", "application/json");
        r.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = client.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            return new Resp(0, java.net.http.HttpHeaders.of(Map.of(), (x, y) -> true), String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db(true); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String jdbcUrl(boolean clusterSchema) {
        String url = System.getProperty("spring.datasource.url");
        if (!clusterSchema) return url;
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA + ",public";
    }

    private static Connection db(boolean clusterSchema) throws Exception {
        return DriverManager.getConnection(jdbcUrl(clusterSchema), System.getProperty("spring.datasource.username"),
                System.getProperty("spring.datasource.password"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One Maestro node: its own JVM, data directory and log, configured only by environment variables (as in docs/deploy.md). */
    private static final class Node {
        final String name;
        final int port;
        final String secretKey;
        final Path log;
        Process process;

        Node(String name, int port, String secretKey) {
            this.name = name;
            this.port = port;
            this.secretKey = secretKey;
            this.log = dir.resolve("node-" + name + ".log");
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws IOException {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            ProcessBuilder pb = new ProcessBuilder(java, "-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", classpath(), "io.maestro.MaestroApplication");
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("MAESTRO_") || k.startsWith("SERVER_"));
            env.put("SPRING_DATASOURCE_URL", jdbcUrl(true));
            env.put("SPRING_DATASOURCE_USERNAME", System.getProperty("spring.datasource.username"));
            env.put("SPRING_DATASOURCE_PASSWORD", System.getProperty("spring.datasource.password"));
            env.put("MAESTRO_SECRET_KEY", secretKey);
            env.put("MAESTRO_ADMIN_PASSWORD", ADMIN_PASSWORD);
            env.put("SERVER_FORWARD_HEADERS_STRATEGY", "native");
            env.put("MAESTRO_DB_POOL_SIZE", "8");
            env.put("MAESTRO_DATA_DIR", dir.resolve("data-" + name).toString());
            env.put("SERVER_PORT", String.valueOf(port));
            env.put("MAESTRO_HISTORY_RETENTION", "30d");
            env.put("MAESTRO_HISTORY_RETENTION_INTERVAL", RETENTION_INTERVAL.toMillis() + "ms");
            env.put("MAESTRO_PASSWORD_HASH_COST", "4"); // the suites' cost: bcrypt at 12 would dominate the run
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            process = pb.start();
        }

        void awaitReady() {
            awaitCondition(Duration.ofSeconds(300), "node " + name + " to be ready (log: " + log + ")", () -> {
                if (!process.isAlive()) fail("node " + name + " exited: " + tail());
                Resp r = send(url(), "GET", "/actuator/health/readiness", null, null);
                return r.status == 200 && r.body.contains("UP");
            });
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String tail() {
            String l = log();
            return l.substring(Math.max(0, l.length() - 4000));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void stop() throws InterruptedException {
            if (process == null || !process.isAlive()) return;
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }

        /** This build's classes and its runtime libraries, as the packaged jar has them (no test classes). */
        private static String classpath() {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            return Stream.of(cp.split(java.io.File.pathSeparator))
                    .filter(e -> !e.endsWith("test-classes") && !e.endsWith("test-classes/"))
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
    }

    /** Debian's nginx with the configuration block of docs/deploy.md, pointed at the two nodes. */
    private static final class Nginx {
        final int port;
        final int[] nodes;
        final Path home = dir.resolve("nginx");
        Process process;

        Nginx(int port, int... nodes) {
            this.port = port;
            this.nodes = nodes;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start() throws Exception {
            Path binary = Path.of("/usr/sbin/nginx");
            assertThat(binary).as("Debian's nginx (bin/test installs it: apt-get install nginx)").isExecutable();
            for (String d : List.of("logs", "tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi")) {
                Path p = Files.createDirectories(home.resolve(d));
                p.toFile().setWritable(true, false); // workers run as an unprivileged user when the test runs as root
            }
            // and the way there: the temporary directory is the test's own (0700)
            for (Path p = home.resolve("tmp"); p != null && p.startsWith(dir); p = p.getParent()) p.toFile().setExecutable(true, false);
            home.resolve("tmp").toFile().setWritable(true, false);
            Files.writeString(home.resolve("nginx.conf"), config());
            process = new ProcessBuilder(binary.toString(), "-p", home.toString(), "-c", home.resolve("nginx.conf").toString(),
                    "-e", home.resolve("logs/error.log").toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("logs/stdout.log").toFile()).start();
            awaitCondition(Duration.ofSeconds(30), "nginx to listen on " + port, () -> {
                if (!process.isAlive()) fail("nginx exited: " + read(home.resolve("logs/stdout.log")) + read(home.resolve("logs/error.log")));
                return send(url(), "GET", "/actuator/health/readiness", null, null).status == 200;
            });
        }

        /** The deploy doc's block, with this test's ports; around it what Debian's nginx.conf would give. */
        String config() throws IOException {
            String doc = Files.readString(Path.of("docs/deploy.md"));
            Matcher m = Pattern.compile("```nginx\n(.*?)```", Pattern.DOTALL).matcher(doc);
            assertThat(m.find()).as("an nginx block in docs/deploy.md").isTrue();
            String block = m.group(1);
            assertThat(block).contains("server 10.0.0.11:8080", "server 10.0.0.12:8080", "listen 80;", "listen 80 default_server;",
                    "server_name maestro.example.com;");
            block = block.replace("server 10.0.0.11:8080", "server 127.0.0.1:" + nodes[0])
                    .replace("server 10.0.0.12:8080", "server 127.0.0.1:" + nodes[1])
                    .replace("listen 80 default_server;", "listen 127.0.0.1:" + port + " default_server;")
                    .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                    .replace("server_name maestro.example.com;", "server_name 127.0.0.1;");
            return "daemon off;\nworker_processes 1;\npid " + home.resolve("nginx.pid") + ";\n"
                    + "events { worker_connections 512; }\n"
                    + "http {\n"
                    + "  client_body_temp_path tmp/body; proxy_temp_path tmp/proxy; fastcgi_temp_path tmp/fastcgi;\n"
                    + "  uwsgi_temp_path tmp/uwsgi; scgi_temp_path tmp/scgi;\n"
                    + "  log_format upstreams '$upstream_addr $status \"$request\"';\n"
                    + "  access_log " + home.resolve("logs/access.log") + " upstreams;\n"
                    + block
                    + "}\n";
        }

        /** Lines of the access log: the node that answered, the status, the request. */
        List<String> accessLog() {
            return read(home.resolve("logs/access.log")).lines().toList();
        }

        void stop() throws InterruptedException {
            if (process == null) return;
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p) : "";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
