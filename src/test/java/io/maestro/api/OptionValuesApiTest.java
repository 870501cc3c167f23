package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.maestro.api.KindApiTest.json;
import static io.maestro.api.KindApiTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/** Option fields: input matches value, label or alias case-insensitively, is stored as the value; filters match the same way. */
class OptionValuesApiTest extends ApiTest {

    @Test
    void stageIsStoredAsStaging() {
        for (String input : new String[]{"Stage", "stage", "STAGING", "Staging", "stg", " Stage "}) {
            Response r = admin().post("/servers", json("{\"hostname\": \"h\", \"environment\": \"%s\"}", input));
            assertThat(r.status()).as(input + ": " + r).isEqualTo(201);
            assertThat(r.body()).as(input).containsEntry("environment", "Staging");
        }
        assertThat(jdbc.queryForList("SELECT DISTINCT environment FROM server", String.class)).containsExactly("Staging");
    }

    @Test
    void valuesLabelsAndAliasesAreAcceptedInAnyCase() {
        Map<String, Object> db = admin().post("/databases", json("""
                {"name": "erp", "engine": "ORACLE DATABASE", "category": "RELATIONAL", "mode": "master/replica",
                 "oracle": {"storage": "network disk", "mode": "Single Instance", "version": "23C"}}""")).body();
        assertThat(db).containsEntry("engine", "Oracle").containsEntry("category", "relational").containsEntry("mode", "Master/Replica");
        assertThat(map(db.get("oracle"))).containsEntry("storage", "network").containsEntry("mode", "single").containsEntry("version", "23ai");

        Map<String, Object> server = admin().post("/servers", json("""
                {"hostname": "mac01", "os": {"base": "osx"}, "role": "database", "environment": "PROD",
                 "auth": [{"name": "a", "type": "active directory"}], "services": [{"name": "x", "status": "STOPPED"}]}""")).body();
        assertThat(map(server.get("os"))).containsEntry("base", "MacOS");
        assertThat(server).containsEntry("role", "Database").containsEntry("environment", "Production");
        assertThat(map(((java.util.List<?>) server.get("auth")).get(0))).containsEntry("type", "AD");
        assertThat(map(((java.util.List<?>) server.get("services")).get(0))).containsEntry("status", "Stopped");
    }

    /**
     * api-v1.md: values are the ones the page writes (relational, rac, asm, master-slave ...) and,
     * for lists it does not spell out, the names in domain.md (database cluster modes, languages,
     * dependency protocols ...).
     */
    @Test
    void storedValuesAreTheContractsOrTheDomainsNames() {
        Map<String, Object> db = admin().post("/databases", json("""
                {"name": "a", "engine": "MySQL", "category": "relational", "mode": "single",
                 "mysql": {"topology": "Master/Slave"}}""")).body();
        assertThat(db).containsEntry("mode", "Single instance").containsEntry("category", "relational");
        assertThat(map(db.get("mysql"))).containsEntry("topology", "master-slave");
        assertThat(admin().post("/databases", json("{\"name\": \"b\", \"engine\": \"MongoDB\", \"mode\": \"sharded\"}")).body())
                .containsEntry("mode", "Sharding");

        String target = admin().post("/applications", json("{\"name\": \"events\"}")).id();
        Map<String, Object> app = admin().post("/applications", json("""
                {"name": "web", "language": "node", "cluster": "master-slave",
                 "dependencies": [{"target_id": "%s", "protocol": "Kafka"}]}""", target)).body();
        assertThat(app).containsEntry("language", "JavaScript/Node.js").containsEntry("cluster", "Master/Slave");
        assertThat(map(((java.util.List<?>) app.get("dependencies")).get(0))).containsEntry("protocol", "kafka/streams");
    }

    @Test
    void filtersOnOptionFieldsMatchTheSameWay() {
        String staging = admin().post("/servers", json("{\"hostname\": \"s\", \"environment\": \"Stage\", \"os\": {\"base\": \"macOS\"}}")).id();
        admin().post("/servers", json("{\"hostname\": \"p\", \"environment\": \"Production\", \"os\": {\"base\": \"Linux\"}}"));
        for (String q : new String[]{"Stage", "staging", "STG", "Staging"}) {
            Response r = admin().get("/servers?environment=" + q);
            assertThat(r.status()).as(q).isEqualTo(200);
            assertThat(r.items()).as(q).extracting(i -> i.get("id")).containsExactly(staging);
        }
        assertThat(admin().get("/servers?os.base=osx").items()).extracting(i -> i.get("id")).containsExactly(staging);
        String oracle = admin().post("/databases", json("{\"name\": \"o\", \"engine\": \"Oracle\", \"oracle\": {\"mode\": \"RAC\"}}")).id();
        admin().post("/databases", json("{\"name\": \"m\", \"engine\": \"MySQL\"}"));
        assertThat(admin().get("/databases?engine=oracle%20database").items()).extracting(i -> i.get("id")).containsExactly(oracle);
        assertThat(admin().get("/databases?oracle.mode=rac").items()).extracting(i -> i.get("id")).containsExactly(oracle);
    }

    @Test
    void anOptionAnAdminAddsIsAcceptedMatchedAndFiltered() {
        Response before = admin().get("/options/environment");
        assertThat(before.status()).isEqualTo(200);
        Object defaults = before.body().get("options");
        try {
            java.util.List<Object> edited = new java.util.ArrayList<>((java.util.List<?>) defaults);
            edited.add(json("{\"value\": \"QA\", \"label\": \"Quality assurance\", \"aliases\": [\"test\"]}"));
            Response put = admin().put("/options/environment", Map.of("options", edited));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);

            String id = admin().post("/servers", json("{\"hostname\": \"qa01\", \"environment\": \"TEST\"}")).id();
            admin().post("/servers", json("{\"hostname\": \"prod01\", \"environment\": \"Production\"}"));
            assertThat(admin().get("/servers/" + id).body()).containsEntry("environment", "QA");
            assertThat(admin().get("/servers?environment=quality%20assurance").items()).extracting(i -> i.get("id")).containsExactly(id);
            assertThat(admin().post("/servers", json("{\"hostname\": \"x\", \"environment\": \"Stage\"}")).body())
                    .containsEntry("environment", "Staging");
        } finally {
            assertThat(admin().put("/options/environment", Map.of("options", defaults)).status()).isEqualTo(200);
        }
        assertThat(admin().post("/servers", json("{\"hostname\": \"y\", \"environment\": \"QA\"}")).status()).isEqualTo(400);
    }

    @Test
    void optionListsAreReadable() {
        Response r = admin().get("/options");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsKeys("environment", "os_base", "db_engine", "language", "channel");
        assertThat(r.text()).contains("\"Staging\"").contains("\"Stage\"");
    }
}
