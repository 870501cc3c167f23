package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.maestro.api.KindApiTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/** "Basics": the OpenAPI document, Swagger UI and health, without credentials. */
class OpenApiAndHealthApiTest extends ApiTest {

    @Test
    void openApiDocumentListsEveryCollection() {
        Response r = anonymous().get("/v3/api-docs");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        Map<String, Object> paths = map(r.body().get("paths"));
        for (String c : new String[]{"servers", "applications", "databases", "loadbalancers", "datacenters", "systems", "clients",
                "services", "providers"}) {
            assertThat(paths).as(c).containsKeys("/api/v1/" + c, "/api/v1/" + c + "/{id}");
            assertThat(map(paths.get("/api/v1/" + c))).as(c).containsKeys("get", "post");
            assertThat(map(paths.get("/api/v1/" + c + "/{id}"))).as(c).containsKeys("get", "put", "patch", "delete");
        }
        assertThat(r.body().get("openapi").toString()).startsWith("3.");
    }

    @Test
    void swaggerUiIsReachable() {
        Response r = anonymous().get("/swagger-ui.html");
        int hops = 0;
        while (r.status() / 100 == 3 && hops++ < 5) {
            String location = r.header("Location");
            r = anonymous().get(location.startsWith("http") ? java.net.URI.create(location).getPath() : location);
        }
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).containsIgnoringCase("swagger");
    }

    @Test
    void healthIsUpWithoutCredentials() {
        Response r = anonymous().get("/actuator/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsEntry("status", "UP");
    }
}
