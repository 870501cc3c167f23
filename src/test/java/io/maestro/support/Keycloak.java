package io.maestro.support;

import io.maestro.core.Json;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real Keycloak (the distribution from Maven Central, unpacked by the build into
 * target/keycloak) in dev mode on loopback, with realm {@code maestro} imported from
 * src/test/resources/keycloak/maestro-realm.json: client {@code maestro} (confidential, PKCE
 * S256 required, redirect URIs on loopback only: localhost and 127.0.0.1, any port) and users
 * paula and ada in groups. One per test JVM, stopped when it ends. Its database stays in target between runs (the first start takes
 * minutes); it is made afresh when the realm file changes.
 */
public final class Keycloak {
    public static final String CLIENT_ID = "maestro";
    public static final String CLIENT_SECRET = "maestro-client-secret";
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "keycloak-admin-password-for-tests";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Keycloak shared;

    private final int port;
    private final Process process;
    private final Path log;
    private boolean ready;

    private Keycloak(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The one Keycloak of this JVM, started on first use and answering. */
    public static Keycloak shared() {
        return starting().awaitReady();
    }

    /**
     * The one Keycloak of this JVM, its process started on first use but perhaps not answering yet:
     * its issuer URL is known at once, so Maestro nodes can be configured with it while it starts
     * (they read the provider only when a sign-in needs it). {@link #shared()} waits for it.
     */
    public static synchronized Keycloak starting() {
        if (shared == null) {
            try {
                shared = launch();
            } catch (IOException e) {
                throw new IllegalStateException("Keycloak did not start: " + e, e);
            }
            Keycloak k = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> k.process.destroy()));
        }
        return shared;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public String issuer() {
        return base() + "/realms/maestro";
    }

    private static Keycloak launch() throws IOException {
        Path home = Path.of(System.getProperty("maestro.test.keycloak", "target/keycloak/keycloak"));
        assertThat(home.resolve("bin/kc.sh")).as("Keycloak unpacked by the build (mvn generate-test-resources)").exists();
        Path java = javaHome().orElseThrow(() -> new AssertionError("Keycloak needs Java 21 or newer; none found in /usr/lib/jvm"));
        byte[] realm;
        try (var in = Keycloak.class.getResourceAsStream("/keycloak/maestro-realm.json")) {
            realm = in.readAllBytes();
        }
        // a changed realm file: start from an empty database so it is imported again
        String hash = sha256(realm);
        Path marker = home.resolve("data/realm.sha256");
        if (!Files.exists(marker) || !Files.readString(marker).equals(hash)) {
            deleteTree(home.resolve("data"));
            Files.createDirectories(home.resolve("data/import"));
            Files.write(home.resolve("data/import/maestro-realm.json"), realm);
            Files.writeString(marker, hash);
        }
        int port = freePort();
        Path log = home.resolve("data/keycloak.log");
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev", "--http-host=127.0.0.1",
                "--http-port=" + port, "--http-management-port=" + freePort(), "--import-realm")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", java.toString());
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
        return new Keycloak(port, pb.start(), log);
    }

    private synchronized Keycloak awaitReady() {
        if (ready) return this;
        // minutes on a busy machine the first time (it builds itself and creates its database)
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!answers()) {
            if (!process.isAlive()) fail("Keycloak exited: " + tail());
            if (System.nanoTime() > deadline) fail("Keycloak did not answer within 15 minutes: " + tail());
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // a poll interval
        }
        // a freshly started Keycloak answers its first requests of each kind slowly; Maestro's
        // read of the signing keys (when it checks the first ID token) must not be one of them
        for (int i = 0; i < 3; i++) request(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/openid-connect/certs")), 200);
        adminToken();
        ready = true;
        return this;
    }

    private boolean answers() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Makes {@code username}'s groups exactly {@code groups} (through Keycloak's admin API). */
    public void setGroups(String username, String... groups) {
        String token = adminToken();
        String user = (String) list(get("/admin/realms/maestro/users?exact=true&username=" + username, token)).get(0).get("id");
        for (Map<String, Object> g : list(get("/admin/realms/maestro/users/" + user + "/groups", token))) {
            send("DELETE", "/admin/realms/maestro/users/" + user + "/groups/" + g.get("id"), token);
        }
        for (String name : groups) {
            String group = list(get("/admin/realms/maestro/groups?exact=true&search=" + name, token)).stream()
                    .filter(g -> name.equals(g.get("name"))).findFirst().orElseThrow().get("id").toString();
            send("PUT", "/admin/realms/maestro/users/" + user + "/groups/" + group, token);
        }
    }

    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=" + ADMIN + "&password=" + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8);
        String body = request(HttpRequest.newBuilder(URI.create(base() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)), 200);
        return (String) ((Map<?, ?>) Json.parse(body)).get("access_token");
    }

    private String get(String path, String token) {
        return request(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token), 200);
    }

    private void send(String method, String path, String token) {
        request(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()), 204);
    }

    private static String request(HttpRequest.Builder b, int expected) {
        try {
            HttpResponse<String> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Keycloak answered: %s", r.body()).isEqualTo(expected);
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("Keycloak request failed: " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(String json) {
        return (List<Map<String, Object>>) Json.parse(json);
    }

    private String tail() {
        try {
            String l = Files.readString(log);
            return l.substring(Math.max(0, l.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The newest JDK of 21 or later in /usr/lib/jvm (Temurin 25 on the project's machines). */
    private static Optional<Path> javaHome() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && major(d) >= 21)
                    .max(Comparator.comparingInt(Keycloak::major));
        }
    }

    private static int major(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
