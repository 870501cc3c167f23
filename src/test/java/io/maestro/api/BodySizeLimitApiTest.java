package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** maestro.max-body-bytes is honoured to the byte, with and without Content-Length. */
@TestPropertySource(properties = "maestro.max-body-bytes=2000")
class BodySizeLimitApiTest extends ApiTest {

    /** A client body of exactly {@code size} bytes. */
    private static String body(int size) {
        String head = "{\"name\":\"c\",\"description\":\"";
        String tail = "\"}";
        return head + "d".repeat(size - head.length() - tail.length()) + tail;
    }

    private long clients() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM client", Long.class);
    }

    @Test
    void aBodyAtTheLimitIsRead() {
        Response r = admin().post("/clients", body(2000));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void oneByteOverTheLimitIs413ProblemAndNothingIsStored() {
        Response r = admin().post("/clients", body(2001));
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).containsEntry("status", 413).containsKeys("type", "title", "detail");
        assertThat(clients()).isZero();
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimit() throws Exception {
        byte[] bytes = body(2001).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/clients"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(clients()).isZero();
    }

    @Test
    void aPatchOverTheLimitLeavesTheRecordAsItWas() {
        Response created = admin().post("/clients", "{\"name\":\"c\"}");
        Response r = admin().patch("/clients/" + created.id(), body(2001));
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        Response read = admin().get("/clients/" + created.id());
        assertThat(read.body()).containsEntry("version", 1).containsEntry("description", null);
    }
}
