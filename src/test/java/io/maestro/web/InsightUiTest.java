package io.maestro.web;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import io.maestro.support.UiTest;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insight pages in the browser, as a member of team red: a record's Impact tab (live and as
 * of an instant, without another team's records), a report built, charted, downloaded as CSV,
 * saved and reopened, the pivot tree, the data quality page with its links to the forms, the
 * dashboard's charts; axe on each, dark theme, 390 px.
 */
class InsightUiTest extends UiTest {
    private static final String RED = InsightEstate.RED;
    private static final String RED_PASSWORD = InsightEstate.RED_PASSWORD;

    @Autowired
    PasswordEncoder encoder;

    private Map<String, String> ids;
    private InsightEstate estate;

    @BeforeEach
    void estate() {
        estate = InsightEstate.create(admin(), jdbc, encoder);
        ids = estate.ids;
    }

    @Test
    void theImpactTabShowsWhatBreaksNowAndAsOfAnInstantButNoOtherTeamsRecords() {
        // an instant after the estate was built and before billing stops depending on the database
        OffsetDateTime before = estate.secondAfterBuilt(clock);
        assertThat(admin().patch("/applications/" + ids.get("billing"), json("{\"dependencies\": []}")).status()).isEqualTo(200);

        signIn(RED, RED_PASSWORD);
        open("/servers/" + ids.get("db01"));
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Impact")).click();
        Locator impact = page.locator("#p-impact");
        assertThat(impact.locator("table tbody tr")).hasCount(1);
        assertThat(impact.locator("tbody")).containsText("red-ledger");
        assertThat(impact.locator(".list-meta")).containsText("1 record stops working if red-db01 fails");
        assertThat(impact).not().containsText("blue-spy");

        // as it stood before the change: the application, its system and the client were hurt too
        impact.getByLabel("As of (UTC)").fill(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").format(before.withOffsetSameInstant(ZoneOffset.UTC)));
        impact.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Show")).click();
        assertThat(impact.locator(".list-meta")).containsText("4 records stop working");
        List<String> rows = impact.locator("table tbody tr").allInnerTexts();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("1\tDatabase\tred-ledger\truns on red-db01");
        assertThat(rows.get(1)).startsWith("2\tApplication\tred-billing\tdepends on red-ledger, which runs on red-db01");
        assertThat(rows.get(2)).startsWith("3\tSystem\tred-payments\tcontains red-billing");
        assertThat(rows.get(3)).startsWith("4\tClient\tGlobex\tis served by red-payments");
        assertThat(impact).not().containsText("blue-spy");
        // the tree nests each record under the one it depends on
        assertThat(impact.locator(".tree > li")).containsText("red-ledger");
        assertThat(impact.locator(".tree details details details li")).containsText("Globex");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("insight-impact");
        assertThat(narrowScrollWidth).as("page width at phone width").isLessThanOrEqualTo(NARROW);

        // the same answer on a page of its own, and a bad instant is refused in place
        open("/servers/" + ids.get("db01") + "/impact?as_of=yesterday");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("as_of");
        // the admin sees team blue's application among what the database's failure hurts
        page.context().clearCookies();
        signInAsAdmin();
        open("/servers/" + ids.get("db01") + "/impact");
        assertThat(page.locator("#impact tbody")).containsText("blue-spy");
    }

    @Test
    void aServerListShowsTheImpactOfASelection() {
        signIn(RED, RED_PASSWORD);
        open("/servers?q=red-");
        page.getByLabel("Select red-db01").check();
        page.getByLabel("Select red-app01").check();
        assertThat(page.locator("[data-bulk-count]")).hasText("2 selected.");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Impact of selected")).click();
        page.waitForURL("**/servers/impact");
        // the database on one and the application on the other, then the system and client they serve; never blue's application
        assertThat(page.locator("#impact .list-meta")).containsText("4 records stop working if 2 servers fail");
        List<String> rows = page.locator("#impact table tbody tr").allInnerTexts();
        assertThat(rows).hasSize(4);
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("1\tDatabase\tred-ledger\truns on red-db01"));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("1\tApplication\tred-billing\truns on red-app01"));
        assertThat(rows.get(3)).startsWith("3\tClient\tGlobex\tis served by red-payments");
        assertThat(page.locator("#impact")).not().containsText("blue-spy");
        // each selected server heads its part of the tree
        assertThat(page.locator("#impact .tree > li")).hasCount(2);
        assertThat(accessibilityViolations()).isEmpty();

        // a hop less, same selection: the form posts the ids again
        page.getByLabel("Hops").selectOption("1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show")).click();
        assertThat(page.locator("#impact .list-meta")).containsText("2 records stop working if 2 servers fail");
        assertThat(page.locator("#impact .list-meta")).containsText("More lie beyond the hops shown");
    }

    @Test
    void aReportIsBuiltChartedDownloadedSavedAndReopened() throws IOException {
        signIn(RED, RED_PASSWORD);
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Reports").setExact(true)).click();
        page.waitForLoadState();
        page.getByLabel("Records").selectOption("servers");
        page.getByLabel("Group by").selectOption("environment");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run report")).click();
        page.waitForLoadState();
        // the chart is drawn and the table beside it has the same numbers: red's two servers, not blue's
        page.locator("#report-chart svg").waitFor();
        assertThat(page.locator("#report-chart-table tbody tr")).hasCount(2);
        assertThat(page.locator("#report-chart-table tbody")).containsText("Production");
        assertThat(page.locator("#report-chart-table tbody")).containsText("Staging");
        assertThat(page.locator("#report-chart-table tfoot")).containsText("2");
        assertThat(page.locator("#report-chart")).hasAttribute("aria-label", Pattern.compile("table below"));
        assertThat(accessibilityViolations()).isEmpty();

        Download download = page.waitForDownload(() -> page.locator("#report-csv").click());
        List<CSVRecord> csv = parse(Files.readString(download.path(), StandardCharsets.UTF_8));
        assertThat(csv.get(0).toList()).containsExactly("environment", "count");
        assertThat(csv.subList(1, csv.size()).stream().map(r -> String.join(",", r.toList())).toList())
                .containsExactlyInAnyOrder("Production,1", "Staging,1");

        // two groupings: stacked bars, a cross table
        page.getByLabel("Then by").selectOption("os.base");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run report")).click();
        page.waitForLoadState();
        page.locator("#report-chart svg").waitFor();
        assertThat(page.locator("#report-chart-table thead")).containsText("Linux");
        assertThat(page.locator("#report-chart-table tbody tr")).hasCount(2);

        // saved under a name, listed, and reopened with the same answer
        page.getByLabel("Save as").fill("Red servers by environment and OS");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save report")).click();
        page.waitForLoadState();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("saved");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Red servers by environment and OS");
        String reportId = currentId();
        assertThat(as(RED, RED_PASSWORD).get("/reports/" + reportId).body())
                .containsEntry("collection", "servers").containsEntry("group_by", List.of("environment", "os.base"));
        open("/reports");
        page.locator("#saved-reports").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Red servers by environment and OS")).click();
        page.waitForLoadState();
        page.locator("#report-chart svg").waitFor();
        assertThat(page.locator("#report-chart-table tbody tr")).hasCount(2);
        assertThat(page.getByLabel("Group by")).hasValue("environment");
        assertThat(page.getByLabel("Then by")).hasValue("os.base");
        download = page.waitForDownload(() -> page.locator("#report-csv").click());
        csv = parse(Files.readString(download.path(), StandardCharsets.UTF_8));
        assertThat(csv.get(0).toList()).containsExactly("environment", "os.base", "count");
        assertThat(csv).hasSize(3);
        screenshots("insight-report");
        assertThat(narrowScrollWidth).as("page width at phone width").isLessThanOrEqualTo(NARROW);

        // changed: run with one grouping less (still this report, not saved yet), then saved under a new name
        page.getByLabel("Then by").selectOption("");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run report")).click();
        page.waitForLoadState();
        assertThat(page.locator("#report-chart-table thead")).not().containsText("Linux");
        assertThat(as(RED, RED_PASSWORD).get("/reports/" + reportId).body()).containsEntry("group_by", List.of("environment", "os.base"));
        page.getByLabel("Report name").fill("Red servers by environment");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save changes")).click();
        page.waitForLoadState();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("saved");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Red servers by environment");
        assertThat(currentId()).isEqualTo(reportId);
        assertThat(as(RED, RED_PASSWORD).get("/reports/" + reportId).body()).containsEntry("name", "Red servers by environment")
                .containsEntry("group_by", List.of("environment")).containsEntry("version", 2);
        assertThat(accessibilityViolations()).isEmpty();

        // a list report: the columns chosen, its records
        open("/reports?collection=servers&prev=servers&columns=name&columns=environment");
        assertThat(page.locator("#report-table tbody tr")).hasCount(2);
        assertThat(page.locator("#report-table")).containsText("red-app01");
        assertThat(page.locator("#report-table")).not().containsText("blue-01");
        // a bad filter is explained, nothing breaks
        open("/reports?collection=servers&prev=servers&group_by=environment&more=cpu%5Bgte%5D%3Dmany");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("cpu");
    }

    @Test
    void thePivotIsATreeOfClientsSystemsApplicationsAndServers() {
        signIn(RED, RED_PASSWORD);
        open("/reports/pivot");
        Locator tree = page.locator("#pivot-tree");
        assertThat(tree.locator(":scope > li").first()).containsText("Globex");
        assertThat(tree.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("red-app01"))).not().isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Expand all")).click();
        assertThat(tree.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("red-app01"))).isVisible();
        assertThat(tree).containsText("red-payments");
        assertThat(tree).containsText("red-billing");
        assertThat(tree).not().containsText("blue-01");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("insight-pivot");
        assertThat(narrowScrollWidth).as("page width at phone width").isLessThanOrEqualTo(NARROW);
        Download download = page.waitForDownload(() -> page.locator("#pivot-csv").click());
        List<CSVRecord> csv;
        try {
            csv = parse(Files.readString(download.path(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(csv.get(0).toList()).containsExactly("client", "system", "application", "server", "environment");
        assertThat(csv.stream().map(r -> String.join(",", r.toList())).toList())
                .contains("Globex,red-payments,red-billing,red-app01,Staging", "(none),(none),(none),red-db01,Production");
    }

    @Test
    void theQualityPageLeadsToTheRecordsToFix() {
        signIn(RED, RED_PASSWORD);
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Main"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Data quality")).click();
        page.waitForLoadState();
        Locator servers = page.locator("#quality-summary tbody tr").filter(new Locator.FilterOptions().setHasText("Servers"));
        assertThat(servers.locator("td").first()).hasText("2");
        // red-app01 misses its IP, CPU, memory and datacenter: first to fix
        Locator worst = page.locator("#q-servers tbody tr").first();
        assertThat(worst).containsText("red-app01");
        assertThat(worst).containsText("Private IPv4");
        assertThat(page.locator("main")).not().containsText("blue-01");
        assertThat(accessibilityViolations()).isEmpty();
        screenshots("insight-quality");
        assertThat(narrowScrollWidth).as("page width at phone width").isLessThanOrEqualTo(NARROW);
        worst.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Fix red-app01")).click();
        page.waitForLoadState();
        assertThat(page).hasURL(Pattern.compile("/servers/" + ids.get("app01") + "/edit$"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit red-app01");
    }

    @Test
    void theDashboardChartsServersByEnvironmentOsAndDatacenterWithTheirNumbers() {
        signIn(RED, RED_PASSWORD);
        open("/");
        page.locator("#chart-servers-environment svg").waitFor();
        page.locator("#chart-servers-os-base svg").waitFor();
        page.locator("#chart-servers-datacenter-id svg").waitFor();
        assertThat(page.locator("#chart-servers-environment-table tbody")).containsText("Production");
        assertThat(page.locator("#chart-servers-os-base-table tbody tr")).hasCount(1);
        assertThat(page.locator("#chart-servers-os-base-table tbody")).containsText("Linux");
        Locator dc = page.locator("#chart-servers-datacenter-id-table tbody");
        assertThat(dc).containsText("red-dc");
        assertThat(dc).containsText("(none)");
        assertThat(accessibilityViolations()).isEmpty();
        // a row opens the list it counts
        page.locator("#chart-servers-environment-table").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Staging")).click();
        page.waitForLoadState();
        assertThat(page.locator("tbody")).containsText("red-app01");
        assertThat(page.locator("tbody")).not().containsText("red-db01");
    }

    @Test
    void darkThemeAndPhoneWidthStayReadable() {
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signIn(RED, RED_PASSWORD);
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/reports", "/reports/pivot", "/quality", "/servers/" + ids.get("db01") + "#p-impact", "/")) {
            open(path);
            if (path.endsWith("#p-impact")) page.locator("#impact table").waitFor();
            if (path.equals("/reports") || path.equals("/")) page.locator(".chart svg").first().waitFor();
            accessibilityViolations().forEach(v -> problems.add(path + ": " + v));
            page.setViewportSize(NARROW, 844);
            try { // charts redraw on the resize event: give them the time a loaded machine needs, then measure
                page.waitForFunction("w => document.documentElement.scrollWidth <= w", NARROW, new Page.WaitForFunctionOptions().setTimeout(15_000));
            } catch (com.microsoft.playwright.TimeoutError stillTooWide) {
                // measured and reported below
            }
            int width = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
            if (width > NARROW) problems.add(path + ": " + width + " px wide at " + NARROW + " px");
            accessibilityViolations().forEach(v -> problems.add(path + " at " + NARROW + " px: " + v));
            page.setViewportSize(WIDE, 900);
        }
        screenshots("dark-dashboard-charts"); // the last page: the dashboard
        assertThat(problems).isEmpty();
    }

    // ---- helpers

    private static List<CSVRecord> parse(String text) throws IOException {
        try (Reader in = new java.io.StringReader(text); CSVParser p = CSVFormat.RFC4180.parse(in)) {
            return p.getRecords();
        }
    }
}
