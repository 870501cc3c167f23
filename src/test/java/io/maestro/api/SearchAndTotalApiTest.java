package io.maestro.api;

import io.maestro.support.ApiTest;
import io.maestro.support.SqlStatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.maestro.api.KindApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * q over each field it searches (one lower-cased column, V21), never across two of them; and
 * {@code total=false}: the same page without the COUNT, the answer without {@code total}, and the
 * next links that carry it.
 */
class SearchAndTotalApiTest extends ApiTest {
    private String web;
    private String db;

    @BeforeEach
    void servers() {
        String dc = admin().post("/datacenters", json("{\"name\": \"dc\"}")).id();
        web = admin().post("/servers", json("""
                {"hostname": "web-01.example.com", "name": "Frontend", "ipv4_private": "10.20.30.40", "ipv4_public": "203.0.113.9",
                 "datacenter": {"id": "%s", "instance_id": "i-0abc123def"}}""", dc)).id();
        db = admin().post("/servers", json("""
                {"hostname": "db-01.example.com", "ipv4_private": "10.20.31.5", "datacenter": {"id": "%s", "instance_id": "i-0fed987"}}""", dc)).id();
    }

    @Test
    void qMatchesEachSearchedFieldIgnoringCase() {
        assertThat(ids("/servers?q=FRONT")).as("name").containsExactly(web);
        assertThat(ids("/servers?q=Web-01.EXAMPLE")).as("hostname").containsExactly(web);
        assertThat(ids("/servers?q=db-01")).as("hostname, the name defaulted from it").containsExactly(db);
        assertThat(ids("/servers?q=10.20.30.40")).as("private IP").containsExactly(web);
        assertThat(ids("/servers?q=10.20.3")).as("private IP fragment").containsExactlyInAnyOrder(web, db);
        assertThat(ids("/servers?q=203.0.113")).as("public IP").containsExactly(web);
        assertThat(ids("/servers?q=I-0ABC123")).as("instance id").containsExactly(web);
        assertThat(ids("/servers?q=example.com")).containsExactlyInAnyOrder(web, db);
        assertThat(ids("/servers?q=nomatch")).isEmpty();
    }

    @Test
    void qNeverMatchesAcrossTwoFields() {
        // the end of the hostname and the start of the private IP, as if they were one text
        assertThat(ids("/servers?q=com10.20")).isEmpty();
        assertThat(ids("/servers?q=com+10.20")).isEmpty();
        assertThat(ids("/servers?q=frontendweb")).isEmpty();
    }

    @Test
    void qFollowsAnUpdate() {
        admin().patch("/servers/" + web, json("{\"ipv4_private\": \"172.16.0.1\"}"));
        assertThat(ids("/servers?q=10.20.30.40")).isEmpty();
        assertThat(ids("/servers?q=172.16.0")).containsExactly(web);
    }

    @Test
    void totalFalseAnswersThePageWithoutTotalAndWithoutCounting() {
        for (int i = 0; i < 3; i++) admin().post("/servers", json("{\"hostname\": \"app-%d.example.com\"}", i));
        // a full page (2 of 5) needs a COUNT for total; with total=false there is none
        List<String> counted = SqlStatementCounter.record(() ->
                assertThat(admin().get("/servers?q=example&size=2").body()).containsEntry("total", 5));
        assertThat(counted).as("statements with total").anyMatch(SearchAndTotalApiTest::isCount);
        List<String> skipped = new ArrayList<>();
        Map<String, Object>[] body = new Map[1];
        skipped.addAll(SqlStatementCounter.record(() -> body[0] = admin().get("/servers?q=example&size=2&total=false").body()));
        assertThat(skipped).as("the counter sees the list query").anyMatch(sql -> sql.contains("LIMIT"));
        assertThat(skipped).as("statements with total=false").noneMatch(SearchAndTotalApiTest::isCount);
        assertThat(counted.size() - skipped.size()).isEqualTo(1);
        assertThat(body[0]).containsOnlyKeys("items", "page", "size", "next");
        assertThat((List<?>) body[0].get("items")).hasSize(2);
        assertThat(admin().get("/servers?total=TRUE&size=1").body()).containsEntry("total", 5);
    }

    @Test
    void nextLinksSkipTheCountAndWalkEveryRecord() {
        for (int i = 0; i < 3; i++) admin().post("/servers", json("{\"hostname\": \"app-%d.example.com\"}", i));
        Response first = admin().get("/servers?q=example&size=2");
        assertThat(first.body()).containsEntry("total", 5);
        List<Object> walked = new ArrayList<>(ids(first));
        String next = (String) first.body().get("next");
        while (next != null) {
            assertThat(next).contains("total=false").contains("q=example");
            String link = next;
            Response[] page = new Response[1];
            List<String> sql = SqlStatementCounter.record(() -> page[0] = admin().get(link));
            assertThat(sql).as(link).noneMatch(SearchAndTotalApiTest::isCount);
            assertThat(page[0].body()).doesNotContainKey("total");
            walked.addAll(ids(page[0]));
            next = (String) page[0].body().get("next");
        }
        assertThat(walked).hasSize(5).doesNotHaveDuplicates();
        // a client that asks for the total on every page keeps it in the links
        Response counted = admin().get("/servers?q=example&size=2&total=true");
        Response second = admin().get((String) counted.body().get("next"));
        assertThat(second.body()).containsEntry("total", 5);
    }

    private static boolean isCount(String sql) {
        return sql.toUpperCase().contains("COUNT(");
    }

    private List<Object> ids(String path) {
        Response r = admin().get(path);
        assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
        assertThat(r.body().get("total")).as(path).isEqualTo(r.items().size());
        return ids(r);
    }

    private static List<Object> ids(Response r) {
        return r.items().stream().map(m -> m.get("id")).toList();
    }
}
