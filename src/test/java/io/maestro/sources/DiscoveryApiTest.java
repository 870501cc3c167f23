package io.maestro.sources;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS discovery end to end against a real moto server: EC2 instances seeded with the AWS SDK,
 * a connection pointing at moto, runs started and awaited through the API, and what a user then
 * sees of servers, provenance, drift, staleness, access and secrets.
 */
public class DiscoveryApiTest extends ApiTest {
    static final String SECRET = "very-secret-access-key-0123456789";
    static final String PASSWORD = "a-long-password-1";
    private static MotoServer moto;

    /** Every response this test saw, to check that the secret never appears in one. */
    private final List<String> seen = new ArrayList<>();
    private String ops;
    private String datacenter;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) moto.close();
    }

    @BeforeEach
    void freshAccountsAndCloud() throws Exception {
        moto.reset();
        onlyTheAdmin();
        for (String user : List.of("dora", "olga")) {
            assertThat(admin().post("/users", Map.of("username", user, "password", PASSWORD)).status()).isEqualTo(201);
        }
        ops = dora().post("/teams", Map.of("name", "ops")).id();
        assertThat(olga().post("/teams", Map.of("name", "others")).status()).isEqualTo(201);
        datacenter = dora().post("/datacenters", Map.of("name", "aws-us", "team_id", ops, "regions", List.of("us-east-1"))).id();
        assertThat(datacenter).isNotNull();
    }

    Client dora() {
        return as("dora", PASSWORD);
    }

    Client olga() {
        return as("olga", PASSWORD);
    }

    private Response keep(Response r) {
        seen.add(r.text() == null ? "" : r.text());
        return r;
    }

    private String connection(String staleAfter) {
        Response r = keep(dora().post("/connections", Map.of("name", "aws-test", "provider", "aws", "team_id", ops, "datacenter_id", datacenter,
                "regions", List.of("us-east-1"), "credentials", Map.of("access_key_id", "AKIATEST", "secret_access_key", SECRET),
                "endpoint_url", moto.url, "stale_after", staleAfter)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().get("credentials")).isEqualTo(Map.of("access_key_id", "AKIATEST", "has_secret", true));
        return r.id();
    }

    /** Starts a run and waits (bounded) until it ends; returns the finished run. */
    private Map<String, Object> run(String connection) {
        Response started = keep(dora().post("/connections/" + connection + "/runs", null));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String location = URI.create(started.header("Location")).getPath();
        assertThat(location).isEqualTo("/api/v1/connections/" + connection + "/runs/" + started.id());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            Response r = keep(dora().get(location));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String status = (String) r.body().get("status");
            if (!status.equals("queued") && !status.equals("running")) return r.body();
            assertThat(Instant.now()).as("run still " + status + " at the deadline: " + r).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    public static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    public static String launch(Ec2Client ec2, InstanceType type, String keyName, Tag... tags) {
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().stream()
                .filter(i -> i.platform() == null && i.rootDeviceName() != null).findFirst().map(i -> i.imageId()).orElse("ami-12c6146b");
        return ec2.runInstances(b -> {
            b.imageId(ami).instanceType(type).minCount(1).maxCount(1);
            if (keyName != null) b.keyName(keyName);
            if (tags.length > 0) b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
        }).instances().get(0).instanceId();
    }

    private Map<String, Object> server(String instanceId) {
        Response r = keep(dora().get("/servers?datacenter.instance_id=" + instanceId));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.items()).as(r.toString()).hasSize(1);
        return r.items().get(0);
    }

    private long changes() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_change WHERE kind = 'servers'", Long.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void discoversServersKeepsPeoplesEditsAndMarksTheMissingStale() {
        Ec2Client ec2 = moto.ec2("us-east-1");
        ec2.createKeyPair(b -> b.keyName("ops-key"));
        String web = launch(ec2, InstanceType.T2_MICRO, "ops-key", tag("Name", "web-1"), tag("Environment", "prod"), tag("Role", "web"),
                tag("team", "payments"));
        String batch = launch(ec2, InstanceType.T3_LARGE, null, tag("Name", "x".repeat(256)), tag("Environment", "moon-base"));
        String conn = connection("PT0S");

        Map<String, Object> first = run(conn);
        assertThat(first.get("status")).as(first.toString()).isEqualTo("succeeded");
        assertThat((Map<String, Object>) first.get("counts")).containsEntry("seen", 2).containsEntry("created", 2).containsEntry("failed", 0);
        // the bad values are reported with the resource and left out; the records are written
        List<Map<String, Object>> problems = (List<Map<String, Object>>) first.get("problems");
        assertThat(problems).anySatisfy(p -> assertThat(p).containsEntry("resource", batch).containsEntry("field", "name"));
        assertThat(problems).anySatisfy(p -> assertThat(p).containsEntry("resource", batch).containsEntry("field", "environment"));

        Map<String, Object> s = server(web);
        assertThat(s).containsEntry("hostname", "web-1").containsEntry("name", "web-1").containsEntry("cpu", 1).containsEntry("memory", 1.0)
                .containsEntry("environment", "Production").containsEntry("team_id", ops).containsEntry("external_id", web)
                .containsEntry("stale", false).containsEntry("drift", List.of());
        assertThat((String) s.get("ipv4_private")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat((Map<String, Object>) s.get("os")).containsEntry("base", "Linux");
        assertThat((Map<String, Object>) s.get("datacenter")).containsEntry("id", datacenter).containsEntry("region", "us-east-1")
                .containsEntry("instance_id", web).containsKey("zone");
        assertThat(((Map<String, Object>) s.get("datacenter")).get("zone").toString()).startsWith("us-east-1");
        assertThat((Map<String, Object>) s.get("source")).containsEntry("type", "discovery").containsEntry("name", "aws-test").containsEntry("id", conn);
        assertThat(s.get("last_seen_at")).isNotNull();
        assertThat((List<Map<String, Object>>) s.get("storage")).singleElement().satisfies(v ->
                assertThat(v).containsEntry("root", true).containsKey("size_gb").containsKey("name"));
        assertThat((List<Map<String, Object>>) s.get("auth")).singleElement().satisfies(a ->
                assertThat(a).containsEntry("name", "ops-key").containsEntry("type", "PKI").containsEntry("has_secret", false));
        assertThat((List<Map<String, Object>>) s.get("tags")).containsExactly(Map.of("key", "team", "value", "payments"));
        Map<String, Object> other = server(batch);
        assertThat(other).containsEntry("cpu", 2).containsEntry("memory", 8.0).containsEntry("environment", null);
        assertThat((String) other.get("hostname")).isNotEqualTo("x".repeat(256));

        // manual records read source.type manual; provenance filters
        Response manual = keep(dora().post("/servers", Map.of("hostname", "hand-made", "team_id", ops)));
        assertThat(manual.status()).as(manual.toString()).isEqualTo(201);
        assertThat((Map<String, Object>) manual.body().get("source")).containsEntry("type", "manual");
        assertThat(keep(dora().get("/servers?source.type=discovery")).items()).hasSize(2);
        assertThat(keep(dora().get("/servers?source.id=" + conn)).items()).hasSize(2);
        assertThat(keep(dora().get("/servers?source.type=manual")).items()).singleElement().satisfies(m ->
                assertThat((Map<String, Object>) m.get("source")).containsEntry("type", "manual"));
        assertThat(keep(dora().get("/servers?last_seen_before=2000-01-01T00:00:00Z")).items()).isEmpty();
        assertThat(keep(dora().get("/servers?last_seen_before=2999-01-01T00:00:00Z")).items()).hasSize(2);
        assertThat(keep(dora().get("/servers?last_seen_before=yesterday")).status()).isEqualTo(400);

        // nothing changed → nothing written
        long before = changes();
        Map<String, Object> second = run(conn);
        assertThat(second.get("status")).isEqualTo("succeeded");
        assertThat((Map<String, Object>) second.get("counts")).containsEntry("unchanged", 2).containsEntry("created", 0).containsEntry("updated", 0);
        assertThat(changes()).isEqualTo(before);
        assertThat(server(web)).containsEntry("version", s.get("version"));

        // people win: a person's cpu survives the next run and shows as drift
        Response patched = keep(dora().patch("/servers/" + s.get("id"), Map.of("cpu", 8)));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        Map<String, Object> third = run(conn);
        assertThat(third.get("status")).isEqualTo("succeeded");
        Map<String, Object> drifted = server(web);
        assertThat(drifted).containsEntry("cpu", 8);
        assertThat((List<Map<String, Object>>) drifted.get("drift")).containsExactly(Map.of("field", "cpu", "discovered", 1, "current", 8));
        assertThat(keep(dora().get("/servers?drift=true")).items()).extracting(i -> i.get("id")).containsExactly(s.get("id"));
        assertThat(keep(dora().get("/quality?collection=servers")).body()).containsEntry("drift", 1).containsEntry("stale", 0);
        // ... and is handed back with "use discovered value"
        Response accepted = keep(dora().post("/servers/" + s.get("id") + "/drift/cpu/accept", null));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.body()).containsEntry("cpu", 1).containsEntry("drift", List.of());
        assertThat(keep(dora().get("/servers?drift=true")).items()).isEmpty();
        ec2.stopInstances(b -> b.instanceIds(web)); // stopped instances are still seen
        ec2.modifyInstanceAttribute(b -> b.instanceId(web).instanceType(a -> a.value("t3.large")));
        run(conn);
        assertThat(server(web)).containsEntry("cpu", 2); // the source owns cpu again

        // a terminated instance goes stale after a complete run (stale_after PT0S), never deleted
        ec2.terminateInstances(b -> b.instanceIds(batch));
        Map<String, Object> fourth = run(conn);
        assertThat(fourth.get("status")).isEqualTo("succeeded");
        assertThat((Map<String, Object>) fourth.get("counts")).containsEntry("stale", 1);
        Map<String, Object> gone = server(batch);
        assertThat(gone).containsEntry("stale", true);
        assertThat(gone.get("stale_since")).isNotNull();
        assertThat(gone.get("missing_since")).isNotNull();
        assertThat(keep(dora().get("/servers?stale=true")).items()).extracting(i -> i.get("id")).containsExactly(gone.get("id"));
        assertThat(server(web)).containsEntry("stale", false);
        // insight reads the same provenance: data quality counts it, summaries group by it
        assertThat(keep(dora().get("/quality?collection=servers")).body()).containsEntry("stale", 1).containsEntry("drift", 0);
        assertThat(keep(dora().get("/servers/summary?group_by=stale")).body().get("groups").toString()).contains("stale=true, count=1");

        // records and the connection are the team's: another team sees neither
        assertThat(keep(olga().get("/servers")).items()).isEmpty();
        assertThat(keep(olga().get("/connections")).items()).isEmpty();
        assertThat(keep(olga().get("/connections/" + conn)).status()).isEqualTo(404);
        assertThat(keep(olga().post("/connections/" + conn + "/runs", null)).status()).isEqualTo(404);

        // runs newest first; the history names the connection
        List<Map<String, Object>> runs = keep(dora().get("/connections/" + conn + "/runs")).items();
        assertThat(runs).hasSize(5);
        assertThat(runs.get(0).get("id")).isEqualTo(fourth.get("id"));
        assertThat(jdbc.queryForList("SELECT DISTINCT actor FROM record_change WHERE kind = 'servers'", String.class))
                .contains("discovery (aws-test)", "dora");

        // credentials never appear: not in responses, history, exports, nor stored in the clear
        seen.add(keep(dora().get("/connections/" + conn + "/history")).text());
        seen.add(keep(dora().get("/history?kind=servers")).text());
        seen.add(keep(dora().get("/servers/export")).text());
        assertThat(seen).noneMatch(text -> text.contains(SECRET));
        assertThat(jdbc.queryForObject("SELECT secret_sealed FROM source_connection", String.class)).doesNotContain(SECRET).startsWith("v2:");
        assertThat(keep(dora().get("/connections/" + conn + "/history")).items()).first().satisfies(e ->
                assertThat(e).containsEntry("action", "create"));
    }

    @Test
    void connectionsRefuseBadInputNamingTheFieldAndStoreNothing() {
        Map<String, Object> good = Map.of("name", "aws-bad", "provider", "aws", "team_id", ops, "datacenter_id", datacenter,
                "regions", List.of("us-east-1"), "credentials", Map.of("access_key_id", "AKIATEST", "secret_access_key", SECRET));
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("provider", new Object[] {"provider", "gcp"});
        cases.put("regions", new Object[] {"regions", "us-east-1"});
        cases.put("regions[0]", new Object[] {"regions", List.of("mars-north-1")});
        cases.put("endpoint_url", new Object[] {"endpoint_url", "ftp://127.0.0.1/"});
        cases.put("endpoint_url ", new Object[] {"endpoint_url", "http://169.254.169.254/latest"});
        cases.put("schedule", new Object[] {"schedule", "PT30S"});
        cases.put("schedule ", new Object[] {"schedule", "every hour"});
        cases.put("stale_after", new Object[] {"stale_after", "soon"});
        cases.put("credentials", new Object[] {"credentials", "AKIA:secret"});
        cases.put("credentials.secret_access_key", new Object[] {"credentials", Map.of("access_key_id", "AKIATEST")});
        cases.put("datacenter_id", new Object[] {"datacenter_id", null});
        cases.forEach((field, change) -> {
            Map<String, Object> body = new java.util.HashMap<>(good);
            body.put((String) change[0], change[1]);
            if (change[1] == null) body.remove(change[0]);
            Response r = keep(dora().post("/connections", body));
            assertThat(r.status()).as(field + ": " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).as(field).contains("\"field\":\"" + field.strip() + "\"");
        });
        assertThat(keep(dora().get("/connections")).items()).isEmpty();
        assertThat(seen).noneMatch(text -> text.contains(SECRET));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneRunAtATimeTestsAndFailuresMarkNothingStale() {
        String conn = connection("PT0S");
        Response test = keep(dora().post("/connections/" + conn + "/test", null));
        assertThat(test.status()).as(test.toString()).isEqualTo(200);
        assertThat(test.body()).containsEntry("ok", true);

        // a run queued or running on any node (a row of the database) refuses a second one
        UUID elsewhere = UUID.randomUUID();
        jdbc.update("INSERT INTO source_run (id, connection_id, active_for, status, trigger_kind, cancel_requested, created_at, done, total, counts, problems)"
                + " VALUES (?, ?, ?, 'running', 'schedule', FALSE, CURRENT_TIMESTAMP, 0, 0, '{}', '[]')", elsewhere, UUID.fromString(conn), UUID.fromString(conn));
        Response busy = keep(dora().post("/connections/" + conn + "/runs", null));
        assertThat(busy.status()).as(busy.toString()).isEqualTo(409);
        assertThat(busy.body()).containsEntry("running_id", elsewhere.toString());
        jdbc.update("DELETE FROM source_run WHERE id = ?", elsewhere);

        String web = launch(moto.ec2("us-east-1"), InstanceType.T2_MICRO, null, tag("Name", "web-9"));
        assertThat(run(conn).get("status")).isEqualTo("succeeded");
        // an endpoint that does not answer: the run fails with the reason, and nothing becomes stale
        Response moved = keep(dora().patch("/connections/" + conn, Map.of("endpoint_url", "http://127.0.0.1:1",
                "credentials", Map.of("secret_access_key", ""))));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.body().get("credentials")).isEqualTo(Map.of("access_key_id", "AKIATEST", "has_secret", true));
        assertThat(keep(dora().post("/connections/" + conn + "/test", null)).body()).containsEntry("ok", false);
        Map<String, Object> failed = run(conn);
        assertThat(failed.get("status")).as(failed.toString()).isEqualTo("failed");
        assertThat((String) failed.get("detail")).isNotBlank();
        assertThat(server(web)).containsEntry("stale", false).containsEntry("missing_since", null);
        assertThat(seen).noneMatch(text -> text.contains(SECRET));
    }

    @org.springframework.beans.factory.annotation.Autowired
    Reconciler reconciler;

    @Test
    void anInstanceSeenTwiceIsOneRecord() {
        Reconciler.Origin origin = new Reconciler.Origin("discovery", "dup", UUID.randomUUID().toString(), UUID.fromString(ops),
                UUID.fromString(datacenter), List.of("us-east-1"), Duration.ofDays(3));
        Map<String, Object> seenOnce = Map.of("hostname", "dup-1", "datacenter", Map.of("id", datacenter, "region", "us-east-1", "instance_id", "i-dup"));
        Map<String, Object> seenAgain = Map.of("hostname", "dup-1", "cpu", 2, "datacenter", Map.of("id", datacenter, "region", "us-east-1", "instance_id", "i-dup"));
        Reconciler.Tally tally = new Reconciler.Tally();
        reconciler.reconcile(origin, kinds.get("servers"), List.of(new Observation("i-dup", seenOnce), new Observation("i-dup", seenAgain)),
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), tally);
        assertThat(tally.created).isEqualTo(1);
        assertThat(server("i-dup")).containsEntry("cpu", 2).containsEntry("external_id", "i-dup");
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.maestro.core.record.Kinds kinds;

    /** 1,000 instances are one batched reconcile: a handful of INSERTs into server, not one per instance. */
    @Test
    @SuppressWarnings("unchecked")
    void aThousandInstancesAreOneBatchedRun() {
        int n = Integer.getInteger("maestro.discovery.bench", 1000);
        Ec2Client ec2 = moto.ec2("us-east-1");
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().stream().filter(i -> i.platform() == null).findFirst().orElseThrow().imageId();
        Instant seeding = Instant.now();
        for (int done = 0; done < n; done += 500) {
            int count = Math.min(500, n - done);
            ec2.runInstances(b -> b.imageId(ami).instanceType(InstanceType.T3_MICRO).minCount(count).maxCount(count)
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tag("Environment", "dev")).build()));
        }
        Duration seeded = Duration.between(seeding, Instant.now());
        String conn = connection("P3D");
        Instant start = Instant.now();
        List<String> statements = io.maestro.support.SqlStatementCounter.record(() -> {
            Map<String, Object> first = run(conn);
            assertThat(first.get("status")).as(first.toString()).isEqualTo("succeeded");
            assertThat((Map<String, Object>) first.get("counts")).containsEntry("created", n);
        });
        Duration firstRun = Duration.between(start, Instant.now());
        assertThat(statements.stream().filter(sql -> sql.startsWith("INSERT INTO server (") || sql.startsWith("COPY server (")).count())
                .as("inserts into server").isLessThanOrEqualTo(2L * (n / Reconciler.BATCH + 1));
        Instant again = Instant.now();
        Map<String, Object> second = run(conn);
        assertThat((Map<String, Object>) second.get("counts")).containsEntry("unchanged", n);
        Duration rerun = Duration.between(again, Instant.now());
        // what moto alone takes to answer the describe calls of a run (the reader's share)
        Instant reading = Instant.now();
        List<String> volumes = new ArrayList<>();
        ec2.describeInstancesPaginator(b -> b.maxResults(1000)).reservations().forEach(res -> res.instances().forEach(i ->
                i.blockDeviceMappings().forEach(m -> volumes.add(m.ebs().volumeId()))));
        for (int i = 0; i < volumes.size(); i += 500) {
            List<String> chunk = volumes.subList(i, Math.min(volumes.size(), i + 500));
            ec2.describeVolumes(b -> b.volumeIds(chunk));
        }
        Duration moto = Duration.between(reading, Instant.now());
        System.out.printf("discovery bench (%s): %d moto instances seeded in %.1f s; first run %.1f s (%.0f records/s); unchanged re-run %.1f s;"
                        + " moto answering the describe calls alone %.1f s%n", database(), n, seeded.toMillis() / 1000.0, firstRun.toMillis() / 1000.0,
                n * 1000.0 / firstRun.toMillis(), rerun.toMillis() / 1000.0, moto.toMillis() / 1000.0);
    }

    @org.springframework.beans.factory.annotation.Autowired
    ScheduledRuns schedule;

    /** Two nodes looking for due runs at once start one: the first to move next_run_at on wins the period. */
    @Test
    void aScheduledRunStartsOncePerPeriod() {
        String conn = connection("P3D");
        Response r = keep(dora().patch("/connections/" + conn, Map.of("schedule", "PT1M")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        jdbc.update("UPDATE source_connection SET next_run_at = ? WHERE id = ?",
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(1), UUID.fromString(conn));
        assertThat(schedule.tick() + schedule.tick()).isEqualTo(1);
        List<Map<String, Object>> runs = keep(dora().get("/connections/" + conn + "/runs")).items();
        assertThat(runs).singleElement().satisfies(run -> assertThat(run).containsEntry("trigger", "schedule"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (jdbc.queryForObject("SELECT COUNT(*) FROM source_run WHERE active_for IS NOT NULL", Long.class) > 0) {
            assertThat(Instant.now()).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void rdsInstancesBecomeDatabasesKeyedByTheirResourceId() {
        var rds = moto.rds("us-east-1");
        var created = rds.createDBInstance(b -> b.dbInstanceIdentifier("orders-db").engine("postgres").engineVersion("15.4")
                .dbInstanceClass("db.t3.micro").allocatedStorage(20).masterUsername("app").masterUserPassword("db-password-123").multiAZ(true));
        String resourceId = created.dbInstance().dbiResourceId();
        Response r = keep(dora().post("/connections", Map.of("name", "aws-rds", "provider", "aws", "team_id", ops, "datacenter_id", datacenter,
                "regions", List.of("us-east-1"), "resources", List.of("servers", "databases"),
                "credentials", Map.of("access_key_id", "AKIATEST", "secret_access_key", SECRET), "endpoint_url", moto.url)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        Map<String, Object> run = run(r.id());
        assertThat(run.get("status")).as(run.toString()).isEqualTo("succeeded");
        List<Map<String, Object>> dbs = keep(dora().get("/databases?external_id=" + resourceId)).items();
        assertThat(dbs).singleElement().satisfies(db -> {
            assertThat(db).containsEntry("name", "orders-db").containsEntry("engine", "PostgreSQL").containsEntry("engine_version", "15.4")
                    .containsEntry("mode", "Master/Replica").containsEntry("datacenter_ids", List.of(datacenter)).containsEntry("team_id", ops);
            assertThat((Map<String, Object>) db.get("spec")).containsKey("endpoint").containsKey("port");
            assertThat((Map<String, Object>) db.get("source")).containsEntry("type", "discovery").containsEntry("name", "aws-rds");
        });
        // renamed in RDS: the same record (the resource id does not change), with the new name
        rds.modifyDBInstance(b -> b.dbInstanceIdentifier("orders-db").newDBInstanceIdentifier("orders-main").applyImmediately(true));
        assertThat(run(r.id()).get("status")).isEqualTo("succeeded");
        assertThat(keep(dora().get("/databases")).items()).singleElement().satisfies(db ->
                assertThat(db).containsEntry("name", "orders-main").containsEntry("external_id", resourceId));
    }
}
