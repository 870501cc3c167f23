package io.maestro.history;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point-in-time reads of links: relation, tag and service filters with {@code as_of}, and the
 * reverse relations of a read {@code as_of}, each as things stood then (records deleted since
 * included), after single writes, cascades, datacenter detach, restore and bulk writes.
 */
class AsOfLinksApiTest extends ApiTest {

    private List<Object> names(String path) {
        return admin().get(path).items().stream().map(i -> i.get("name")).toList();
    }

    /** A reverse relation list of a read as {name: via}. */
    @SuppressWarnings("unchecked")
    private Map<Object, Object> referrers(Map<String, Object> doc, String collection) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) doc.get(collection)) out.put(m.get("name"), m.get("via"));
        return out;
    }

    @Test
    void relationTagAndServiceFiltersAndReverseRelationsAnswerAsOfEachInstant() throws Exception {
        String s1 = admin().post("/servers", Map.of("hostname", "ln01", "tags", List.of(Map.of("key", "rack", "value", "r1")))).id();
        String s2 = admin().post("/servers", Map.of("hostname", "ln02")).id();
        String a1 = admin().post("/applications", Map.of("name", "app-1", "server_ids", List.of(s1))).id();
        String db = admin().post("/databases", Map.of("name", "db-1", "engine", "MySQL", "server_ids", List.of(s1))).id();
        admin().post("/loadbalancers", Map.of("name", "lb-1", "service", "HAProxy", "server_ids", List.of(s2), "target_ids", List.of(s1, a1)));
        String mysql = admin().get("/services?name=MySQL").items().get(0).get("id").toString();
        String t1 = clock.mark();
        String a2 = admin().post("/applications", Map.of("name", "app-2", "server_ids", List.of(s1, s2))).id();
        assertThat(admin().patch("/applications/" + a1, Map.of("server_ids", List.of(s2))).status()).isEqualTo(200);
        admin().patch("/servers/" + s1, Map.of("tags", List.of(Map.of("key", "rack", "value", "r2"))));
        admin().patch("/servers/" + s2, Map.of("tags", List.of(Map.of("key", "rack", "value", "r1"))));
        String t2 = clock.mark();
        assertThat(admin().delete("/applications/" + a2).status()).isEqualTo(204);
        assertThat(admin().delete("/databases/" + db).status()).isEqualTo(204);
        String t3 = clock.mark();

        // relation filter: exactly the applications linked then
        assertThat(names("/applications?as_of=" + t1 + "&server_ids=" + s1)).containsExactly("app-1");
        assertThat(names("/applications?as_of=" + t2 + "&server_ids=" + s1)).containsExactly("app-2");
        assertThat(names("/applications?as_of=" + t3 + "&server_ids=" + s1)).isEmpty();
        assertThat(names("/applications?server_ids=" + s1)).isEmpty();
        assertThat(names("/applications?as_of=" + t1 + "&server_ids=" + s2)).isEmpty();
        assertThat(names("/applications?as_of=" + t2 + "&server_ids=" + s2)).containsExactly("app-1", "app-2");
        assertThat(names("/applications?as_of=" + t3 + "&server_ids=" + s2)).containsExactly("app-1");
        assertThat(names("/databases?as_of=" + t2 + "&server_ids=" + s1)).containsExactly("db-1");
        assertThat(names("/loadbalancers?as_of=" + t1 + "&target_ids=" + a1)).containsExactly("lb-1");
        // with q, sort and paging, and totals counted as then
        Response page = admin().get("/applications?as_of=" + t2 + "&server_ids=" + s2 + "&sort=-name&size=1");
        assertThat(page.body()).containsEntry("total", 2);
        assertThat(page.items()).extracting(i -> i.get("name")).containsExactly("app-2");
        assertThat(names("/applications?as_of=" + t2 + "&server_ids=" + s2 + "&sort=-name&size=1&page=1")).containsExactly("app-1");
        assertThat(admin().get("/applications?as_of=" + t2 + "&server_ids=" + s2 + "&q=P-1").body()).containsEntry("total", 1);
        assertThat(admin().get("/applications?as_of=" + t3 + "&server_ids=" + s2).body()).containsEntry("total", 1);

        // tag filter: by key and value, or by key
        assertThat(names("/servers?as_of=" + t1 + "&tag=rack:r1")).containsExactly("ln01");
        assertThat(names("/servers?as_of=" + t2 + "&tag=rack:r1")).containsExactly("ln02");
        assertThat(names("/servers?as_of=" + t2 + "&tag=rack:r2")).containsExactly("ln01");
        assertThat(names("/servers?as_of=" + t1 + "&tag=rack")).containsExactly("ln01");
        assertThat(names("/servers?as_of=" + t2 + "&tag=rack")).containsExactly("ln01", "ln02");
        assertThat(admin().get("/servers?as_of=" + t2 + "&tag=rack&hostname=ln02").body()).containsEntry("total", 1);
        assertThat(names("/servers?tag=rack:r1")).containsExactly("ln02");

        // service filter: the database's automatic MySQL entry on ln01, gone with the database
        assertThat(names("/servers?as_of=" + t1 + "&service_id=" + mysql)).containsExactly("ln01");
        assertThat(names("/servers?as_of=" + t3 + "&service_id=" + mysql)).isEmpty();
        assertThat(admin().get("/servers?as_of=" + t3 + "&service_id=" + mysql).body()).containsEntry("total", 0);

        // reverse relations of a read as of each instant, the deleted application and database included
        Map<String, Object> then = admin().get("/servers/" + s1 + "?as_of=" + t1).body();
        assertThat(referrers(then, "applications")).isEqualTo(Map.of("app-1", List.of("server_ids")));
        assertThat(referrers(then, "databases")).isEqualTo(Map.of("db-1", List.of("server_ids")));
        assertThat(referrers(then, "loadbalancers")).isEqualTo(Map.of("lb-1", List.of("target_ids")));
        then = admin().get("/servers/" + s1 + "?as_of=" + t2).body();
        assertThat(referrers(then, "applications")).isEqualTo(Map.of("app-2", List.of("server_ids")));
        assertThat(referrers(then, "databases")).containsOnlyKeys("db-1");
        then = admin().get("/servers/" + s1 + "?as_of=" + t3).body();
        assertThat(referrers(then, "applications")).isEmpty();
        assertThat(referrers(then, "databases")).isEmpty();
        assertThat(referrers(then, "loadbalancers")).containsOnlyKeys("lb-1");
        then = admin().get("/servers/" + s2 + "?as_of=" + t2).body();
        assertThat(referrers(then, "applications")).containsOnlyKeys("app-1", "app-2");
        assertThat(referrers(then, "loadbalancers")).isEqualTo(Map.of("lb-1", List.of("server_ids")));
        assertThat(referrers(admin().get("/applications/" + a1 + "?as_of=" + t1).body(), "loadbalancers")).containsOnlyKeys("lb-1");
        // as the live read shows them
        assertThat(referrers(admin().get("/servers/" + s2 + "?as_of=" + clock.mark()).body(), "applications"))
                .isEqualTo(referrers(admin().get("/servers/" + s2).body(), "applications"));

        // a restore re-links: now, not then
        assertThat(admin().post("/applications/" + a2 + "/restore?as_of=" + t2, null).status()).isEqualTo(200);
        String t4 = clock.mark();
        assertThat(names("/applications?as_of=" + t3 + "&server_ids=" + s1)).isEmpty();
        assertThat(names("/applications?as_of=" + t4 + "&server_ids=" + s1)).containsExactly("app-2");
        assertThat(referrers(admin().get("/servers/" + s1 + "?as_of=" + t4).body(), "applications")).containsOnlyKeys("app-2");
    }

    @Test
    void aDetachedDatacentersLinksStandAsTheyWere() throws Exception {
        String dc = admin().post("/datacenters", Map.of("name", "dc-links")).id();
        String db = admin().post("/databases", Map.of("name", "rds-1", "engine", "MySQL", "datacenter_ids", List.of(dc))).id();
        String t1 = clock.mark();
        assertThat(admin().delete("/datacenters/" + dc + "?detach=true").status()).isEqualTo(204);
        String t2 = clock.mark();
        assertThat(names("/databases?as_of=" + t1 + "&datacenter_ids=" + dc)).containsExactly("rds-1");
        assertThat(names("/databases?as_of=" + t2 + "&datacenter_ids=" + dc)).isEmpty();
        // the deleted datacenter read as it stood, with the database that used it
        Map<String, Object> then = admin().get("/datacenters/" + dc + "?as_of=" + t1).body();
        assertThat(then).containsEntry("name", "dc-links");
        assertThat(referrers(then, "databases")).isEqualTo(Map.of("rds-1", List.of("datacenter_ids")));
        assertThat(admin().get("/databases/" + db).body().get("datacenter_ids")).isEqualTo(List.of());
    }

    @Test
    void bulkWritesKeepTheLinksOfEachInstant() throws Exception {
        String s1 = admin().post("/servers", Map.of("hostname", "bl01")).id();
        String s2 = admin().post("/servers", Map.of("hostname", "bl02")).id();
        // more than a few rows: PostgreSQL writes the link history with COPY
        List<Object> apps = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            apps.add(Map.of("name", "bulk-app-" + i, "server_ids", List.of(s1), "tags", List.of(Map.of("key", "wave", "value", "1"))));
        }
        assertThat(admin().post("/applications/bulk", apps).body()).containsEntry("created", 60);
        List<Object> servers = new ArrayList<>();
        for (int i = 0; i < 60; i++) servers.add(Map.of("hostname", "bulk-srv-" + i, "services", List.of(Map.of("name", "Nginx"))));
        assertThat(admin().post("/servers/bulk", servers).body()).containsEntry("created", 60);
        String nginx = admin().get("/services?name=Nginx").items().get(0).get("id").toString();
        String t1 = clock.mark();

        List<Object> moved = new ArrayList<>();
        for (Map<String, Object> a : admin().get("/applications?size=100").items()) {
            moved.add(Map.of("id", a.get("id"), "name", a.get("name"), "server_ids", List.of(s2), "tags", List.of(Map.of("key", "wave", "value", "2"))));
        }
        assertThat(admin().post("/applications/bulk", moved).body()).containsEntry("updated", 60);
        List<Object> cleared = new ArrayList<>();
        for (Map<String, Object> s : admin().get("/servers?q=bulk-srv&size=100").items()) {
            cleared.add(Map.of("id", s.get("id"), "hostname", s.get("hostname"), "services", List.of()));
        }
        assertThat(admin().post("/servers/bulk", cleared).body()).containsEntry("updated", 60);
        String t2 = clock.mark();

        assertThat(admin().get("/applications?as_of=" + t1 + "&server_ids=" + s1).body()).containsEntry("total", 60);
        assertThat(admin().get("/applications?as_of=" + t1 + "&server_ids=" + s2).body()).containsEntry("total", 0);
        assertThat(admin().get("/applications?as_of=" + t2 + "&server_ids=" + s1).body()).containsEntry("total", 0);
        assertThat(admin().get("/applications?as_of=" + t2 + "&server_ids=" + s2 + "&size=100").items()).hasSize(60);
        assertThat(admin().get("/applications?as_of=" + t1 + "&tag=wave:1").body()).containsEntry("total", 60);
        assertThat(admin().get("/applications?as_of=" + t2 + "&tag=wave:1").body()).containsEntry("total", 0);
        assertThat(admin().get("/applications?as_of=" + t2 + "&tag=wave:2").body()).containsEntry("total", 60);
        assertThat(admin().get("/servers?as_of=" + t1 + "&service_id=" + nginx).body()).containsEntry("total", 60);
        assertThat(admin().get("/servers?as_of=" + t2 + "&service_id=" + nginx).body()).containsEntry("total", 0);
        assertThat(referrers(admin().get("/servers/" + s1 + "?as_of=" + t1).body(), "applications")).hasSize(60);
        assertThat(referrers(admin().get("/servers/" + s1 + "?as_of=" + t2).body(), "applications")).isEmpty();
        assertThat(referrers(admin().get("/servers/" + s2 + "?as_of=" + t2).body(), "applications")).hasSize(60);
    }

    @Test
    void badLinkFiltersWithAsOfAnswer400NamingTheParameter() {
        String now = clock.mark();
        assertThat(admin().get("/applications?as_of=" + now + "&server_ids=nope").body().toString()).contains("field=server_ids");
        assertThat(admin().get("/servers?as_of=" + now + "&tag=:x").body().toString()).contains("field=tag");
        assertThat(admin().get("/servers?as_of=" + now + "&service_id=nope").body().toString()).contains("field=service_id");
        assertThat(admin().get("/applications?as_of=yesterday&server_ids=" + java.util.UUID.randomUUID()).body().toString()).contains("field=as_of");
        assertThat(admin().get("/applications?as_of=" + now + "&server_ids=nope").status()).isEqualTo(400);
    }
}
