package io.maestro.web;

import io.maestro.support.ApiTest;
import io.maestro.support.PageSession;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page, rendered over plain HTTP (no browser), so it runs in both passes, PostgreSQL's too:
 * each kind's list, search, form, record, edit and as-of pages with a record of each kind, and the
 * pages of search, graph, insight, accounts and administration. With ArchitectureTest's rules
 * (pages only call services, SQL only in stores) this is what lets the browser suite run on H2 only.
 */
class PagesRenderOnEitherDatabaseTest extends ApiTest {
    /** A record of each kind, by collection: the smallest body each accepts. */
    private static final Map<String, Map<String, Object>> RECORDS = new LinkedHashMap<>();

    static {
        RECORDS.put("servers", Map.of("hostname", "page-web01", "environment", "Production"));
        RECORDS.put("applications", Map.of("name", "page-app"));
        RECORDS.put("databases", Map.of("name", "page-db", "engine", "MySQL"));
        RECORDS.put("loadbalancers", Map.of("name", "page-lb"));
        RECORDS.put("datacenters", Map.of("name", "page-dc"));
        RECORDS.put("systems", Map.of("name", "page-system"));
        RECORDS.put("clients", Map.of("name", "page-client"));
        RECORDS.put("services", Map.of("name", "page-service"));
        RECORDS.put("providers", Map.of("name", "page-provider"));
    }

    private static final List<String> GLOBAL_PAGES = List.of("/", "/search?q=page", "/graph", "/quality", "/reports",
            "/reports?collection=servers&group_by=environment", "/reports/pivot", "/users", "/teams", "/tokens", "/account",
            "/options", "/views", "/connections", "/imports");

    @TestFactory
    List<DynamicTest> everyPageRenders() {
        Map<String, String> ids = new LinkedHashMap<>();
        RECORDS.forEach((collection, body) -> {
            Response r = admin().post("/" + collection, body);
            assertThat(r.status()).as(collection + " " + r).isEqualTo(201);
            ids.put(collection, r.id());
        });
        String then = clock.mark();
        String shown = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(Instant.parse(then));
        // a change after the instant: the as-of pages show the record as it was
        ids.forEach((collection, id) -> assertThat(admin().patch("/" + collection + "/" + id, Map.of("description", "changed later")).status())
                .isEqualTo(200));
        PageSession session = new PageSession(port, "admin", ADMIN_PASSWORD);

        List<DynamicTest> pages = new ArrayList<>();
        for (String path : GLOBAL_PAGES) pages.add(DynamicTest.dynamicTest(path, () -> renders(session, path, null)));
        ids.forEach((collection, id) -> {
            String name = RECORDS.get(collection).getOrDefault("name", RECORDS.get(collection).get("hostname")).toString();
            for (String path : List.of("/" + collection, "/" + collection + "?q=page&sort=-updated_at", "/" + collection + "/new")) {
                pages.add(DynamicTest.dynamicTest(path, () -> renders(session, path, null)));
            }
            for (String path : List.of("/" + collection + "/" + id, "/" + collection + "/" + id + "/edit")) {
                pages.add(DynamicTest.dynamicTest(path, () -> assertThat(renders(session, path, name)).contains("changed later")));
            }
            // the as-of pages say which instant they show
            String asOf = "/" + collection + "/" + id + "?as_of=" + then;
            pages.add(DynamicTest.dynamicTest(asOf, () -> assertThat(renders(session, asOf, shown)).contains(name)));
            String listAsOf = "/" + collection + "?as_of=" + then;
            pages.add(DynamicTest.dynamicTest(listAsOf, () -> assertThat(renders(session, listAsOf, shown)).contains(name)));
        });
        return pages;
    }

    /** The page answers 200 with HTML (naming {@code shows} when given), not an error page; its HTML. */
    private static String renders(PageSession session, String path, String shows) {
        PageSession.Page page = session.get(path);
        assertThat(page.status()).as(path).isEqualTo(200);
        assertThat(page.html()).as(path).contains("</html>").doesNotContain("Whitelabel", "Exception");
        if (shows != null) assertThat(page.html()).as(path).contains(shows);
        return page.html();
    }
}
