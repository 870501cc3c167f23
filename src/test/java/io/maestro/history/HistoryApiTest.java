package io.maestro.history;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryApiTest extends ApiTest {

    @Autowired
    HistoryRetention retention;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> changes(Map<String, Object> entry) {
        return (List<Map<String, Object>>) entry.get("changes");
    }

    @Test
    void aServersLifeIsReadBackFromItsHistoryAsOfEachStepAndTheFeed() throws Exception {
        String before = clock.mark();
        Response created = admin().post("/servers", Map.of("hostname", "life01", "environment", "Production",
                "auth", List.of(Map.of("name", "ops", "secret", "first-secret"))));
        String server = created.id();
        String afterCreate = clock.mark();
        admin().patch("/servers/" + server, Map.of("environment", "Development", "cpu", 8,
                "auth", List.of(Map.of("name", "ops", "secret", "second-secret")))).status();
        String afterUpdate = clock.mark();
        String db = admin().post("/databases", Map.of("name", "lifedb", "engine", "MySQL", "server_ids", List.of(server))).id();
        String afterLink = clock.mark();
        assertThat(admin().delete("/servers/" + server).status()).isEqualTo(204);

        Response history = admin().get("/servers/" + server + "/history");
        assertThat(history.status()).isEqualTo(200);
        List<Map<String, Object>> items = history.items();
        assertThat(items).extracting(e -> e.get("action")).containsExactly("delete", "update", "update", "create");
        assertThat(items).extracting(e -> e.get("actor")).containsOnly("admin");
        Map<String, Object> update = items.get(2);
        assertThat(changes(update)).anySatisfy(c -> {
            assertThat(c).containsEntry("field", "environment").containsEntry("old", "Production").containsEntry("new", "Development");
        });
        assertThat(changes(update)).anySatisfy(c -> assertThat(c).containsEntry("field", "auth[ops].secret")
                .containsEntry("old", "***").containsEntry("new", "***"));
        assertThat(history.text()).doesNotContain("first-secret", "second-secret", "v1:");
        // a create lists every field it set, secrets masked
        assertThat(changes(items.get(3))).anySatisfy(c -> assertThat(c).containsEntry("field", "hostname")
                .containsEntry("old", null).containsEntry("new", "life01"));
        assertThat(changes(items.get(3))).anySatisfy(c -> assertThat(c).containsEntry("field", "auth[ops].secret")
                .containsEntry("old", null).containsEntry("new", "***"));
        // the automatic service entry the database caused is a change of the server too
        assertThat(changes(items.get(1))).anySatisfy(c -> assertThat(c).containsEntry("field", "services[0].name").containsEntry("new", "MySQL"));

        assertThat(admin().get("/servers/" + server + "?as_of=" + before).status()).isEqualTo(404);
        assertThat(admin().get("/servers/" + server + "?as_of=" + afterCreate).body()).containsEntry("environment", "Production");
        assertThat(admin().get("/servers/" + server + "?as_of=" + afterUpdate).body()).containsEntry("environment", "Development")
                .containsEntry("cpu", 8);
        assertThat(admin().get("/servers/" + server + "?as_of=" + afterLink).body().get("services").toString()).contains("MySQL");
        assertThat(admin().get("/servers/" + server).status()).isEqualTo(404);

        assertThat(admin().get("/servers?as_of=" + afterCreate + "&environment=prod").body()).containsEntry("total", 1);
        assertThat(admin().get("/servers?as_of=" + afterUpdate + "&environment=prod").body()).containsEntry("total", 0);
        assertThat(admin().get("/servers?as_of=" + afterUpdate + "&q=LIFE").body()).containsEntry("total", 1);
        assertThat(admin().get("/servers?as_of=" + before).body()).containsEntry("total", 0);
        assertThat(admin().get("/servers").body()).containsEntry("total", 0);

        // the database lost its link when the server went: an update of the database
        Map<String, Object> dbHistory = admin().get("/databases/" + db + "/history").items().get(0);
        assertThat(changes(dbHistory)).anySatisfy(c -> assertThat(c).containsEntry("field", "server_ids").containsEntry("removed", List.of(server)));

        Response feed = admin().get("/history?kind=servers&since=" + before);
        assertThat(feed.items()).extracting(e -> e.get("action")).containsExactly("delete", "update", "update", "create");
        assertThat(admin().get("/history?action=delete&since=" + before).items()).extracting(e -> e.get("id")).containsExactly(server);
    }

    @Test
    void restoreBringsADeletedRecordBackWithItsSecretAndRefusesAStolenInstanceId() throws Exception {
        String dc = admin().post("/datacenters", Map.of("name", "dc-r")).id();
        String server = admin().post("/servers", Map.of("hostname", "rest01", "datacenter", Map.of("id", dc, "instance_id", "i-1"),
                "auth", List.of(Map.of("name", "root", "secret", "pw")))).id();
        String alive = clock.mark();
        admin().delete("/servers/" + server);

        Response restored = admin().post("/servers/" + server + "/restore?as_of=" + alive, null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.body()).containsEntry("id", server).containsEntry("hostname", "rest01");
        assertThat(restored.body().get("auth").toString()).contains("has_secret=true");
        List<Map<String, Object>> lives = admin().get("/servers/" + server + "/history").items();
        assertThat(lives).extracting(e -> e.get("action")).containsExactly("create", "delete", "create");
        // each create shows its own first version: the restored one has the same id and fields
        for (Map<String, Object> create : List.of(lives.get(0), lives.get(2))) {
            assertThat(changes(create)).anySatisfy(c -> assertThat(c).containsEntry("field", "hostname").containsEntry("new", "rest01"));
            assertThat(changes(create)).anySatisfy(c -> assertThat(c).containsEntry("field", "auth[root].secret").containsEntry("new", "***"));
        }

        admin().delete("/servers/" + server);
        admin().post("/servers", Map.of("hostname", "thief", "datacenter", Map.of("id", dc, "instance_id", "i-1")));
        long entries = jdbc.queryForObject("SELECT COUNT(*) FROM record_change", Long.class);
        Response conflict = admin().post("/servers/" + server + "/restore?as_of=" + alive, null);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_change", Long.class)).isEqualTo(entries);

        assertThat(admin().post("/servers/" + java.util.UUID.randomUUID() + "/restore?as_of=" + alive, null).status()).isEqualTo(404);
        assertThat(admin().post("/servers/" + server + "/restore?as_of=not-a-date", null).body().toString()).contains("as_of");
    }

    @Test
    void bulkCreatesShowTheirFieldsInHistoryAndFeed() throws Exception {
        String before = clock.mark();
        List<Object> rows = new ArrayList<>();
        // more than a few rows: PostgreSQL takes the COPY path for records, versions and entries
        for (int i = 0; i < 120; i++) rows.add(Map.of("hostname", "bulk" + i, "environment", "Staging", "cpu", i,
                "auth", List.of(Map.of("name", "root", "secret", "s" + i))));
        assertThat(admin().post("/servers/bulk", rows).body()).containsEntry("created", 120);
        String id = admin().get("/servers?hostname=bulk42").items().get(0).get("id").toString();
        Map<String, Object> create = admin().get("/servers/" + id + "/history").items().get(0);
        assertThat(create).containsEntry("action", "create").containsEntry("version", 1);
        assertThat(changes(create)).anySatisfy(c -> assertThat(c).containsEntry("field", "cpu").containsEntry("new", 42));
        assertThat(changes(create)).anySatisfy(c -> assertThat(c).containsEntry("field", "auth[root].secret").containsEntry("new", "***"));
        List<Map<String, Object>> feed = admin().get("/history?kind=servers&action=create&size=120").items();
        assertThat(feed).hasSize(120).allSatisfy(e -> assertThat(changes(e)).anySatisfy(c -> assertThat(c).containsEntry("field", "hostname")));
        assertThat(admin().get("/servers/" + id).body()).containsEntry("cpu", 42).containsEntry("environment", "Staging");
        assertThat(admin().get("/servers/" + id + "?as_of=" + clock.mark()).body()).containsEntry("cpu", 42);
        assertThat(admin().get("/servers/" + id).text()).doesNotContain("\"s42\"");

        // totals as of a moment count what stood then, whatever changed since
        String afterBulk = clock.mark();
        for (int i = 0; i < 2; i++) admin().delete("/servers/" + admin().get("/servers?hostname=bulk" + i).items().get(0).get("id"));
        for (int i = 2; i < 5; i++) {
            admin().patch("/servers/" + admin().get("/servers?hostname=bulk" + i).items().get(0).get("id"), Map.of("environment", "Production"));
        }
        admin().post("/servers", Map.of("hostname", "late", "environment", "Staging"));
        assertThat(admin().get("/servers?environment=Staging").body()).containsEntry("total", 116);
        Response then = admin().get("/servers?environment=Staging&size=200&as_of=" + afterBulk);
        assertThat(then.body()).containsEntry("total", 120);
        assertThat(then.items()).hasSize(120).extracting(e -> e.get("hostname")).contains("bulk0", "bulk4").doesNotContain("late");
        assertThat(admin().get("/servers?environment=Production&as_of=" + afterBulk).body()).containsEntry("total", 0);
        assertThat(admin().get("/servers?environment=Production").body()).containsEntry("total", 3);
        assertThat(admin().get("/servers?as_of=" + before).body()).containsEntry("total", 0);
    }

    @Test
    void badParametersAnswer400NamingThem() {
        assertThat(admin().get("/servers?as_of=yesterday").body().toString()).contains("field=as_of");
        assertThat(admin().get("/history?since=2026-13-01").body().toString()).contains("field=since");
        assertThat(admin().get("/history?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z").body().toString()).contains("field=until");
        assertThat(admin().get("/history?kind=nope").status()).isEqualTo(404);
        assertThat(admin().get("/history?colour=red").status()).isEqualTo(400);
    }

    @Test
    void concurrentWritersProduceOneEntryPerCommittedChangeAndNoneForA412() throws Exception {
        String server = admin().post("/servers", Map.of("hostname", "race01")).id();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int cpu = i + 1;
            writers.add(() -> admin().patch("/servers/" + server, Map.of("cpu", cpu), "If-Match", "\"1\"").status());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : pool.invokeAll(writers)) statuses.add(f.get());
        pool.shutdown();
        assertThat(statuses).containsOnly(200, 412);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(admin().get("/servers/" + server + "/history").items()).hasSize(2);
        assertThat(admin().get("/servers/" + server).body()).containsEntry("version", 2);
    }

    @Test
    void retentionPrunesOldEntriesOnly() {
        String server = admin().post("/servers", Map.of("hostname", "old01")).id();
        admin().patch("/servers/" + server, Map.of("cpu", 2));
        OffsetDateTime after = OffsetDateTime.parse(clock.mark());
        assertThat(retention.prune(after.minusDays(1))).isZero();
        assertThat(retention.prune(after)).isGreaterThan(0);
        assertThat(admin().get("/servers/" + server + "/history").items()).isEmpty();
        assertThat(admin().get("/servers/" + server).status()).isEqualTo(200);
        assertThat(HistoryRetention.parse("365d")).hasDays(365);
    }
}
