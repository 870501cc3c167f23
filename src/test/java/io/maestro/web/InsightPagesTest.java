package io.maestro.web;

import io.maestro.support.ApiTest;
import io.maestro.support.PageSession;
import io.maestro.support.PageSession.Page;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insight pages over HTTP with a signed-in session, on H2 and PostgreSQL (the browser tests
 * run on H2 only): what the Impact tab, the report builder and its CSV, saved reports, the pivot,
 * the quality page and the dashboard's charts show a member of team red, and what they hide.
 */
class InsightPagesTest extends ApiTest {
    @Autowired
    PasswordEncoder encoder;

    private InsightEstate estate;
    private PageSession red;

    @BeforeEach
    void estate() {
        estate = InsightEstate.create(admin(), jdbc, encoder);
        red = new PageSession(port, InsightEstate.RED, InsightEstate.RED_PASSWORD);
    }

    @Test
    void impactShowsTheRecordsThatDependNowAndAsOfAnInstantNotAnotherTeams() {
        OffsetDateTime before = estate.secondAfterBuilt(clock);
        assertThat(admin().patch("/applications/" + estate.ids.get("billing"), json("{\"dependencies\": []}")).status()).isEqualTo(200);
        String db01 = estate.ids.get("db01");

        Page now = red.get("/servers/" + db01 + "/impact");
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.rows("impact")).containsExactly("1 Database red-ledger runs on red-db01");
        assertThat(now.html()).doesNotContain("blue-spy");

        String picker = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(before.withOffsetSameInstant(ZoneOffset.UTC));
        Page then = red.get("/servers/" + db01 + "/impact?depth=10&as_of=" + picker);
        assertThat(then.rows("impact")).containsExactly(
                "1 Database red-ledger runs on red-db01",
                "2 Application red-billing depends on red-ledger, which runs on red-db01",
                "3 System red-payments contains red-billing, which depends on red-ledger, which runs on red-db01",
                "4 Client Globex is served by red-payments, which contains red-billing, which depends on red-ledger, which runs on red-db01");
        assertThat(then.html()).doesNotContain("blue-spy").contains("<strong>4</strong> records stop");
        assertThat(red.get("/servers/" + db01 + "/impact?depth=2&as_of=" + picker).rows("impact")).hasSize(2);

        // the record page carries the tab, loaded from that page
        Page detail = red.get("/servers/" + db01);
        assertThat(detail.html()).contains("id=\"tab-impact\"").contains("hx-get=\"/servers/" + db01 + "/impact\"");
        // bad input is explained with a 400; an instant before the record existed is said so; another team's record is not there
        assertThat(red.get("/servers/" + db01 + "/impact?as_of=yesterday").status()).isEqualTo(400);
        assertThat(red.get("/servers/" + db01 + "/impact?depth=11").html()).contains("depth");
        assertThat(red.get("/servers/" + db01 + "/impact?as_of=2001-01-01T00:00").html()).contains("did not exist");
        assertThat(red.get("/applications/" + estate.ids.get("spy") + "/impact").status()).isEqualTo(404);
    }

    @Test
    void theImpactOfASelectionCoversEveryRecordTheSelectedOnesHurtOnceAndHidesAnotherTeams() {
        String db01 = estate.ids.get("db01");
        String app01 = estate.ids.get("app01");
        HttpResponse<String> both = red.post("/servers/impact", "id=" + db01 + "&id=" + app01);
        assertThat(both.statusCode()).isEqualTo(200);
        Page page = new Page(both.statusCode(), both.body());
        // billing runs on app01 (one hop) and depends on the ledger on db01 (two): listed once, at its shortest
        assertThat(page.rows("impact")).containsExactlyInAnyOrder(
                "1 Database red-ledger runs on red-db01",
                "1 Application red-billing runs on red-app01",
                "2 System red-payments contains red-billing, which runs on red-app01",
                "3 Client Globex is served by red-payments, which contains red-billing, which runs on red-app01");
        assertThat(page.html()).contains("<strong>4</strong> records stop").contains("2 servers").doesNotContain("blue-spy");
        // the page's own form posts the same ids again
        assertThat(page.html()).contains("name=\"id\" value=\"" + db01 + "\"").contains("name=\"id\" value=\"" + app01 + "\"");

        // every server the list's filter matches; another team's server in the ids is left out as the list never showed it
        assertThat(new Page(200, red.post("/servers/impact", "all=true&filter=" + java.net.URLEncoder.encode("q=red-db01", java.nio.charset.StandardCharsets.UTF_8)).body()).rows("impact"))
                .hasSize(4).contains("2 Application red-billing depends on red-ledger, which runs on red-db01");
        assertThat(new Page(200, red.post("/servers/impact", "id=" + db01 + "&id=" + estate.ids.get("blue01")).body()).html())
                .contains("if <strong>red-db01</strong> fails");
        // nothing selected, only another team's, or a bad depth: said in place, nothing run
        assertThat(red.post("/servers/impact", "depth=2").statusCode()).isEqualTo(400);
        assertThat(red.post("/servers/impact", "id=" + estate.ids.get("blue01")).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = red.post("/servers/impact", "id=" + db01 + "&depth=11");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("depth");
    }

    @Test
    void aReportsNumbersAreTheSameInTheChartTheTableAndTheCsvAndItCanBeSavedAndReopened() throws IOException {
        Page report = red.get("/reports?collection=servers&group_by=environment&chart=pie");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.rows("report-chart-table")).containsExactlyInAnyOrder("Production 1", "Staging 1");
        assertThat(report.html()).contains("data-chart=").contains("&quot;type&quot;:&quot;pie&quot;");

        HttpResponse<String> csv = red.raw("/reports/download?collection=servers&group_by=environment");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        assertThat(lines(csv.body())).containsExactly("environment,count", "Production,1", "Staging,1");

        // filters and a second grouping: the same numbers as the summary API gives team red
        Page filtered = red.get("/reports?collection=servers&prev=servers&group_by=environment&group_by=os.base&more=os.base%3DLinux");
        assertThat(filtered.rows("report-chart-table")).containsExactly("Production 1 1", "Staging 1 1");
        Map<String, Object> api = as(InsightEstate.RED, InsightEstate.RED_PASSWORD).get("/servers/summary?group_by=environment,os.base&os.base=Linux").body();
        assertThat(api.get("total")).isEqualTo(2);

        // saving stores the definition for team red and opens it
        HttpResponse<String> saved = red.post("/reports", "name=Red+by+env&collection=servers&group_by=environment&environment=Production");
        assertThat(saved.statusCode()).isEqualTo(302);
        String location = saved.headers().firstValue("Location").orElseThrow();
        Matcher m = Pattern.compile("/reports/([0-9a-f-]{36})").matcher(location);
        assertThat(m.find()).as(location).isTrue();
        String id = m.group(1);
        Map<String, Object> stored = as(InsightEstate.RED, InsightEstate.RED_PASSWORD).get("/reports/" + id).body();
        assertThat(stored).containsEntry("name", "Red by env").containsEntry("team_id", estate.redTeam.toString())
                .containsEntry("group_by", List.of("environment")).containsEntry("filters", Map.of("environment", "Production"));
        Page reopened = red.get("/reports/" + id);
        assertThat(reopened.rows("report-chart-table")).containsExactly("Production 1");
        assertThat(red.get("/reports").html()).contains("Red by env");
        assertThat(lines(red.raw("/reports/" + id + "/download").body())).containsExactly("environment,count", "Production,1");
        // the admin's other teams do not see it; a nameless report is not stored
        assertThat(red.post("/reports", "name=&collection=servers&group_by=environment").statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM saved_report", Long.class)).isEqualTo(1);

        // a list report: its records and columns, red's only
        Page list = red.get("/reports?collection=servers&prev=servers&columns=name&columns=environment");
        assertThat(list.rows("report-table")).containsExactlyInAnyOrder("red-app01 Staging", "red-db01 Production");
        assertThat(lines(red.raw("/reports/download?collection=servers&columns=name&columns=environment").body()))
                .containsExactly("name,environment", "red-app01,Staging", "red-db01,Production");
        // bad input: a 400 page naming the parameter, nothing stored
        Page bad = red.get("/reports?collection=servers&prev=servers&group_by=ipv4_nonsense");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.html()).contains("group_by");
    }

    @Test
    void thePivotTreeAndCsvHoldRedsPathsOnly() throws IOException {
        Page pivot = red.get("/reports/pivot");
        assertThat(pivot.status()).isEqualTo(200);
        assertThat(pivot.html()).contains("Globex").contains("red-payments").contains("red-billing").contains("red-app01").doesNotContain("blue-");
        List<CSVRecord> csv = CSVFormat.RFC4180.parse(new StringReader(red.raw("/reports/pivot.csv").body())).getRecords();
        assertThat(csv.stream().map(r -> String.join(",", r.toList())).toList()).containsExactly(
                "client,system,application,server,environment",
                "Globex,red-payments,red-billing,red-app01,Staging",
                "(none),(none),(none),red-db01,Production");
        assertThat(red.get("/reports/pivot?client_id=nope").status()).isEqualTo(400);
    }

    @Test
    void theQualityPageAndTheDashboardCountWhatTheCallerMayRead() {
        Page quality = red.get("/quality");
        assertThat(quality.status()).isEqualTo(200);
        assertThat(quality.rows("quality-summary")).contains("Servers 2 71% 0 0 0 0");
        assertThat(quality.html()).contains("href=\"/servers/" + estate.ids.get("app01") + "/edit\"").doesNotContain("blue-");
        assertThat(red.get("/quality?team_id=" + estate.redTeam).rows("quality-summary")).contains("Servers 2 71% 0 0 0 0");
        // a server its source no longer sees: counted as stale, and the count opens the list of them
        jdbc.update("UPDATE server SET stale = TRUE WHERE id = ?", java.util.UUID.fromString(estate.ids.get("app01")));
        Page withStale = red.get("/quality");
        assertThat(withStale.rows("quality-summary")).contains("Servers 2 71% 0 1 0 0");
        assertThat(withStale.html()).contains("href=\"/servers?stale=true\"");
        Page staleList = red.get("/servers?stale=true");
        assertThat(staleList.html()).contains("red-app01").doesNotContain("red-db01");

        // a member of both teams compares them: blue's one server has a hostname and an environment of the 7 fields expected
        if (jdbc.queryForObject("SELECT COUNT(*) FROM app_user WHERE username = 'insight-both'", Long.class) == 0) {
            java.util.UUID user = java.util.UUID.randomUUID();
            jdbc.update("INSERT INTO app_user (id, username, password_hash, global_admin, created_at) VALUES (?, 'insight-both', ?, FALSE, ?)",
                    user, encoder.encode("insight-both-password-1"), OffsetDateTime.now());
            jdbc.update("INSERT INTO team_member (team_id, user_id, role) VALUES (?, ?, 'member')", estate.redTeam, user);
            jdbc.update("INSERT INTO team_member (team_id, user_id, role) VALUES (?, ?, 'member')", estate.blueTeam, user);
        }
        Page teams = new PageSession(port, "insight-both", "insight-both-password-1").get("/quality?compare=teams");
        assertThat(teams.rows("quality-teams")).hasSize(2)
                .anyMatch(r -> r.startsWith("insight-blue 29% of 1")).anyMatch(r -> r.startsWith("insight-red 71% of 2"));
        assertThat(red.get("/quality?compare=teams").html()).doesNotContain("id=\"quality-teams\"");

        Page dashboard = red.get("/");
        assertThat(dashboard.rows("chart-servers-environment-table")).containsExactlyInAnyOrder("Production 1", "Staging 1");
        assertThat(dashboard.rows("chart-servers-datacenter-id-table")).containsExactlyInAnyOrder("red-dc 1", "(none) 1");
        assertThat(admin().get("/servers/summary?group_by=environment").body().get("total")).isEqualTo(3);
    }

    private static List<String> lines(String csv) {
        return csv.lines().toList();
    }

    // ---- a signed-in browser session without the browser
}
