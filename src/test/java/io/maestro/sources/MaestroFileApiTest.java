package io.maestro.sources;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maestro's own all-kinds export and the {@code maestro} import format through HTTP (sources.md,
 * File imports): an estate of every kind with links in all directions is exported, the inventory
 * emptied, and the file imported back — the same records with the same ids, fields and links; the
 * same file again changes nothing; a dry run stores nothing. A team member's copy gets new ids and
 * finds its records again. An upstream Maestro Server file maps every kind. Files that cannot be
 * read are refused whole.
 */
class MaestroFileApiTest extends ApiTest {
    private static final String PASSWORD = "a-long-password-1";
    private static final List<String> COLLECTIONS = List.of("providers", "services", "datacenters", "clients", "systems", "servers",
            "databases", "applications", "loadbalancers");
    /** What a read shows that is not the record itself: when it was written, and where it came from (the import, after one). */
    private static final List<String> NOT_COMPARED = List.of("created_at", "updated_at", "version", "source", "last_seen_at", "stale",
            "stale_since", "missing_since", "drift", "warnings");
    private String team;

    @BeforeEach
    void freshAccounts() {
        onlyTheAdmin();
        jdbc.update("DELETE FROM source_import");
        assertThat(admin().post("/users", Map.of("username", "ivy", "password", PASSWORD)).status()).isEqualTo(201);
        team = admin().post("/teams", Map.of("name", "estate")).id();
        assertThat(admin().put("/teams/" + team + "/members/ivy", Map.of("role", "member")).status()).isEqualTo(200);
    }

    Client ivy() {
        return as("ivy", PASSWORD);
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = MaestroFileApiTest.class.getResourceAsStream("/imports/" + name)) {
            return in.readAllBytes();
        }
    }

    private String create(Client c, String collection, Object body) {
        Response r = c.post("/" + collection, body);
        assertThat(r.status()).as(collection + " " + r).isEqualTo(201);
        return r.id();
    }

    /**
     * Every kind, linked every way: catalog entries with data, a datacenter, a client, a system that
     * points at an application (which comes later in the file), servers with storage, a secret, tags
     * and a service, an Oracle database on a server (its automatic service entry), applications that
     * depend on a database, a load balancer and each other, a load balancer in front of a server and
     * an application, and what a Terraform import brought in (external ids).
     */
    private Map<String, String> estate(Client c, boolean globalAdmin) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        if (globalAdmin) {
            ids.put("provider", create(c, "providers", Map.of("name", "Hetzner", "regions", List.of("fsn1", "nbg1"),
                    "zones", List.of(Map.of("name", "fsn1-dc14", "region", "fsn1")))));
            ids.put("service", create(c, "services", Map.of("name", "Nginx", "category", "web server", "description", "reverse proxy")));
        }
        ids.put("dc", create(c, "datacenters", json("""
                {"name": "fsn", "provider": "Hetzner", "regions": ["fsn1"], "zones": [{"name": "fsn1-dc14", "region": "fsn1"}], "team_id": "%s",
                 "tags": [{"key": "billing", "value": "eu"}]}""", team)));
        ids.put("client", create(c, "clients", json("""
                {"name": "Payments", "sla": "99.9", "contacts": [{"channel": "Email", "value": "pay@example.com"}], "team_id": "%s"}""", team)));
        ids.put("system", create(c, "systems", json("""
                {"name": "Checkout", "description": "takes the money", "links": [{"name": "wiki", "url": "https://wiki.example.com/checkout"}],
                 "client_ids": ["%s"], "owner": "%s", "team_id": "%s"}""", ids.get("client"), team, team)));
        ids.put("web", create(c, "servers", json("""
                {"hostname": "web01", "ipv4_private": "10.0.0.5", "os": {"base": "Linux", "dist": "Debian", "version": "12"}, "cpu": 4,
                 "memory": 8, "role": "Proxy", "environment": "Production", "team_id": "%s",
                 "storage": [{"name": "root", "mount": "/", "size_gb": 40, "root": true}, {"name": "data", "mount": "/srv", "size_gb": 500}],
                 "datacenter": {"id": "%s", "region": "fsn1", "zone": "fsn1-dc14", "instance_id": "vm-1001"},
                 "auth": [{"name": "ops", "type": "PKI", "username": "ops", "secret": "-----BEGIN KEY-----"}],
                 "services": [{"name": "Nginx", "version": "1.24", "status": "Active"}], "tags": [{"key": "rack", "value": "r1"}]}""",
                team, ids.get("dc"))));
        ids.put("db01", create(c, "servers", json("""
                {"hostname": "db01", "ipv4_private": "10.0.0.6", "environment": "Production", "team_id": "%s",
                 "datacenter": {"id": "%s", "region": "fsn1"}}""", team, ids.get("dc"))));
        ids.put("db", create(c, "databases", json("""
                {"name": "erp", "engine": "Oracle", "engine_version": "19c", "category": "relational", "environment": "Production",
                 "spec": {"endpoint": "db01:1521"}, "server_ids": ["%s"], "datacenter_ids": ["%s"], "system_ids": ["%s"], "team_id": "%s",
                 "oracle": {"version": "19c", "storage": "asm", "mode": "rac", "asm_groups": [{"name": "DATA", "size_gb": 100}],
                            "cdbs": [{"name": "CDB1", "pdbs": ["ERP"]}]}}""", ids.get("db01"), ids.get("dc"), ids.get("system"), team)));
        ids.put("api", create(c, "applications", json("""
                {"name": "pay-api", "environment": "Production", "language": "Java", "cluster": "No", "role": {"endpoint": "https://pay.example.com"},
                 "system_ids": ["%s"], "server_ids": ["%s"], "deploy": [{"type": "CI", "provider": "Jenkins", "notes": "on merge"}],
                 "team_id": "%s"}""", ids.get("system"), ids.get("web"), team)));
        ids.put("worker", create(c, "applications", json("""
                {"name": "pay-worker", "language": "Go", "server_ids": ["%s"], "team_id": "%s"}""", ids.get("db01"), team)));
        ids.put("lb", create(c, "loadbalancers", json("""
                {"name": "edge-lb", "service": "Nginx", "target_ids": ["%s", "%s"], "server_ids": ["%s"], "spec": {"endpoint": "https://front"},
                 "system_ids": ["%s"], "team_id": "%s"}""", ids.get("db01"), ids.get("api"), ids.get("web"), ids.get("system"), team)));
        // links that point forward in the export's order: applications to a load balancer and to each other, a system to its entry
        assertThat(c.patch("/applications/" + ids.get("api"), json("""
                {"dependencies": [{"target_id": "%s", "protocol": "jdbc"}, {"target_id": "%s", "protocol": "rest"},
                                  {"target_id": "%s", "protocol": "amqp"}]}""", ids.get("db"), ids.get("lb"), ids.get("worker"))).status()).isEqualTo(200);
        assertThat(c.patch("/applications/" + ids.get("worker"), json("""
                {"dependencies": [{"target_id": "%s", "protocol": "rest"}]}""", ids.get("api"))).status()).isEqualTo(200);
        assertThat(c.patch("/systems/" + ids.get("system"), json("{\"entry_application_ids\": [\"%s\"]}", ids.get("api"))).status()).isEqualTo(200);
        Map<String, Object> tf = importFile(c, "format=terraform&name=tf&team_id=" + team + "&datacenter_id=" + ids.get("dc"), resource("estate.tfstate"));
        assertThat(tf.get("status")).as(tf.toString()).isEqualTo("succeeded");
        return ids;
    }

    private Map<String, Object> importFile(Client c, String query, byte[] file) {
        Response started = c.post("/imports?" + query, file);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return await(c, started.id());
    }

    private Map<String, Object> await(Client c, String id) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            Response r = c.get("/imports/" + id);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String status = (String) r.body().get("status");
            if (!status.equals("queued") && !status.equals("running")) return r.body();
            assertThat(Instant.now()).as("import still " + status + ": " + r).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /** The whole inventory as {@code c} reads it: collection → id → the record without its timestamps, version and provenance. */
    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> inventory(Client c) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (String collection : COLLECTIONS) {
            for (Map<String, Object> doc : c.get("/" + collection + "?size=1000").items()) {
                Map<String, Object> d = new TreeMap<>(doc);
                NOT_COMPARED.forEach(d::remove);
                out.put(collection + " " + d.get("name"), d);
            }
        }
        return out;
    }

    /** The one record of {@code collection} (as ivy reads it) whose {@code field} is {@code value}. */
    private Map<String, Object> one(String collection, String field, String value) {
        List<Map<String, Object>> found = ivy().get("/" + collection + "?size=1000").items().stream().filter(d -> value.equals(d.get(field))).toList();
        assertThat(found).as(collection + " with " + field + " " + value).hasSize(1);
        return found.get(0);
    }

    private long versions() {
        return Stream.of("server", "application", "database_instance", "load_balancer", "datacenter", "business_system", "client", "service",
                "provider").mapToLong(t -> jdbc.queryForObject("SELECT COUNT(*) FROM " + t + "_version", Long.class)).sum();
    }

    private long records() {
        return Stream.of("server", "application", "database_instance", "load_balancer", "datacenter", "business_system", "client", "service",
                "provider").mapToLong(t -> jdbc.queryForObject("SELECT COUNT(*) FROM " + t, Long.class)).sum();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExportReimportsIntoAnEmptyInventoryWithTheSameRecordsIdsFieldsAndLinks() throws Exception {
        Map<String, String> ids = estate(admin(), true);
        Map<String, Map<String, Object>> before = inventory(admin());
        Response export = admin().get("/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/json");
        assertThat(export.header("Content-Disposition")).contains("maestro-export.json");
        Map<String, Object> file = export.body();
        assertThat(file.keySet()).as("what others point at comes first").containsExactly(Stream.concat(Stream.of("maestro_export"),
                COLLECTIONS.stream()).toArray(String[]::new));
        assertThat((Map<String, Object>) file.get("maestro_export")).containsEntry("version", 1).containsEntry("exported_by", "admin");
        long exported = COLLECTIONS.stream().mapToLong(c -> ((List<?>) file.get(c)).size()).sum();
        assertThat(exported).isEqualTo(before.size()).isEqualTo(records());
        assertThat((List<Map<String, Object>>) file.get("servers")).anySatisfy(s -> assertThat(s).containsEntry("id", ids.get("web"))
                .containsEntry("hostname", "web01"));

        emptyInventory();
        assertThat(records()).isZero();
        Map<String, Object> restore = importFile(admin(), "format=maestro&name=restore&team_id=" + team, export.text().getBytes(StandardCharsets.UTF_8));
        assertThat(restore.get("status")).as(restore.toString()).isEqualTo("succeeded");
        assertThat((Map<String, Object>) restore.get("counts")).as(restore.toString()).containsEntry("created", (int) exported)
                .containsEntry("updated", 0).containsEntry("failed", 0).containsEntry("conflicts", 0);
        assertThat((List<?>) restore.get("problems")).as(restore.toString()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_import_observation WHERE import_id = ?", Long.class,
                java.util.UUID.fromString((String) restore.get("id")))).as("a written import keeps no copy of its file").isZero();

        Map<String, Map<String, Object>> after = inventory(admin());
        // secrets are never exported: a login entry comes back without its secret
        Map<String, Object> web = after.get("servers web01");
        assertThat((List<Map<String, Object>>) web.get("auth")).containsExactly(Map.of("name", "ops", "type", "PKI", "username", "ops", "has_secret", false));
        ((List<Map<String, Object>>) before.get("servers web01").get("auth")).forEach(a -> a.put("has_secret", false));
        assertThat(after).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_field_owner WHERE field LIKE 'source.%' OR field = 'external_id'", Long.class))
                .as("provenance is the import's, never a field it owns").isZero();
        // what discovery and Terraform match by survives: external ids, instance ids
        assertThat(after.get("servers tf-web01")).containsEntry("external_id", "i-0aaa000000000000a");
        assertThat(after.get("loadbalancers edge-lb").get("target_ids")).isEqualTo(List.of(ids.get("db01"), ids.get("api")));
        assertThat((Map<String, Object>) admin().get("/servers/" + ids.get("web")).body().get("source"))
                .containsEntry("type", "import").containsEntry("name", "restore");

        // the same file again changes nothing, and neither does its dry run
        long written = versions();
        Map<String, Object> again = importFile(admin(), "format=maestro&name=restore&team_id=" + team, export.text().getBytes(StandardCharsets.UTF_8));
        assertThat((Map<String, Object>) again.get("counts")).as(again.toString()).containsEntry("unchanged", (int) exported)
                .containsEntry("created", 0).containsEntry("updated", 0).containsEntry("failed", 0);
        assertThat((List<?>) again.get("problems")).as(again.toString()).isEmpty();
        Map<String, Object> dry = importFile(admin(), "format=maestro&name=restore&dry_run=true&team_id=" + team,
                export.text().getBytes(StandardCharsets.UTF_8));
        assertThat(((Number) dry.get("plan_total")).longValue()).isEqualTo(exported);
        Response plan = admin().get("/imports/" + dry.get("id") + "?plan_size=1000");
        assertThat((List<Map<String, Object>>) plan.body().get("plan")).as(plan.toString()).allSatisfy(e -> assertThat(e).containsEntry("action", "unchanged"));
        assertThat(versions()).isEqualTo(written);
        assertThat(inventory(admin())).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDryRunStoresNothingAndItsPlanCreatesEveryRecord() throws Exception {
        estate(admin(), true);
        Response export = admin().get("/export");
        long exported = records();
        emptyInventory();
        Map<String, Object> dry = importFile(admin(), "format=maestro&name=restore&dry_run=true&team_id=" + team, export.text().getBytes(StandardCharsets.UTF_8));
        assertThat(dry.get("status")).as(dry.toString()).isEqualTo("succeeded");
        assertThat(records()).as("a dry run stores nothing").isZero();
        assertThat(((Number) dry.get("plan_total")).longValue()).isEqualTo(exported);
        assertThat((List<?>) dry.get("problems")).as("links to records further on in the file are not missing").isEmpty();
        Response applied = admin().post("/imports/" + dry.get("id") + "/apply", null);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(202);
        Map<String, Object> done = await(admin(), (String) dry.get("id"));
        assertThat((Map<String, Object>) done.get("counts")).as(done.toString()).containsEntry("created", (int) exported).containsEntry("failed", 0);
        assertThat(records()).isEqualTo(exported);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMembersCopyGetsNewIdsKeepsItsLinksAndFindsItsRecordsAgain() throws Exception {
        Map<String, String> ids = estate(ivy(), false);
        String elsewhere = admin().post("/teams", Map.of("name", "elsewhere")).id();
        create(admin(), "servers", Map.of("hostname", "hidden01", "team_id", elsewhere));
        Map<String, Map<String, Object>> before = inventory(ivy());
        Response export = ivy().get("/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.text()).as("only what ivy may read").doesNotContain("hidden01");
        assertThat(admin().get("/export").text()).contains("hidden01");
        emptyInventory();
        byte[] file = export.text().getBytes(StandardCharsets.UTF_8);
        Map<String, Object> copy = importFile(ivy(), "format=maestro&name=copy&team_id=" + team, file);
        assertThat(copy.get("status")).as(copy.toString()).isEqualTo("succeeded");
        Map<String, Object> counts = (Map<String, Object>) copy.get("counts");
        assertThat(counts).as(copy.toString()).containsEntry("failed", 0).containsEntry("conflicts", 0);
        // the catalogs are everyone's: a member's file does not write them (the names records use are added as they are met)
        assertThat((List<Map<String, Object>>) copy.get("problems")).extracting(p -> p.get("resource")).containsExactlyInAnyOrder("services", "providers");

        Map<String, Object> api = one("applications", "name", "pay-api");
        assertThat(api.get("id")).isNotEqualTo(ids.get("api"));
        assertThat(api).containsEntry("external_id", ids.get("api"));
        Map<String, Object> lb = one("loadbalancers", "name", "edge-lb");
        Map<String, Object> worker = one("applications", "name", "pay-worker");
        Map<String, Object> db = one("databases", "name", "erp");
        assertThat((List<Map<String, Object>>) api.get("dependencies")).extracting(d -> d.get("target_id") + " " + d.get("protocol"))
                .containsExactly(db.get("id") + " jdbc", lb.get("id") + " rest", worker.get("id") + " amqp");
        assertThat((List<String>) lb.get("target_ids")).containsExactly((String) one("servers", "hostname", "db01").get("id"),
                (String) api.get("id"));
        assertThat((List<String>) one("systems", "name", "Checkout").get("entry_application_ids")).containsExactly((String) api.get("id"));
        // the same records, fields and links, under new ids
        assertThat(inventory(ivy()).keySet()).isEqualTo(before.keySet());
        assertThat(inventory(ivy()).get("servers web01")).containsEntry("cpu", 4).containsEntry("role", "Proxy");

        long written = versions();
        Map<String, Object> again = importFile(ivy(), "format=maestro&name=copy&team_id=" + team, file);
        assertThat((Map<String, Object>) again.get("counts")).as(again.toString()).containsEntry("created", 0).containsEntry("updated", 0)
                .containsEntry("failed", 0);
        assertThat(versions()).isEqualTo(written);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUpstreamMaestroServerFileMapsEveryKindAndItsRelations() throws Exception {
        byte[] file = resource("upstream-maestro.json");
        Map<String, Object> dry = importFile(ivy(), "format=maestro&name=legacy&dry_run=true&team_id=" + team, file);
        assertThat(dry.get("status")).as(dry.toString()).isEqualTo("succeeded");
        assertThat(records()).as("a dry run stores nothing").isZero();

        Map<String, Object> done = importFile(ivy(), "format=maestro&name=legacy&team_id=" + team, file);
        assertThat(done.get("status")).as(done.toString()).isEqualTo("succeeded");
        assertThat((Map<String, Object>) done.get("counts")).as(done.toString()).containsEntry("created", 14).containsEntry("failed", 0)
                .containsEntry("skipped", 2); // a CDN (a family Maestro has no kind for) and a volume
        // a contact channel Maestro does not know is reported; the client is imported without its contacts
        assertThat((List<Map<String, Object>>) done.get("problems")).singleElement().satisfies(p ->
                assertThat(p).containsEntry("resource", "5b3f1a000000000000000c02").containsEntry("field", "contacts[0].channel"));

        Map<String, Object> aws = one("datacenters", "name", "AWS - US East");
        assertThat(aws).containsEntry("provider", "AWS").containsEntry("regions", List.of("us-east-1")).containsEntry("external_id", "5b3f1a000000000000000d01");
        assertThat((List<Map<String, Object>>) aws.get("zones")).extracting(z -> z.get("name")).containsExactly("us-east-1a", "us-east-1b");
        Map<String, Object> openstack = one("datacenters", "name", "Openstack - DBs");
        Map<String, Object> erp = one("clients", "name", "ERP");
        assertThat((List<Map<String, Object>>) erp.get("contacts")).extracting(c -> c.get("channel") + " " + c.get("value"))
                .containsExactly("Email it@example.com", "Slack #erp");

        Map<String, Object> app01 = one("servers", "hostname", "erp-app-01");
        assertThat(app01).containsEntry("ipv4_private", "10.1.0.11").containsEntry("ipv4_public", "54.0.0.11").containsEntry("cpu", 4)
                .containsEntry("role", "Application").containsEntry("environment", "Production").containsEntry("external_id", "5b3f1a000000000000000101");
        assertThat((Map<String, Object>) app01.get("os")).containsEntry("base", "Linux").containsEntry("dist", "CentOS").containsEntry("version", "7");
        assertThat((Map<String, Object>) app01.get("datacenter")).containsEntry("id", aws.get("id")).containsEntry("region", "us-east-1")
                .containsEntry("zone", "us-east-1a").containsEntry("instance_id", "i-0erp00000000001");
        assertThat((List<Map<String, Object>>) app01.get("storage")).extracting(s -> s.get("name") + " " + s.get("mount") + " " + s.get("size_gb")
                + " " + s.get("root") + " " + s.get("filesystem")).containsExactly("/dev/xvda / 50.0 true null", "vol-0a1b /data 200.0 null xfs");
        assertThat((List<Map<String, Object>>) app01.get("auth")).extracting(a -> a.get("name") + " " + a.get("type") + " " + a.get("username"))
                .containsExactly("maestro PKI centos");
        assertThat((List<Map<String, Object>>) app01.get("services")).extracting(s -> s.get("name") + " " + s.get("version") + " " + s.get("origin"))
                .containsExactly("Nginx 1.14 manual", "Java 11 manual", "ELB (AWS) null auto");
        String app02 = (String) one("servers", "hostname", "erp-app-02").get("id");
        Map<String, Object> ora01 = one("servers", "hostname", "ora-db-01");
        assertThat(ora01).containsEntry("environment", "Production");
        assertThat(((Map<String, Object>) ora01.get("datacenter")).get("id")).isEqualTo(openstack.get("id"));

        Map<String, Object> oracle = one("databases", "name", "Oracle - ERP - Prd");
        Map<String, Object> erpSystem = one("systems", "name", "ERP - Spring");
        assertThat(oracle).containsEntry("engine", "Oracle").containsEntry("category", "relational").containsEntry("server_ids", List.of(ora01.get("id")))
                .containsEntry("datacenter_ids", List.of(openstack.get("id"))).containsEntry("system_ids", List.of(erpSystem.get("id")));
        assertThat((Map<String, Object>) oracle.get("oracle")).containsEntry("storage", "asm").containsEntry("mode", "rac").containsEntry("dataguard", "Primary")
                .containsEntry("asm_groups", List.of(Map.of("name", "DATA", "size_gb", 500.0), Map.of("name", "FRA", "size_gb", 100.0)));
        assertThat((List<Map<String, Object>>) ((Map<String, Object>) oracle.get("oracle")).get("cdbs")).extracting(c -> c.get("name")).containsExactly("CDB1", "CDB2");
        assertThat((Map<String, Object>) oracle.get("spec")).containsEntry("endpoint", "ora-db-01.internal").containsEntry("port", 1521);
        assertThat((List<Map<String, Object>>) ora01.get("services")).extracting(s -> s.get("name") + " " + s.get("origin")).containsExactly("Oracle Database auto");
        Map<String, Object> mongo = one("databases", "name", "DB - MongoDB");
        assertThat(mongo).containsEntry("engine", "MongoDB").containsEntry("mode", "Master/Replica").containsEntry("category", "document-store");

        Map<String, Object> webapp = one("applications", "name", "WebApp - ERP");
        Map<String, Object> billing = one("applications", "name", "Billing API");
        Map<String, Object> lb = one("loadbalancers", "name", "lb-erp");
        assertThat(webapp).containsEntry("language", "Java").containsEntry("cluster", "No").containsEntry("system_ids", List.of(erpSystem.get("id")))
                .containsEntry("server_ids", List.of(app01.get("id"), app02));
        assertThat((List<Map<String, Object>>) webapp.get("deploy")).extracting(d -> d.get("type") + " " + d.get("provider")).containsExactly("CI Jenkins");
        assertThat((List<Map<String, Object>>) webapp.get("dependencies")).extracting(d -> d.get("target_id") + " " + d.get("protocol"))
                .containsExactly(oracle.get("id") + " jdbc", billing.get("id") + " rest");
        assertThat((Map<String, Object>) webapp.get("role")).containsEntry("code", "java -jar erp.jar");
        assertThat(billing).containsEntry("language", "JavaScript/Node.js");
        assertThat((List<Map<String, Object>>) billing.get("dependencies")).extracting(d -> d.get("target_id")).containsExactly(lb.get("id"));
        assertThat(lb).containsEntry("service", "ELB (AWS)").containsEntry("target_ids", List.of(app01.get("id"), app02))
                .containsEntry("server_ids", List.of(app01.get("id")));
        assertThat((Map<String, Object>) lb.get("spec")).containsEntry("endpoint", "https://erp.example.com").containsEntry("health_check", "/health");
        assertThat(erpSystem).containsEntry("client_ids", List.of(erp.get("id"))).containsEntry("entry_application_ids", List.of(webapp.get("id")));

        // the same file again changes nothing
        long written = versions();
        Map<String, Object> again = importFile(ivy(), "format=maestro&name=legacy&team_id=" + team, file);
        assertThat((Map<String, Object>) again.get("counts")).as(again.toString()).containsEntry("unchanged", 14).containsEntry("created", 0)
                .containsEntry("updated", 0);
        assertThat(versions()).isEqualTo(written);
    }

    @Test
    @SuppressWarnings("unchecked")
    void filesThatCannotBeReadAreRefusedWholeNamingTheField() throws Exception {
        estate(admin(), true);
        String export = admin().get("/export").text();
        emptyInventory();
        long imports = jdbc.queryForObject("SELECT COUNT(*) FROM source_import", Long.class);
        long kept = jdbc.queryForObject("SELECT COUNT(*) FROM source_import_observation", Long.class);
        String q = "/imports?format=maestro&team_id=" + team;
        assertProblem(admin().post(q, export.substring(0, export.length() / 2).getBytes(StandardCharsets.UTF_8)), "body");
        assertProblem(admin().post(q, "[" + export + "]"), "body");
        assertProblem(admin().post(q, export.replace("\"servers\":", "\"sevrers\":")), "sevrers");
        assertProblem(admin().post(q, "{\"maestro_export\": {\"version\": 2}, \"servers\": []}"), "maestro_export.version");
        assertProblem(admin().post(q, "{\"maestro_export\": {\"version\": 1}, \"servers\": {\"hostname\": \"x\"}}"), "servers");
        assertProblem(admin().post(q, "{\"servers\": [], \"gadgets\": []}"), "gadgets");
        assertProblem(admin().post(q, "{\"volumes\": []}"), "body");
        assertProblem(admin().post(q, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}), "body");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_import", Long.class)).isEqualTo(imports);
        assertThat(records()).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM source_import_observation", Long.class))
                .as("what a refused file said so far is not kept").isEqualTo(kept);

        // a record that is no object is skipped and said; the rest imports
        Map<String, Object> mixed = importFile(admin(), "format=maestro&name=mixed&team_id=" + team,
                "{\"maestro_export\": {\"version\": 1}, \"clients\": [[1, 2], {\"id\": \"6a1c0d3e-4b6e-4f2a-9a39-2d7c1d3f4a11\", \"name\": \"kept\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat((Map<String, Object>) mixed.get("counts")).containsEntry("created", 1).containsEntry("skipped", 1);
        assertThat((List<Map<String, Object>>) mixed.get("problems")).singleElement().satisfies(p -> assertThat(p).containsEntry("resource", "clients[0]"));
        assertThat(admin().get("/clients/6a1c0d3e-4b6e-4f2a-9a39-2d7c1d3f4a11").status()).isEqualTo(200);
    }

    private static void assertProblem(Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.text()).contains("\"field\":\"" + field + "\"");
    }

}
