package io.maestro.cluster;

import io.maestro.core.Json;
import io.maestro.sources.DiscoveryApiTest;
import io.maestro.sources.MotoServer;
import io.maestro.support.Keycloak;
import io.maestro.support.LocalIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.ec2.model.InstanceType;

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
import java.time.OffsetDateTime;
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
 * nginx in front configured with the block from docs/deploy.md, single sign-on through a real
 * Keycloak and discovery from a real moto. Everything runs on loopback. Node-specific requests
 * (a change on A, the check on B) go to the nodes' own ports; the rest goes through nginx.
 * PostgreSQL pass only: H2 is embedded and single-node.
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
    private static Keycloak keycloak;
    /** Why Keycloak could not be started (no Java 21+, say): only the single sign-on test fails for it. */
    private static Throwable keycloakProblem;
    private static MotoServer moto;

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
        // Keycloak starts meanwhile: the nodes read it only when the single sign-on test needs it
        try {
            keycloak = Keycloak.starting();
        } catch (RuntimeException | AssertionError e) {
            keycloakProblem = e;
        }
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
        if (moto != null) moto.close();
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
    void singleSignOnStartedThroughOneNodeCompletesOnTheOtherAndItsSessionWorksOnBoth() throws Exception {
        if (keycloakProblem != null) fail("Keycloak did not start", keycloakProblem);
        keycloak = Keycloak.shared(); // started with the nodes; now answering
        keycloak.setGroups("paula", "maestro-payments-admin", "maestro-ops-member", "unrelated-group"); // the realm's, whatever a test left
        HttpClient browser = browser();
        // the "Sign in with Keycloak" button through nginx, naming another site (nginx replaces the header)
        int line = nginx.accessLog().size();
        Resp start = send(browser, nginx.url(), "GET", "/oauth2/authorization/sso", null, null, "X-Forwarded-Host", "evil.example");
        assertThat(start.status).as(start.body).isEqualTo(302);
        String startedOn = nginx.upstreamOfLine(line);
        String authorize = start.header("Location");
        assertThat(authorize).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
        assertThat(LocalIssuer.query(authorize)) // (any authorization URL's parameters).containsEntry("redirect_uri", nginx.url() + "/login/oauth2/code/sso")
                .containsEntry("code_challenge_method", "S256");

        // Keycloak's own login form, as a browser posts it
        Resp form = send(browser, authorize, "GET", "", null, null);
        assertThat(form.status).as(form.body).isEqualTo(200);
        Matcher action = Pattern.compile("action=\"([^\"]*login-actions/authenticate[^\"]*)\"").matcher(form.body);
        assertThat(action.find()).as("Keycloak's login form: %s", form.body).isTrue();
        Resp signedIn = send(browser, action.group(1).replace("&amp;", "&"), "POST", "", null,
                "username=paula&password=" + enc("paula-password-1") + "&credentialId=", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(signedIn.status).as(signedIn.body).isEqualTo(302);
        String callback = signedIn.header("Location");
        assertThat(callback).startsWith(nginx.url() + "/login/oauth2/code/sso?");

        // nginx takes turns between the nodes: the request after the start (nothing else went through it since) goes to the other
        Resp done = send(browser, callback, "GET", "", null, null);
        assertThat(nginx.upstreamOfLine(line + 1)).as("the node that completed the sign-in").isNotEqualTo(startedOn);
        assertThat(nginx.accessLog().get(line + 1)).contains("GET /login/oauth2/code/sso?");
        assertThat(done.status).isEqualTo(302);
        assertPublic(done.header("Location"));
        assertThat(done.header("Location")).doesNotContain("error");

        // signed in as paula on both nodes and through nginx, with the team her group names
        for (String url : List.of(a.url(), b.url(), nginx.url())) {
            Resp home = send(browser, url, "GET", "/", null, null);
            assertThat(home.status).as(url).isEqualTo(200);
            assertThat(home.body).as(url).contains("paula").contains("Sign out");
        }
        assertThat(count("SELECT COUNT(*) FROM app_user WHERE username = 'paula' AND sso_issuer = '" + keycloak.issuer() + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM team_member m JOIN team t ON t.id = m.team_id JOIN app_user u ON u.id = m.user_id"
                + " WHERE u.username = 'paula' AND t.name = 'payments' AND m.role = 'admin'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'paula'")).isEqualTo(1);

        // the callback replayed by another browser signs nobody in, whichever node nginx gives it to
        Set<String> replayedOn = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            HttpClient other = browser();
            int replayLine = nginx.accessLog().size();
            Resp replayed = send(other, callback, "GET", "", null, null);
            replayedOn.add(nginx.upstreamOfLine(replayLine));
            assertThat(replayed.status).isEqualTo(302);
            assertThat(replayed.header("Location")).contains("/login?sso_error=");
            for (Node n : List.of(a, b)) assertThat(send(other, n.url(), "GET", "/", null, null).header("Location")).contains("/login");
        }
        assertThat(replayedOn).hasSize(2);
        assertThat(count("SELECT COUNT(*) FROM spring_session WHERE principal_name = 'paula'")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void changesOnOneNodeAreRefusedOnTheOtherWithinOneSecond() throws Exception {
        String bob = send(a.url(), "POST", "/api/v1/users", admin(), Json.write(Map.of("username", "bob", "password", PASSWORD))).id();
        String team = send(a.url(), "POST", "/api/v1/teams", admin(), "{\"name\": \"billing\"}").id();
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
    @Order(5)
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
    @Order(6)
    void redirectsAndLocationsNameThePublicUrlAndOtherHostsGetNoAnswer() throws Exception {
        Resp created = send(nginx.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"dc-public-url\"}",
                "X-Forwarded-Host", "evil.example");
        assertThat(created.status).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo(nginx.url() + "/api/v1/datacenters/" + created.id());
        Resp toLogin = send(browser(), nginx.url(), "GET", "/servers", null, null);
        assertThat(toLogin.status).isEqualTo(302);
        assertPublic(toLogin.header("Location"));

        String create = "{\"name\": \"dc-other-site\"}";
        for (String request : List.of("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
                "POST /api/v1/datacenters HTTP/1.1\r\nHost: evil.example\r\nAuthorization: " + admin() + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + create.length() + "\r\nConnection: close\r\n\r\n" + create)) {
            try (Socket socket = new Socket("127.0.0.1", nginx.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                byte[] answer;
                try {
                    answer = socket.getInputStream().readAllBytes();
                } catch (java.net.SocketException reset) {
                    answer = new byte[0]; // closed with a reset (a body left unread): no answer either
                }
                assertThat(answer).as("answer to a request naming another site").isEmpty();
            }
        }
        assertThat(count("SELECT COUNT(*) FROM datacenter WHERE name = 'dc-other-site'")).isZero();
    }

    @Test
    @Order(7)
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
    @Order(8)
    @SuppressWarnings("unchecked")
    void aScheduledConnectionRunsOnceForTheWholeCluster() throws Exception {
        moto = MotoServer.start();
        String instance = DiscoveryApiTest.launch(moto.ec2("us-east-1"), InstanceType.T3_MICRO, null, DiscoveryApiTest.tag("Name", "scheduled-web01"));
        String dc = send(a.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"aws-scheduled\", \"regions\": [\"us-east-1\"]}").id();
        String conn = send(a.url(), "POST", "/api/v1/connections", admin(), Json.write(Map.of("name", "aws-scheduled", "provider", "aws",
                "datacenter_id", dc, "regions", List.of("us-east-1"), "endpoint_url", moto.url, "schedule", "PT1H",
                "credentials", Map.of("access_key_id", "AKIACLUSTER", "secret_access_key", "cluster-secret-access-key-0123")))).id();
        // its first period begins an hour after it was created: begin it now, as that hour passing would
        execute("UPDATE source_connection SET next_run_at = CURRENT_TIMESTAMP - INTERVAL '1 second' WHERE id = '" + conn + "'");

        List<Map<String, Object>> runs = new ArrayList<>();
        awaitCondition(Duration.ofSeconds(180), "the scheduled run to end", () -> {
            runs.clear();
            runs.addAll((List<Map<String, Object>>) send(nginx.url(), "GET", "/api/v1/connections/" + conn + "/runs", admin(), null).json().get("items"));
            return !runs.isEmpty() && !List.of("queued", "running").contains(runs.get(0).get("status"));
        });
        Map<String, Object> run = runs.get(0);
        assertThat(run).as("the run").containsEntry("trigger", "schedule").containsEntry("status", "succeeded");
        Instant ended = OffsetDateTime.parse((String) run.get("finished_at")).toInstant();

        // each node has looked for due runs again since the run ended (it was then neither running nor due any more):
        // a node that did not see the period taken would have started a second run by then
        awaitCondition(Duration.ofSeconds(120), "a schedule check on each node after the run ended", () ->
                Stream.of(a, b).allMatch(n -> n.scheduleChecks().stream().anyMatch(c -> c.at().isAfter(ended))));
        assertThat((List<Object>) send(nginx.url(), "GET", "/api/v1/connections/" + conn + "/runs", admin(), null).json().get("items"))
                .as("runs of the connection").hasSize(1);
        assertThat(Stream.of(a, b).flatMap(n -> n.scheduleChecks().stream()).mapToInt(ScheduleCheck::started).sum())
                .as("runs started by the two nodes' schedule checks").isEqualTo(1);
        for (Node n : List.of(a, b)) assertThat(n.log()).doesNotContain("Scheduled run of connection " + conn + " skipped");
        // the period was claimed: the next one begins an hour after this one's run was started
        assertThat(count("SELECT COUNT(*) FROM source_connection WHERE id = '" + conn + "' AND next_run_at > CURRENT_TIMESTAMP + INTERVAL '50 minutes'"))
                .isEqualTo(1);
        // and what it found is there, once
        Resp servers = send(nginx.url(), "GET", "/api/v1/servers?datacenter.instance_id=" + instance, admin(), null);
        assertThat((List<Object>) servers.json().get("items")).as(servers.body).hasSize(1);
    }

    @Test
    @Order(9)
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

    @Test
    @Order(10)
    void webhookDeliveriesAreSentOnceByTheClusterAndSurviveANodeKilledWithThemPending() throws Exception {
        // B was killed by the test before: it comes back first, on the same database
        b.start();
        b.awaitReady();
        AtomicBoolean receiverUp = new AtomicBoolean(true);
        List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 50);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (receiverUp.get()) {
                @SuppressWarnings("unchecked") Map<String, Object> delivery = (Map<String, Object>) Json.parse(new String(body, StandardCharsets.UTF_8));
                received.add(delivery);
            }
            ex.sendResponseHeaders(receiverUp.get() ? 204 : 503, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        try {
            String hook = send(a.url(), "POST", "/api/v1/webhooks", admin(), "{\"name\": \"cluster\", \"url\": \"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\", \"collections\": [\"datacenters\"], \"actions\": [\"create\"]}").id();

            // both nodes up: every change is delivered, each delivery by one node only
            Set<String> created = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) created.add(send(nginx.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"hooked-" + i + "\"}").id());
            awaitCondition(Duration.ofSeconds(120), "the 20 deliveries", () -> pending(hook) == 0 && received.size() >= 20);
            assertThat(received.stream().map(d -> d.get("record_id")).collect(Collectors.toSet())).isEqualTo(created);
            assertThat(received.stream().map(d -> d.get("delivery_id")).distinct()).as("no delivery sent twice").hasSize(20);

            // receiver down, changes committed, B killed with their deliveries pending (some of them claimed by B)
            receiverUp.set(false);
            received.clear();
            Set<String> later = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) later.add(send(nginx.url(), "POST", "/api/v1/datacenters", admin(), "{\"name\": \"pending-" + i + "\"}").id());
            awaitCondition(Duration.ofSeconds(60), "attempts refused by the receiver", () -> attempted(hook) >= 20);
            b.kill(); // SIGKILL
            receiverUp.set(true);
            // A sends them all, those B held once its lease ends
            awaitCondition(Duration.ofSeconds(180), "the 20 pending deliveries after the kill", () -> pending(hook) == 0);
            assertThat(received.stream().map(d -> d.get("record_id")).collect(Collectors.toSet())).isEqualTo(later);
            assertThat(received.stream().map(d -> d.get("delivery_id")).distinct()).as("each delivered once: none had succeeded before").hasSize(20);
            assertThat(count("SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = '" + hook + "' AND status = 'succeeded'")).isEqualTo(40);
        } finally {
            receiver.stop(0);
        }
    }

    private static long pending(String hook) {
        try {
            return count("SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = '" + hook + "' AND status = 'pending'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deliveries of the webhook tried at least once and not yet sent. */
    private static long attempted(String hook) {
        try {
            return count("SELECT COUNT(*) FROM webhook_delivery WHERE webhook_id = '" + hook + "' AND status = 'pending' AND attempts > 0");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        return HttpClient.newBuilder().cookieHandler(new BrowserCookies()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Cookies kept as a browser keeps them. Like Chromium, it sends Secure cookies to loopback over
     * plain http (a "potentially trustworthy" origin): Keycloak marks its login cookies Secure.
     */
    private static final class BrowserCookies extends CookieManager {
        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            boolean loopback = "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
            return super.get(loopback ? URI.create("https" + uri.toString().substring("http".length())) : uri, headers);
        }
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

    private static void execute(String sql) throws Exception {
        try (Connection c = db(true); Statement s = c.createStatement()) {
            s.execute(sql);
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

    private record ScheduleCheck(Instant at, int started) {
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
            if (keycloak != null) {
                env.put("MAESTRO_SSO_ISSUER", keycloak.issuer());
                env.put("MAESTRO_SSO_CLIENT_ID", Keycloak.CLIENT_ID);
                env.put("MAESTRO_SSO_CLIENT_SECRET", Keycloak.CLIENT_SECRET);
                env.put("MAESTRO_SSO_NAME", "Keycloak");
            }
            // discovery from the test's moto; connections' schedules looked at every second, each look logged
            env.put("MAESTRO_DISCOVERY_ALLOWED_ENDPOINTS", "http://127.0.0.1");
            env.put("MAESTRO_DISCOVERY_SCHEDULE_CHECK", "PT1S");
            env.put("LOGGING_LEVEL_IO_MAESTRO_SOURCES", "DEBUG");
            // webhooks to the test's receiver on loopback, retried within the test's patience (a claim's lease: 10 × 2 s)
            env.put("MAESTRO_WEBHOOKS_ALLOWED_URLS", "http://127.0.0.1");
            env.put("MAESTRO_WEBHOOKS_POLL_INTERVAL", "200ms");
            env.put("MAESTRO_WEBHOOKS_RETRY_DELAYS", "300ms");
            env.put("MAESTRO_WEBHOOKS_TIMEOUT", "2s");
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

        private static final Pattern SCHEDULE_CHECK = Pattern.compile("Schedule check at (\\S+): \\d+ connection\\(s\\) due, (\\d+) run\\(s\\) started here");

        /** This node's looks for due scheduled runs (ScheduledRuns logs each at debug). */
        List<ScheduleCheck> scheduleChecks() {
            List<ScheduleCheck> out = new ArrayList<>();
            Matcher m = SCHEDULE_CHECK.matcher(log());
            while (m.find()) out.add(new ScheduleCheck(OffsetDateTime.parse(m.group(1)).toInstant(), Integer.parseInt(m.group(2))));
            return out;
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

        /** The node (host:port) that answered the request of access log line {@code index}, once nginx has written it. */
        String upstreamOfLine(int index) {
            awaitCondition(Duration.ofSeconds(10), "line " + index + " of nginx's access log", () -> accessLog().size() > index);
            return accessLog().get(index).split("[ ,]")[0];
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
