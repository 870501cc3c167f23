package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeApiTest extends ApiTest {

    @Test
    void createsAndReadsAServer() {
        Response created = admin().post("/servers", Map.of("hostname", "web01", "environment", "Stage"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/servers/" + created.id());
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.body()).containsEntry("name", "web01").containsEntry("environment", "Staging");

        Response read = admin().get("/servers/" + created.id());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).containsEntry("hostname", "web01");
    }

    @Test
    void anonymousGets401Problem() {
        Response r = anonymous().get("/servers");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
