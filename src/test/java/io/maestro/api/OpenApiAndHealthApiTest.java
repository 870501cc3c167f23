package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.List;
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
        List<String> collections = kinds.all().stream().map(io.maestro.core.record.Kind::collection).toList();
        assertThat(collections).contains("servers", "applications", "databases", "loadbalancers", "datacenters", "systems", "clients",
                "services", "providers");
        for (String c : collections) {
            assertThat(paths).as(c).containsKeys("/api/v1/" + c, "/api/v1/" + c + "/{id}");
            assertThat(map(paths.get("/api/v1/" + c))).as(c).containsKeys("get", "post");
            assertThat(map(paths.get("/api/v1/" + c + "/{id}"))).as(c).containsKeys("get", "put", "patch", "delete");
        }
        assertThat(r.body().get("openapi").toString()).startsWith("3.");
    }

    @Test
    void openApiDocumentDescribesTheRecordsAndStatusCodes() {
        Map<String, Object> doc = anonymous().get("/v3/api-docs").body();
        Map<String, Object> paths = map(doc.get("paths"));
        Map<String, Object> schemas = map(map(doc.get("components")).get("schemas"));

        Map<String, Object> create = map(map(paths.get("/api/v1/servers")).get("post"));
        assertThat(map(create.get("responses"))).containsKeys("201", "400", "409").doesNotContainKey("200");
        assertThat(map(map(map(map(create.get("requestBody")).get("content")).get("application/json")).get("schema")))
                .containsEntry("$ref", "#/components/schemas/Server");
        Map<String, Object> server = map(schemas.get("Server"));
        assertThat(map(server.get("properties"))).containsKeys("hostname", "ipv4_private", "os", "datacenter", "auth", "services", "tags",
                "id", "team_id", "version", "created_at", "updated_at");
        assertThat(KindApiTest.list(server.get("required"))).contains("hostname");
        Map<String, Object> auth = map(map(map(server.get("properties")).get("auth")).get("items"));
        assertThat(map(map(auth.get("properties")).get("secret"))).containsEntry("writeOnly", true);
        assertThat(map(map(auth.get("properties")).get("has_secret"))).containsEntry("readOnly", true);

        Map<String, Object> patch = map(map(paths.get("/api/v1/servers/{id}")).get("patch"));
        assertThat(map(map(patch.get("requestBody")).get("content"))).containsKeys("application/merge-patch+json", "application/json");
        assertThat(map(patch.get("responses"))).containsKeys("200", "412");
        assertThat(map(map(map(paths.get("/api/v1/servers/{id}")).get("delete")).get("responses"))).containsKeys("204", "409");
        Map<String, Object> list = map(map(paths.get("/api/v1/databases")).get("get"));
        assertThat(((java.util.List<?>) list.get("parameters")).stream().map(p -> map(p).get("name")))
                .contains("q", "sort", "page", "size", "tag", "engine", "oracle.mode", "server_ids");
        for (String kind : new String[]{"Server", "Application", "Database", "Loadbalancer", "Datacenter", "System", "Client", "Service",
                "Provider"}) {
            assertThat(schemas).as(kind).containsKeys(kind, kind + "Page");
        }
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
