package io.maestro.web;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.FilePayload;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list page's everyday jobs in the browser: export the filter, import a file with a check
 * first, bulk edit and bulk delete; each result checked through the API afterwards.
 */
class ListToolsUiTest extends UiTest {

    private void button(String name) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true)).click();
    }

    private long total(String query) {
        return ((Number) admin().get("/servers?" + query).body().get("total")).longValue();
    }

    private void noAxeProblems(String where) {
        assertThat(accessibilityViolations()).as("axe on " + where).isEmpty();
    }

    /** A count of the import's answer, once it is there (the check of a file can take long on a loaded machine). */
    private Locator counts(String which) {
        Locator count = page.locator("#import-result [data-count=" + which + "]");
        count.waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        return count;
    }

    /** Chooses the file once the page's script listens for it (on a loaded machine it runs well after the form shows). */
    private void choose(String name, String type, byte[] bytes) {
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
        page.getByLabel("File (.csv, .ndjson or .json)").setInputFiles(new FilePayload(name, type, bytes));
    }

    @Test
    void exportOfAFilterImportedBackChangesNothing() throws Exception {
        admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1", "environment", "Production",
                "os", Map.of("base", "Linux"), "tags", List.of(Map.of("key", "owner", "value", "ops"))));
        admin().post("/servers", Map.of("hostname", "web02", "environment", "Production", "storage", List.of(Map.of("mount", "/", "size_gb", 20))));
        admin().post("/servers", Map.of("hostname", "dev01", "environment", "Development"));
        signInAsAdmin();
        open("/servers?environment=Production");
        Download csv = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Export these servers as CSV")).click());
        String text = Files.readString(csv.path(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("id,").contains("web01").contains("web02").doesNotContain("dev01");
        assertThat(text.strip().lines()).hasSize(3);
        Download ndjson = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("Export these servers as NDJSON")).click());
        assertThat(Files.readAllLines(ndjson.path())).hasSize(2);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Import…")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Import servers");
        choose("servers.csv", "text/csv", Files.readAllBytes(csv.path()));
        assertThat(counts("unchanged")).hasText("2");
        assertThat(counts("created")).hasText("0");
        assertThat(counts("updated")).hasText("0");
        assertThat(page.locator("#import-result")).containsText("Nothing to do");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply"))).isDisabled();
        noAxeProblems("import check");
        // the NDJSON export too
        choose("servers.ndjson", "application/x-ndjson", Files.readAllBytes(ndjson.path()));
        assertThat(counts("unchanged")).hasText("2");
        for (Map<String, Object> s : admin().get("/servers?size=10").items()) assertThat(s).containsEntry("version", 1);
    }

    @Test
    void aFileWithThreeBadRowsShowsThemAllAndApplyStoresTheOthers() {
        StringBuilder csv = new StringBuilder("hostname,ipv4_private,environment\n");
        for (int i = 1; i <= 200; i++) {
            String host = i == 150 ? "" : "node" + i;
            String ip = i == 10 ? "10.0.0.999" : "10.1." + (i / 250) + "." + (i % 250);
            String env = i == 50 ? "Bogus" : "Production";
            csv.append(host).append(',').append(ip).append(',').append(env).append('\n');
        }
        signInAsAdmin();
        open("/servers/import");
        choose("nodes.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(counts("created")).hasText("197");
        assertThat(counts("failed")).hasText("3");
        Locator bad = page.locator("table.bad-rows tbody tr");
        assertThat(bad).hasCount(3);
        assertThat(page.locator("table.bad-rows tr[data-row='10']")).containsText("ipv4_private");
        assertThat(page.locator("table.bad-rows tr[data-row='50']")).containsText("environment");
        assertThat(page.locator("table.bad-rows tr[data-row='150']")).containsText("hostname");
        assertThat(total("size=1")).as("a check stores nothing").isEqualTo(0);
        screenshots("import-check");
        assertThat(narrowScrollWidth).isLessThanOrEqualTo(NARROW);

        button("Apply");
        assertThat(page.locator("#import-result h2")).hasText("Imported");
        assertThat(counts("created")).hasText("197");
        assertThat(page.locator("#import-result")).containsText("197 rows stored.");
        assertThat(total("size=1")).isEqualTo(197);
        assertThat(total("hostname=node50")).isEqualTo(0);
        assertThat(total("hostname=node51&environment=Production")).isEqualTo(1);
        noAxeProblems("import result");
    }

    @Test
    void filesThatAreNotServersAreRefusedWithAReasonAndNothingStored() {
        admin().post("/applications", Map.of("name", "shop", "language", "Java"));
        signInAsAdmin();
        open("/servers/import");
        Locator alert = page.locator("#import-result [role=alert]");

        choose("photo.csv", "text/csv", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, (byte) 0xff, (byte) 0xfe});
        assertThat(alert).containsText("not a text file");

        choose("empty.csv", "text/csv", new byte[0]);
        assertThat(alert).containsText("empty");

        choose("blank.ndjson", "application/x-ndjson", "\n\n".getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("empty");

        choose("odd.csv", "text/csv", "hostname,colour,flavour\nweb01,red,mint\n".getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("colour");
        assertThat(alert).containsText("flavour");

        choose("apps.csv", "text/csv", "name,language\nshop,Java\n".getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("file of applications");

        String apps = admin().get("/applications/export?format=ndjson").text();
        choose("apps.ndjson", "application/x-ndjson", apps.getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("holds applications");

        choose("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("Choose a .csv, .ndjson or .json file");

        // larger than the import limit (lowered for the test in the page): refused before uploading
        page.locator("form[data-import]").evaluate("f => f.setAttribute('data-max-bytes', '20')");
        choose("big.csv", "text/csv", "hostname\nweb01\nweb02\nweb03\nweb04\n".getBytes(StandardCharsets.UTF_8));
        assertThat(alert).containsText("larger than");
        noAxeProblems("import refused");
        assertThat(total("size=1")).isEqualTo(0);
        assertThat(((Number) admin().get("/applications?size=1").body().get("total")).longValue()).isEqualTo(1);
    }

    @Test
    void bulkEditOfFiftySelectedServersWritesFiftyChangesByTheUser() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(Map.of("hostname", String.format("app%02d", i), "environment", "Development",
                    "tags", List.of(Map.of("key", "owner", "value", "old"), Map.of("key", "tier", "value", "2"))));
        }
        assertThat(admin().post("/servers/bulk", rows).body()).containsEntry("created", 60);
        signInAsAdmin();
        open("/servers?sort=hostname");
        page.getByLabel("Select all servers on this page").check();
        assertThat(page.locator("[data-bulk-count]")).hasText("50 selected.");
        noAxeProblems("list with selection");
        screenshots("list-selection");
        button("Edit selected…");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit 50 servers");
        noAxeProblems("bulk edit");

        // a value that is not an environment (a tampered form): refused at the field, nothing stored
        page.locator("#b-environment").evaluate("s => { const o = document.createElement('option'); o.value = 'Bogus'; o.text = 'Bogus'; s.add(o); s.value = 'Bogus'; }");
        button("Apply to 50 servers");
        assertThat(page.locator(".field.has-error")).containsText("'Bogus' is not one of");
        assertThat(total("environment=Development")).isEqualTo(60);

        page.getByLabel("Environment").selectOption("Production");
        page.getByLabel("Add tags").fill("team:ops");
        page.getByLabel("Remove tags").fill("owner");
        screenshots("bulk-edit");
        button("Apply to 50 servers");
        assertThat(page.locator("[data-bulk-summary]")).containsText("50 done");
        assertThat(page.locator("table.bulk-results tbody tr")).hasCount(50);
        assertThat(page.locator("table.bulk-results")).containsText("Saved");
        noAxeProblems("bulk result");

        assertThat(total("environment=Production")).isEqualTo(50);
        assertThat(total("environment=Development")).isEqualTo(10);
        assertThat(total("tag=team:ops")).isEqualTo(50);
        assertThat(total("tag=owner:old")).isEqualTo(10);
        assertThat(total("tag=tier:2")).isEqualTo(60);
        Map<String, Object> feed = admin().get("/history?kind=servers&action=update&actor=admin&size=1000").body();
        assertThat((List<?>) feed.get("items")).hasSize(50);
        Map<String, Object> app00 = admin().get("/servers?hostname=app00").items().get(0);
        assertThat(app00).containsEntry("environment", "Production").containsEntry("version", 2);
    }

    @Test
    void bulkEditSetsNumbersAndFreeTextOfFiftyServersAndABadValueStoresNothing() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(Map.of("hostname", String.format("app%02d", i), "cpu", 2, "os", Map.of("base", "Linux", "dist", "Debian")));
        }
        assertThat(admin().post("/servers/bulk", rows).body()).containsEntry("created", 60);
        signInAsAdmin();
        open("/servers?sort=hostname");
        page.getByLabel("Select all servers on this page").check();
        assertThat(page.locator("[data-bulk-count]")).hasText("50 selected.");
        button("Edit selected…");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit 50 servers");

        // not a number: said at the field and for each record, nothing stored
        page.getByLabel("CPU (cores)", new Page.GetByLabelOptions().setExact(true)).fill("lots");
        page.getByLabel("Description", new Page.GetByLabelOptions().setExact(true)).fill("web tier");
        button("Apply to 50 servers");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Nothing was saved.");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("50 of 50 servers cannot take this change");
        assertThat(page.locator("[data-field-path='cpu'] .error")).hasText("must be an integer");
        assertThat(page.locator("[data-bulk-refused] tbody tr")).hasCount(50);
        assertThat(page.locator("[data-bulk-refused] tbody tr").first()).containsText("app00");
        assertThat(page.locator("[data-bulk-refused] tbody tr").first()).containsText("CPU (cores): must be an integer");
        assertThat(page.getByLabel("CPU (cores)", new Page.GetByLabelOptions().setExact(true))).hasValue("lots");
        assertThat(page.getByLabel("Description", new Page.GetByLabelOptions().setExact(true))).hasValue("web tier");
        noAxeProblems("bulk edit refused");
        screenshots("bulk-edit-refused");
        assertThat(total("cpu=2")).isEqualTo(60);
        assertThat(admin().get("/servers?hostname=app00").items().get(0).get("description")).isNull();
        assertThat((List<?>) admin().get("/history?kind=servers&action=update&size=1000").body().get("items")).isEmpty();

        // a number, a text, and a field cleared: each of the 50 written once, by the user
        page.getByLabel("CPU (cores)", new Page.GetByLabelOptions().setExact(true)).fill("8");
        page.getByLabel("Memory (GB)", new Page.GetByLabelOptions().setExact(true)).fill("15.5");
        page.getByLabel("Clear Operating system distribution").check();
        screenshots("bulk-edit-fields");
        button("Apply to 50 servers");
        assertThat(page.locator("[data-bulk-summary]")).containsText("50 done");
        assertThat(page.locator("table.bulk-results tbody tr")).hasCount(50);
        assertThat(page.locator("table.bulk-results")).containsText("Saved");
        assertThat(total("cpu=8")).isEqualTo(50);
        assertThat(total("cpu=2")).isEqualTo(10);
        Map<String, Object> feed = admin().get("/history?kind=servers&action=update&actor=admin&size=1000").body();
        assertThat((List<?>) feed.get("items")).hasSize(50);
        Map<String, Object> app00 = admin().get("/servers?hostname=app00").items().get(0);
        assertThat(app00).containsEntry("cpu", 8).containsEntry("memory", 15.5).containsEntry("description", "web tier")
                .containsEntry("version", 2);
        @SuppressWarnings("unchecked") Map<String, Object> os00 = (Map<String, Object>) app00.get("os");
        assertThat(os00).containsEntry("base", "Linux").containsEntry("dist", null);
        Map<String, Object> app59 = admin().get("/servers?hostname=app59").items().get(0);
        assertThat(app59).containsEntry("cpu", 2).containsEntry("version", 1);
        @SuppressWarnings("unchecked") Map<String, Object> os59 = (Map<String, Object>) app59.get("os");
        assertThat(os59).containsEntry("dist", "Debian");

        // the same change again changes nothing
        open("/servers?sort=hostname");
        page.getByLabel("Select all servers on this page").check();
        button("Edit selected…");
        page.getByLabel("CPU (cores)", new Page.GetByLabelOptions().setExact(true)).fill("8");
        button("Apply to 50 servers");
        assertThat(page.locator("[data-bulk-summary]")).containsText("50 done");
        assertThat(page.locator("table.bulk-results tbody tr", new Page.LocatorOptions().setHasText("Unchanged"))).hasCount(50);
        assertThat((List<?>) admin().get("/history?kind=servers&action=update&size=1000").body().get("items")).hasSize(50);
    }

    @Test
    void aBulkChangeThatSomeRecordsCannotTakeNamesThemAndChangesNone() {
        admin().post("/databases", Map.of("name", "ora01", "engine", "Oracle"));
        admin().post("/databases", Map.of("name", "ora02", "engine", "Oracle"));
        admin().post("/databases", Map.of("name", "my01", "engine", "MySQL"));
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signInAsAdmin();
        open("/databases");
        page.getByLabel("Select all databases on this page").check();
        button("Edit selected…");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Edit 3 databases");
        page.locator("[data-field-path='oracle.version'] select").selectOption("19c");
        button("Apply to 3 databases");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("1 of 3 databases cannot take this change");
        assertThat(page.locator("[data-bulk-refused] tbody tr")).hasCount(1);
        assertThat(page.locator("[data-bulk-refused] tbody tr")).containsText("my01");
        assertThat(page.locator("[data-bulk-refused] tbody tr")).containsText("only for engine Oracle");
        noAxeProblems("bulk edit refused, dark");
        screenshots("dark-bulk-edit-refused");
        assertThat(narrowScrollWidth).isLessThanOrEqualTo(NARROW);
        for (Map<String, Object> db : admin().get("/databases").items()) {
            assertThat(db).as("nothing stored").containsEntry("version", 1);
        }
    }

    @Test
    void bulkDeleteOfAllMatchingAsksWithTheCountAndReportsEachRow() {
        for (int i = 0; i < 5; i++) admin().post("/servers", Map.of("hostname", "stage" + i, "environment", "Staging"));
        admin().post("/servers", Map.of("hostname", "prod1", "environment", "Production"));
        signInAsAdmin();
        open("/servers?environment=Staging&size=2");
        page.getByLabel("All 5 matching").check();
        assertThat(page.locator("[data-bulk-count]")).hasText("All 5 matching selected.");
        button("Delete selected…");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Delete 5 servers?");
        noAxeProblems("bulk delete");
        button("Delete 5 servers");
        assertThat(page.locator("[data-bulk-summary]")).containsText("5 done");
        assertThat(page.locator("table.bulk-results tbody tr")).hasCount(5);
        assertThat(total("environment=Staging")).isEqualTo(0);
        assertThat(total("environment=Production")).isEqualTo(1);

        // a datacenter still in use is not deleted, and its row says why
        String used = admin().post("/datacenters", Map.of("name", "dc-used", "provider", "AWS")).id();
        admin().post("/datacenters", Map.of("name", "dc-free", "provider", "AWS"));
        admin().post("/servers", Map.of("hostname", "in-dc", "datacenter", Map.of("id", used)));
        open("/datacenters");
        page.getByLabel("Select dc-used").check();
        page.getByLabel("Select dc-free").check();
        button("Delete selected…");
        button("Delete 2 datacenters");
        assertThat(page.locator("[data-bulk-summary]")).containsText("1 done, 1 not done");
        assertThat(page.locator("table.bulk-results tr.failed")).containsText("dc-used");
        assertThat(page.locator("table.bulk-results tr.failed")).containsText("still used by");
        assertThat(admin().get("/datacenters/" + used).status()).isEqualTo(200);
        assertThat(((Number) admin().get("/datacenters?size=1").body().get("total")).longValue()).isEqualTo(1);

        // nothing selected: said, nothing done
        open("/servers");
        button("Delete selected…");
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Select at least one server");
        assertThat(total("size=1")).isEqualTo(2);
    }

    @Test
    void listToolsInTheDarkAndNarrow() {
        admin().post("/servers", Map.of("hostname", "web01", "environment", "Production"));
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        signInAsAdmin();
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/servers", "/servers/import", "/applications")) {
            open(path);
            accessibilityViolations().forEach(v -> problems.add(path + ": " + v));
            screenshots("dark-tools" + path.replace('/', '-'));
            if (narrowScrollWidth > NARROW) problems.add(path + ": " + narrowScrollWidth + " px wide at " + NARROW);
        }
        open("/servers");
        page.getByLabel("Select web01").check();
        button("Edit selected…");
        accessibilityViolations().forEach(v -> problems.add("bulk edit: " + v));
        assertThat(problems).isEmpty();
    }
}
