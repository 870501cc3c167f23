package io.maestro.integrations;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Base of the integration tests: only user admin and team default at the start; users, teams, tokens and real programs. */
abstract class IntegrationTest extends ApiTest {
    static final String PASSWORD = "a-long-password-1";

    @BeforeEach
    void onlyAdmin() {
        noWebhooks();
        jdbc.update("DELETE FROM api_token");
        jdbc.update("DELETE FROM team_member WHERE user_id IN (SELECT id FROM app_user WHERE username <> 'admin')"
                + " OR team_id IN (SELECT id FROM team WHERE name <> 'default')");
        jdbc.update("DELETE FROM app_user WHERE username <> 'admin'");
        jdbc.update("DELETE FROM team WHERE name <> 'default'");
    }

    /** No webhook outlives its test: other suites' writes would queue deliveries to receivers long gone. */
    @org.junit.jupiter.api.AfterEach
    void noWebhooks() {
        jdbc.update("DELETE FROM webhook_delivery");
        jdbc.update("DELETE FROM webhook_event");
        jdbc.update("DELETE FROM webhook");
    }

    String user(String name) {
        Response r = admin().post("/users", Map.of("username", name, "password", PASSWORD, "email", name + "@example.com"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    Client login(String name) {
        return as(name, PASSWORD);
    }

    /** A team created by {@code creator}, who becomes its admin. */
    String team(String name, String creator) {
        Response r = login(creator).post("/teams", Map.of("name", name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    /** A token of {@code scope} for {@code user} ("admin" included); returns the secret. */
    String token(String user, String scope) {
        Client c = user.equals("admin") ? admin() : login(user);
        Response r = c.post("/tokens", Map.of("name", user + "-" + scope, "scope", scope));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return (String) r.body().get("token");
    }

    String create(Client as, String collection, Map<String, Object> body) {
        Response r = as.post("/" + collection, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    static void problem(Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
        if (field != null) assertThat(r.text()).as(r.toString()).contains("\"field\":\"" + field + "\"");
    }

    /** A finished program: its exit code and output. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /** Runs a program to its end (bounded), output into files so a full pipe never blocks it. */
    static Run run(Map<String, String> env, Duration limit, List<String> command) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("maestro-run");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + limit + ": " + Files.readString(dir.resolve("err")));
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8), Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    /** Waits until {@code condition} holds, checking every 100 ms, failing after {@code limit}. */
    static void await(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + limit + " waiting for " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    static String program(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw new AssertionError(name + " is not installed (bin/test installs it with apt-get when run as root)");
    }
}
