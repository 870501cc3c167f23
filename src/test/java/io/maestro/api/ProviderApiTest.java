package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /providers: the provider catalog with regions and zones; refused deletion while datacenters use it. */
class ProviderApiTest extends KindApiTest {
    @Override
    String path() {
        return "/providers";
    }

    @Override
    List<String> contractFields() {
        return List.of("regions", "zones");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"Bare metal\"}");
    }

    @Override
    Map<String, Object> full() {
        return json("""
                {"name": "AWS", "description": "Amazon Web Services", "regions": ["us-east-1", "eu-west-1"],
                 "zones": [{"name": "us-east-1a", "region": "us-east-1"}, {"name": "eu-west-1b", "region": "eu-west-1"}],
                 "tags": []}
                """);
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"regions\": [\"us-east-1\"]}");
    }

    @Override
    boolean teamOwned() {
        return false;
    }

    @Test
    void aProviderInUseIsOnlyDeletedWithDetach() {
        String aws = admin().post("/providers", full()).id();
        String dc = admin().post("/datacenters", json("{\"name\": \"prod\", \"provider\": \"aws\"}")).id();
        assertThat(admin().delete("/providers/" + aws).status()).isEqualTo(409);
        assertThat(admin().delete("/providers/" + aws + "?detach=true").status()).isEqualTo(204);
        assertThat(admin().get("/datacenters/" + dc).body()).containsEntry("provider", null);
    }

    @Test
    void renamingAProviderRenamesItInTheDatacentersUsingIt() {
        String aws = admin().post("/providers", full()).id();
        String dc = admin().post("/datacenters", json("{\"name\": \"prod\", \"provider\": \"AWS\"}")).id();
        assertThat(admin().patch("/providers/" + aws, json("{\"name\": \"Amazon Web Services\"}")).status()).isEqualTo(200);
        assertThat(admin().get("/datacenters/" + dc).body()).containsEntry("provider", "Amazon Web Services").containsEntry("version", 2);
        assertThat(admin().delete("/providers/" + aws).status()).isEqualTo(409);
    }

    @Test
    void namesAreUnique() {
        String aws = admin().post("/providers", full()).id();
        Response again = admin().post("/providers", json("{\"name\": \"aws\"}"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).containsEntry("existing_id", aws);
    }
}
