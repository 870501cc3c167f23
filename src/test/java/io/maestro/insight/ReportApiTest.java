package io.maestro.insight;

import io.maestro.support.ApiTest;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The pivot report (tree and CSV, (none) buckets, access) and saved reports (CRUD, result in json and csv, bad input). */
class ReportApiTest extends ApiTest {
    private String globex;
    private String payments;
    private String web01;

    @BeforeEach
    void estate() {
        jdbc.update("DELETE FROM saved_report");
        globex = admin().post("/clients", json("{\"name\": \"Globex\"}")).id();
        admin().post("/clients", json("{\"name\": \"Lonely Corp\"}"));
        payments = admin().post("/systems", json("{\"name\": \"Payments\", \"client_ids\": [\"%s\"]}", globex)).id();
        String empty = admin().post("/systems", json("{\"name\": \"Archive\"}")).id();
        web01 = admin().post("/servers", json("{\"hostname\": \"web01\", \"environment\": \"Production\"}")).id();
        String web02 = admin().post("/servers", json("{\"hostname\": \"web02\", \"environment\": \"Staging\"}")).id();
        admin().post("/servers", json("{\"hostname\": \"spare01\"}"));
        admin().post("/applications", json("{\"name\": \"billing\", \"system_ids\": [\"%s\"], \"server_ids\": [\"%s\", \"%s\"]}", payments, web01, web02));
        admin().post("/applications", json("{\"name\": \"checkout\", \"system_ids\": [\"%s\"], \"server_ids\": [\"%s\"]}", payments, web01));
        admin().post("/applications", json("{\"name\": \"toolbox\"}"));
        assertThat(empty).isNotNull();
    }

    @Test
    void thePivotCsvHasOneRowPerPathWithNoneWhereALevelIsMissing() throws Exception {
        Response r = admin().get("/reports/pivot?format=csv");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/csv");
        List<String> rows = new ArrayList<>();
        try (CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(r.text()))) {
            assertThat(p.getHeaderNames()).containsExactly("client", "system", "application", "server", "environment");
            for (CSVRecord rec : p) rows.add(String.join("|", rec.toList()));
        }
        assertThat(rows).containsExactly(
                "Globex|Payments|billing|web01|Production",
                "Globex|Payments|billing|web02|Staging",
                "Globex|Payments|checkout|web01|Production",
                "Lonely Corp|(none)|(none)|(none)|",
                "(none)|Archive|(none)|(none)|",
                "(none)|(none)|toolbox|(none)|",
                "(none)|(none)|(none)|spare01|");
        // filters
        Response prod = admin().get("/reports/pivot?format=csv&environment=production&client_id=" + globex);
        assertThat(prod.text().lines().skip(1).toList()).containsExactly("Globex,Payments,billing,web01,Production", "Globex,Payments,checkout,web01,Production");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePivotTreeCountsDistinctServersAtEveryLevel() {
        Response r = admin().get("/reports/pivot");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).containsEntry("count", 3);
        List<Map<String, Object>> clients = (List<Map<String, Object>>) r.body().get("clients");
        assertThat(clients).extracting(c -> c.get("name") + " " + c.get("count")).containsExactly("Globex 2", "Lonely Corp 0", "(none) 1");
        Map<String, Object> system = ((List<Map<String, Object>>) clients.get(0).get("systems")).get(0);
        assertThat(system).containsEntry("name", "Payments").containsEntry("id", payments).containsEntry("count", 2);
        List<Map<String, Object>> apps = (List<Map<String, Object>>) system.get("applications");
        assertThat(apps).extracting(a -> a.get("name") + " " + a.get("count")).containsExactly("billing 2", "checkout 1");
        assertThat((List<Map<String, Object>>) apps.get(1).get("servers")).extracting(s -> s.get("name") + " " + s.get("environment"))
                .containsExactly("web01 Production");
        List<Map<String, Object>> none = (List<Map<String, Object>>) clients.get(2).get("systems");
        assertThat(none).extracting(s -> s.get("name")).containsExactly("Archive", "(none)");
    }

    @Test
    void thePivotShowsOnlyWhatTheCallerMayRead() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String erin = "erin-" + suffix;
        admin().post("/users", Map.of("username", erin, "password", "a-long-password-1", "email", erin + "@example.com"));
        Client asErin = as(erin, "a-long-password-1");
        String team = asErin.post("/teams", Map.of("name", "team-" + suffix)).id();
        String hers = asErin.post("/applications", json("{\"name\": \"erin-app\", \"team_id\": \"%s\"}", team)).id();
        admin().patch("/applications/" + hers, json("{\"system_ids\": [\"%s\"], \"server_ids\": [\"%s\"]}", payments, web01));
        Response r = asErin.get("/reports/pivot?format=csv");
        assertThat(r.text().lines().skip(1).toList()).containsExactly("(none),(none),erin-app,(none),");
        assertThat(asErin.get("/reports/pivot").body()).containsEntry("count", 0);
        assertThat(admin().get("/reports/pivot?format=csv").text()).contains("Globex,Payments,erin-app,web01,Production");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSavedReportIsStoredReadChangedRunAndDeleted() throws Exception {
        Response created = admin().post("/reports", json("""
                {"name": "Production servers", "collection": "servers", "filters": {"environment": "Production"},
                 "columns": ["hostname", "environment", "os.base", "tags"]}"""));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.id();
        assertThat(created.header("Location")).endsWith("/api/v1/reports/" + id);
        assertThat(created.body()).containsEntry("collection", "servers").containsEntry("group_by", List.of()).containsKey("team_id");
        assertThat(admin().get("/reports").items()).extracting(i -> i.get("name")).containsExactly("Production servers");

        Response result = admin().get("/reports/" + id + "/result");
        assertThat(result.status()).as(result.toString()).isEqualTo(200);
        assertThat(result.body()).containsEntry("total", 1).containsEntry("columns", List.of("hostname", "environment", "os.base", "tags"));
        assertThat((List<Map<String, Object>>) result.body().get("rows")).extracting(row -> row.get("hostname")).containsExactly("web01");
        Response csv = admin().get("/reports/" + id + "/result?format=csv");
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.text().lines().toList()).containsExactly("hostname,environment,os.base,tags", "web01,Production,,");

        Response grouped = admin().patch("/reports/" + id, json("{\"filters\": null, \"group_by\": [\"environment\"]}"));
        assertThat(grouped.status()).as(grouped.toString()).isEqualTo(200);
        assertThat(grouped.body()).containsEntry("version", 2).containsEntry("filters", Map.of());
        assertThat(admin().get("/reports/" + id + "/result?format=csv").text().lines().toList())
                .containsExactly("environment,count", "Production,1", "Staging,1", "\"\",1");
        Response summary = admin().get("/reports/" + id + "/result");
        assertThat(summary.body()).containsEntry("total", 3);

        Response replaced = admin().put("/reports/" + id, json("{\"name\": \"Apps\", \"collection\": \"applications\", \"filters\": {\"q\": \"bill\"}}"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.body()).containsEntry("columns", List.of("name"));
        assertThat(admin().get("/reports/" + id + "/result?format=csv").text().lines().toList()).containsExactly("name", "billing");

        assertThat(admin().delete("/reports/" + id).status()).isEqualTo(204);
        assertThat(admin().get("/reports/" + id).status()).isEqualTo(404);
    }

    @Test
    void anotherTeamsReportIsNotFound() {
        String id = admin().post("/reports", json("{\"name\": \"mine\", \"collection\": \"servers\"}")).id();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String finn = "finn-" + suffix;
        admin().post("/users", Map.of("username", finn, "password", "a-long-password-1", "email", finn + "@example.com"));
        Client asFinn = as(finn, "a-long-password-1");
        asFinn.post("/teams", Map.of("name", "team-" + suffix));
        assertThat(asFinn.get("/reports/" + id).status()).isEqualTo(404);
        assertThat(asFinn.get("/reports/" + id + "/result").status()).isEqualTo(404);
        assertThat(asFinn.delete("/reports/" + id).status()).isEqualTo(404);
        assertThat(asFinn.get("/reports").items()).isEmpty();
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndStoresNothing() {
        String[][] cases = {
                {"{\"collection\": \"servers\"}", "name"},
                {"{\"name\": \"x\", \"collection\": \"planets\"}", "collection"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"filters\": {\"colour\": \"red\"}}", "filters.colour"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"filters\": {\"environment\": \"Prod-ish\"}}", "filters.environment"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"columns\": [\"hostname\", \"shoe_size\"]}", "columns"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"group_by\": [\"storage\"]}", "group_by"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"group_by\": [\"environment\", \"os.base\", \"cpu\", \"memory\"]}", "group_by"},
                {"{\"name\": \"x\", \"collection\": \"servers\", \"team_id\": \"nope\"}", "team_id"},
                {"[1, 2]", "body"}};
        for (String[] c : cases) {
            Response r = admin().post("/reports", c[0]);
            assertThat(r.status()).as(c[0] + " " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("\"field\":\"" + c[1] + "\"");
        }
        assertThat(admin().get("/reports").items()).isEmpty();
        for (String q : List.of("format=xml", "environment=Prod-ish", "client_id=nope", "system_id=1")) {
            Response r = admin().get("/reports/pivot?" + q);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.text()).contains(q.substring(0, q.indexOf('=')));
        }
        assertThat(admin().get("/reports/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(admin().get("/reports/not-an-id/result").status()).isEqualTo(404);
        assertThat(anonymous().get("/reports/pivot").status()).isEqualTo(401);
    }
}
