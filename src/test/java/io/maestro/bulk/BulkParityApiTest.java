package io.maestro.bulk;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule a single write enforces, run through {@code /bulk} too: the row gets what a single
 * write answers for it (status, field errors, the holder's id), reported per row, and nothing of
 * a refused row is stored. The same on H2 and PostgreSQL (the uniqueness rules are the same
 * indexes in both dialects).
 */
class BulkParityApiTest extends ApiTest {
    private static final String PASSWORD = "a-long-password-1";

    @BeforeEach
    void onlyAdmin() {
        jdbc.update("DELETE FROM api_token");
        jdbc.update("DELETE FROM team_member WHERE user_id IN (SELECT id FROM app_user WHERE username <> 'admin')"
                + " OR team_id IN (SELECT id FROM team WHERE name <> 'default')");
        jdbc.update("DELETE FROM app_user WHERE username <> 'admin'");
        jdbc.update("DELETE FROM team WHERE name <> 'default'");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> failed(Response r) {
        return (List<Map<String, Object>>) r.body().get("failed");
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test
    void aNameTakenInAnotherCaseIsRefusedInBulkAsInASingleWrite() {
        String nginx = admin().post("/services", Map.of("name", "Nginx")).id();
        Response single = admin().post("/services", Map.of("name", "nginx"));
        assertThat(single.status()).isEqualTo(409);
        assertThat(single.body()).containsEntry("existing_id", nginx);

        Response bulk = admin().post("/services/bulk", List.of(Map.of("name", "NGINX"), Map.of("name", "nginx")));
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.body()).containsEntry("created", 0).containsEntry("failed_count", 2);
        for (Map<String, Object> f : failed(bulk)) {
            assertThat(f).as(bulk.toString()).containsEntry("status", 409).containsEntry("existing_id", nginx);
            assertThat(f.get("errors").toString()).contains("name", "already exists");
        }
        assertThat(count("SELECT COUNT(*) FROM service WHERE LOWER(name) = 'nginx'")).isEqualTo(1);
    }

    @Test
    void aNameRepeatedInOneBulkIsStoredOnceAndTheRepeatNamesTheFirst() {
        Response bulk = admin().post("/providers/bulk", List.of(Map.of("name", "Hetzner"), Map.of("name", "HETZNER"), Map.of("name", "OVH")));
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("created", 2).containsEntry("failed_count", 1);
        String hetzner = (String) admin().get("/providers?name=Hetzner").items().get(0).get("id");
        assertThat(failed(bulk).get(0)).containsEntry("index", 1).containsEntry("status", 409).containsEntry("existing_id", hetzner);
        assertThat(count("SELECT COUNT(*) FROM provider WHERE LOWER(name) = 'hetzner'")).isEqualTo(1);
        // the refused row left no history either
        assertThat(count("SELECT COUNT(*) FROM record_change WHERE kind = 'providers'")).isEqualTo(2);
    }

    @Test
    void aBulkRenameOfAProviderRenamesItInTheDatacentersAndDeleteProtectionSeesIt() {
        String aws = admin().post("/providers", Map.of("name", "AWS")).id();
        String dc = admin().post("/datacenters", Map.of("name", "prod", "provider", "AWS")).id();

        Response bulk = admin().post("/providers/bulk", List.of(Map.of("id", aws, "name", "Amazon")));
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("updated", 1).containsEntry("failed_count", 0);
        Map<String, Object> datacenter = admin().get("/datacenters/" + dc).body();
        assertThat(datacenter).containsEntry("provider", "Amazon").containsEntry("version", 2);
        assertThat(admin().get("/datacenters/" + dc + "/history").items()).hasSize(2);

        Response delete = admin().delete("/providers/" + aws);
        assertThat(delete.status()).as(delete.toString()).isEqualTo(409);
        assertThat(delete.body().get("usages").toString()).contains("datacenters");
        assertThat(admin().get("/providers/" + aws).status()).isEqualTo(200);
    }

    @Test
    void aDatacenterCreatedInBulkProtectsItsProviderFromDeletion() {
        String ovh = admin().post("/providers", Map.of("name", "OVH")).id();
        Response bulk = admin().post("/datacenters/bulk", List.of(Map.of("name", "gra", "provider", "ovh")));
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("created", 1);
        assertThat(admin().delete("/providers/" + ovh).status()).isEqualTo(409);
    }

    @Test
    void anInstanceIdHeldByAnotherServerIsA409PerRowNamingTheHolder() {
        String dc = admin().post("/datacenters", Map.of("name", "dc-p")).id();
        String first = admin().post("/servers", Map.of("hostname", "p1", "datacenter", Map.of("id", dc, "instance_id", "i-1"))).id();
        String second = admin().post("/servers", Map.of("hostname", "p2")).id();
        Map<String, Object> moveOnto = Map.of("hostname", "p2", "datacenter", Map.of("id", dc, "instance_id", "i-1"));

        Response single = admin().put("/servers/" + second, moveOnto);
        assertThat(single.status()).as(single.toString()).isEqualTo(409);
        assertThat(single.body()).containsEntry("existing_id", first);

        List<Object> rows = new ArrayList<>();
        Map<String, Object> row = new java.util.LinkedHashMap<>(moveOnto);
        row.put("id", second);
        rows.add(row);
        Response bulk = admin().post("/servers/bulk", rows);
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("updated", 0).containsEntry("failed_count", 1);
        assertThat(failed(bulk).get(0)).containsEntry("status", 409).containsEntry("existing_id", first);
        assertThat(failed(bulk).get(0).get("errors")).isEqualTo(single.body().get("errors"));
        assertThat(admin().get("/servers/" + second).body()).containsEntry("version", 1);
    }

    @Test
    void aBadRowGetsTheFieldErrorsOfASingleWrite() {
        Map<String, Object> bad = Map.of("hostname", "bad_host", "cpu", "four", "ipv4_private", "300.1.1.1");
        Response single = admin().post("/servers", bad);
        assertThat(single.status()).isEqualTo(400);
        Response bulk = admin().post("/servers/bulk", List.of(bad));
        assertThat(failed(bulk).get(0).get("errors")).as(bulk.toString()).isEqualTo(single.body().get("errors"));
        assertThat(failed(bulk).get(0)).doesNotContainKey("status");
        assertThat(count("SELECT COUNT(*) FROM server")).isZero();
    }

    @Test
    void accessRulesAreTheSingleWriteRules() {
        admin().post("/users", Map.of("username", "nora", "password", PASSWORD, "email", "nora@example.com"));
        Client nora = as("nora", PASSWORD);
        // no team: a single create needs a team_id, so does a bulk row
        Response single = nora.post("/applications", Map.of("name", "a"));
        assertThat(single.status()).isEqualTo(400);
        Response bulk = nora.post("/applications/bulk", List.of(Map.of("name", "a")));
        assertThat(failed(bulk).get(0).get("errors")).as(bulk.toString()).isEqualTo(single.body().get("errors"));

        // a catalog row by someone who is no global admin: 403 for both
        assertThat(nora.post("/services", Map.of("name", "Caddy")).status()).isEqualTo(403);
        Response catalog = nora.post("/services/bulk", List.of(Map.of("name", "Caddy")));
        assertThat(failed(catalog).get(0)).as(catalog.toString()).containsEntry("status", 403);
        assertThat(count("SELECT COUNT(*) FROM service")).isZero();
        assertThat(count("SELECT COUNT(*) FROM application")).isZero();
    }

    @Test
    void atomicStoresNothingWhenOneRowBreaksAUniqueRule() {
        admin().post("/services", Map.of("name", "Tomcat"));
        Response bulk = admin().post("/services/bulk?atomic=true", List.of(Map.of("name", "Jetty"), Map.of("name", "TOMCAT")));
        assertThat(bulk.body()).as(bulk.toString()).containsEntry("stored", false).containsEntry("created", 0).containsEntry("failed_count", 1);
        assertThat(count("SELECT COUNT(*) FROM service")).isEqualTo(1);
    }

    @Test
    void nonAtomicBulkKeepsFinishedChunksWhenTheBodyBreaksOffAndARepostIsIdempotent() {
        String dc = admin().post("/datacenters", Map.of("name", "dc-k")).id();
        int n = 1500; // one full chunk of 1,000, then the break in the second
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) rows.append(',');
            rows.append("{\"hostname\":\"k").append(i).append("\",\"datacenter\":{\"id\":\"").append(dc)
                    .append("\",\"instance_id\":\"i-").append(i).append("\"}}");
        }
        String whole = rows + "]";
        String broken = rows.substring(0, rows.length() - 10);

        Response cut = admin().post("/servers/bulk", broken);
        assertThat(cut.status()).as(cut.toString()).isEqualTo(400);
        assertThat(cut.body()).as("the problem reports what was committed").containsEntry("created", 1000).containsEntry("stored", true);
        assertThat(count("SELECT COUNT(*) FROM server")).isEqualTo(1000);
        assertThat(count("SELECT COUNT(*) FROM server_version WHERE valid_to IS NULL")).isEqualTo(1000);

        Response repost = admin().post("/servers/bulk", whole);
        assertThat(repost.body()).as(repost.toString()).containsEntry("created", 500).containsEntry("unchanged", 1000)
                .containsEntry("failed_count", 0);
        assertThat(count("SELECT COUNT(*) FROM server")).isEqualTo(n);
        Response again = admin().post("/servers/bulk", whole);
        assertThat(again.body()).containsEntry("created", 0).containsEntry("updated", 0).containsEntry("unchanged", n);
        assertThat(count("SELECT COUNT(*) FROM record_change WHERE kind = 'servers'")).isEqualTo(n);

        // atomic: a body that breaks off stores nothing at all
        Response atomic = admin().post("/servers/bulk?atomic=true", broken.replace("\"k", "\"z").replace("i-", "j-"));
        assertThat(atomic.status()).isEqualTo(400);
        assertThat(count("SELECT COUNT(*) FROM server")).isEqualTo(n);
    }

    @Test
    void theDatabaseItselfHoldsEveryUniquenessRuleOnBothDialects() {
        String team = jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", String.class);
        String insert = "INSERT INTO service (id, team_id, version, created_at, updated_at, name) VALUES (?, CAST(? AS UUID), 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?)";
        jdbc.update(insert, java.util.UUID.randomUUID(), team, "Varnish");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(insert, java.util.UUID.randomUUID(), team, "VARNISH"))
                .as("a catalog name in another case").isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        String provider = insert.replace("INTO service", "INTO provider");
        jdbc.update(provider, java.util.UUID.randomUUID(), team, "Scaleway");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(provider, java.util.UUID.randomUUID(), team, "scaleway"))
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
        String dc = admin().post("/datacenters", Map.of("name", "dc-u")).id();
        admin().post("/servers", Map.of("hostname", "u1", "datacenter", Map.of("id", dc, "instance_id", "i-u")));
        admin().post("/servers", Map.of("hostname", "u2"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("UPDATE server SET datacenter_id = CAST(? AS UUID), datacenter_instance_id = 'i-u'"
                        + " WHERE hostname = 'u2'", dc))
                .as("(datacenter, instance id)").isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }
}
