package io.maestro.support;

import io.maestro.core.Json;
import io.maestro.core.record.Kinds;
import io.maestro.identity.CurrentCaller;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Base of the API tests: a real server on a random port, real HTTP, on whichever database the
 * build chose (H2 by default, PostgreSQL with -Ppg). Each test starts with an empty inventory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({SqlStatementCounter.class, TestClock.class})
public abstract class ApiTest {
    public static final String ADMIN_PASSWORD = "test-admin-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    /** The application's clock: {@link TestClock#mark()} names an instant between two writes. */
    @Autowired
    protected TestClock clock;

    /** Tables of inventory data besides the kinds' own, emptied before each test (users, teams and option lists stay). */
    private static final List<String> INVENTORY_TABLES = List.of("record_field_owner", "source_run", "source_connection_change",
            "source_connection", "relation", "record_tag", "server_service", "record_access",
            "record_change", "relation_version", "record_tag_version", "server_service_version",
            "login_failure"); // a lockout left by one test must not refuse the next one's sign-in

    @Autowired
    protected Kinds kinds;

    @Autowired
    private CurrentCaller callers;

    @BeforeEach
    protected void emptyInventory() {
        INVENTORY_TABLES.forEach(t -> jdbc.update("DELETE FROM " + t));
        // every kind's live and version table, so a new kind needs nothing here
        kinds.all().forEach(k -> {
            jdbc.update("DELETE FROM " + k.table() + "_version");
            jdbc.update("DELETE FROM " + k.table());
        });
        callers.forgetAll(); // tests add and remove users, memberships and tokens with plain SQL too
    }

    /** Leaves the accounts of a fresh installation: no tokens, no users but admin, no teams but default. */
    protected void onlyTheAdmin() {
        jdbc.update("DELETE FROM api_token");
        jdbc.update("DELETE FROM team_member WHERE user_id IN (SELECT id FROM app_user WHERE username <> 'admin')"
                + " OR team_id IN (SELECT id FROM team WHERE name <> 'default')");
        jdbc.update("DELETE FROM app_user WHERE username <> 'admin'");
        jdbc.update("DELETE FROM team WHERE name <> 'default'");
        callers.forgetAll();
    }

    /** A JSON object from text, {@code %s} filled with {@code args}. */
    public static Map<String, Object> json(String text, Object... args) {
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) io.maestro.core.Json.parse(args.length == 0 ? text : text.formatted(args));
        return m;
    }

    /** The database the suite runs on: "h2" or "postgresql". */
    protected static String database() {
        return System.getProperty("maestro.test.db", "h2");
    }

    protected Client admin() {
        return as("admin", ADMIN_PASSWORD);
    }

    protected Client as(String user, String password) {
        return new Client("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    protected Client bearer(String token) {
        return new Client("Bearer " + token);
    }

    protected Client anonymous() {
        return new Client(null);
    }

    /** {@code /servers} means {@code /api/v1/servers}; other roots ({@code /v3/api-docs}, {@code /actuator}) stay. */
    static String url(String path) {
        return path.startsWith("/api/") || path.startsWith("/v3/") || path.startsWith("/actuator") || path.startsWith("/swagger")
                ? path : "/api/v1" + path;
    }

    /** An HTTP response with its body parsed as JSON where it is JSON. */
    public record Response(int status, java.net.http.HttpHeaders headers, String text) {
        public Object json() {
            return text == null || text.isBlank() ? null : Json.parse(text);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> body() {
            return (Map<String, Object>) json();
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> items() {
            return (List<Map<String, Object>>) body().get("items");
        }

        public String id() {
            return (String) body().get("id");
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** Requests as one caller. Bodies are JSON text or any object (serialized). */
    public final class Client {
        private final String authorization;

        Client(String authorization) {
            this.authorization = authorization;
        }

        public Response get(String path, String... headers) {
            return send("GET", path, null, "application/json", headers);
        }

        public Response post(String path, Object body, String... headers) {
            return send("POST", path, body, "application/json", headers);
        }

        public Response put(String path, Object body, String... headers) {
            return send("PUT", path, body, "application/json", headers);
        }

        public Response patch(String path, Object body, String... headers) {
            return send("PATCH", path, body, "application/merge-patch+json", headers);
        }

        public Response delete(String path, String... headers) {
            return send("DELETE", path, null, null, headers);
        }

        /** Any request; {@code headers} are name, value pairs (a Content-Type there wins). */
        public Response send(String method, String path, Object body, String contentType, String... headers) {
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + url(path)));
                if (authorization != null) b.header("Authorization", authorization);
                boolean hasType = false;
                for (int i = 0; i + 1 < headers.length; i += 2) {
                    b.header(headers[i], headers[i + 1]);
                    hasType |= headers[i].equalsIgnoreCase("Content-Type");
                }
                if (body != null && contentType != null && !hasType) b.header("Content-Type", contentType);
                byte[] bytes = body == null ? null : body instanceof byte[] raw ? raw
                        : (body instanceof String s ? s : Json.write(body)).getBytes(StandardCharsets.UTF_8);
                b.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
                HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(r.statusCode(), r.headers(), r.body());
            } catch (Exception e) {
                throw new AssertionError(method + " " + path + " failed: " + e, e);
            }
        }
    }
}
