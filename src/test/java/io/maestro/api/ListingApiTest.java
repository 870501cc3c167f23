package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.maestro.api.KindApiTest.json;
import static io.maestro.api.KindApiTest.map;
import static org.assertj.core.api.Assertions.assertThat;

/** "Listing": filters, tags, q, sort, paging and the page shape. */
class ListingApiTest extends ApiTest {
    private String dc1;
    private String dc2;
    private String alpha;
    private String bravo;
    private String charlie;
    private String delta;

    @BeforeEach
    void servers() {
        dc1 = admin().post("/datacenters", json("{\"name\": \"dc-one\"}")).id();
        dc2 = admin().post("/datacenters", json("{\"name\": \"dc-two\"}")).id();
        alpha = post("""
                {"hostname": "alpha.example.com", "name": "alpha", "ipv4_private": "10.1.0.1", "ipv4_public": "198.51.100.7",
                 "os": {"base": "Linux", "dist": "Debian"}, "cpu": 4, "memory": 8, "environment": "Production", "role": "Application",
                 "datacenter": {"id": "%s", "zone": "a"}, "tags": [{"key": "tier", "value": "web"}, {"key": "pci", "value": null}]}""", dc1);
        bravo = post("""
                {"hostname": "bravo.example.com", "name": "bravo", "ipv4_private": "10.1.0.2",
                 "os": {"base": "Windows"}, "cpu": 8, "memory": 16, "environment": "Stage", "role": "Database",
                 "datacenter": {"id": "%s", "zone": "b"}, "tags": [{"key": "tier", "value": "db"}]}""", dc1);
        charlie = post("""
                {"hostname": "charlie.example.org", "name": "charlie_Web", "ipv4_private": "192.168.7.3",
                 "os": {"base": "Linux", "dist": "Ubuntu"}, "cpu": 8, "memory": 32, "environment": "Development",
                 "datacenter": {"id": "%s", "zone": "a"}, "tags": [{"key": "tier", "value": "web"}]}""", dc2);
        delta = post("""
                {"hostname": "delta", "ipv4_private": "10.9.9.9", "os": {"base": "FreeBSD"}, "cpu": 2, "environment": "Production"}""");
    }

    @Test
    void pageShapeAndDefaultOrderByName() {
        Response r = admin().get("/servers");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsOnlyKeys("items", "total", "page", "size", "next");
        assertThat(r.body()).containsEntry("total", 4).containsEntry("page", 0).containsEntry("size", 50);
        assertThat(ids(r)).containsExactly(alpha, bravo, charlie, delta);
    }

    @Test
    void scalarAndNestedScalarFiltersMatchByEquality() {
        assertThat(ids("/servers?os.base=Linux")).containsExactlyInAnyOrder(alpha, charlie);
        assertThat(ids("/servers?os.dist=Debian")).containsExactly(alpha);
        assertThat(ids("/servers?datacenter.id=" + dc1)).containsExactlyInAnyOrder(alpha, bravo);
        assertThat(ids("/servers?datacenter.zone=a")).containsExactlyInAnyOrder(alpha, charlie);
        assertThat(ids("/servers?environment=Production")).containsExactlyInAnyOrder(alpha, delta);
        assertThat(ids("/servers?environment=stage")).containsExactly(bravo);
        assertThat(ids("/servers?cpu=8")).containsExactlyInAnyOrder(bravo, charlie);
        assertThat(ids("/servers?memory=16")).containsExactly(bravo);
        assertThat(ids("/servers?role=database")).containsExactly(bravo);
        assertThat(ids("/servers?ipv4_private=10.1.0.2")).containsExactly(bravo);
        assertThat(ids("/servers?ipv4_public=198.51.100.7")).containsExactly(alpha);
        assertThat(ids("/servers?hostname=ALPHA.example.com")).containsExactly(alpha);
        assertThat(ids("/servers?name=alpha")).containsExactly(alpha);
        assertThat(ids("/servers?team_id=" + jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", String.class)))
                .hasSize(4);
        // filters combine with AND
        assertThat(ids("/servers?os.base=Linux&environment=Production")).containsExactly(alpha);
        assertThat(ids("/servers?os.base=Linux&environment=Staging")).isEmpty();
    }

    @Test
    void aFilterGivenSeveralTimesMatchesAnyOfItsValues() {
        assertThat(ids("/servers?environment=Production&environment=Development")).containsExactlyInAnyOrder(alpha, charlie, delta);
        assertThat(ids("/servers?os.base=Windows&os.base=FreeBSD")).containsExactlyInAnyOrder(bravo, delta);
        assertThat(ids("/servers?datacenter.id=" + dc1 + "&datacenter.id=" + dc2)).containsExactlyInAnyOrder(alpha, bravo, charlie);
    }

    @Test
    void tagFilters() {
        assertThat(ids("/servers?tag=tier:web")).containsExactlyInAnyOrder(alpha, charlie);
        assertThat(ids("/servers?tag=tier:db")).containsExactly(bravo);
        assertThat(ids("/servers?tag=tier")).containsExactlyInAnyOrder(alpha, bravo, charlie);
        assertThat(ids("/servers?tag=pci")).containsExactly(alpha);
        assertThat(ids("/servers?tag=tier:web&tag=pci")).containsExactly(alpha);
        assertThat(ids("/servers?tag=tier:none")).isEmpty();
        // tags of other kinds never leak into this one
        admin().post("/applications", json("{\"name\": \"app\", \"tags\": [{\"key\": \"tier\", \"value\": \"web\"}]}"));
        assertThat(ids("/servers?tag=tier:web")).containsExactlyInAnyOrder(alpha, charlie);
        assertThat(admin().get("/applications?tag=tier:web").body()).containsEntry("total", 1);
    }

    @Test
    void qSearchesNamesHostnamesAndIpsIgnoringCase() {
        assertThat(ids("/servers?q=ALPHA")).containsExactly(alpha);
        assertThat(ids("/servers?q=example.org")).containsExactly(charlie);
        assertThat(ids("/servers?q=CHARLIE_web")).containsExactly(charlie);
        assertThat(ids("/servers?q=10.1.0")).containsExactlyInAnyOrder(alpha, bravo);
        assertThat(ids("/servers?q=198.51")).containsExactly(alpha);
        assertThat(ids("/servers?q=EXAMPLE")).containsExactlyInAnyOrder(alpha, bravo, charlie);
        assertThat(ids("/servers?q=zzz")).isEmpty();
        // LIKE wildcards are plain characters
        assertThat(ids("/servers?q=_")).containsExactly(charlie);
        assertThat(ids("/servers?q=%25")).isEmpty();
        assertThat(ids("/servers?q=web&environment=Development")).containsExactly(charlie);
        // other kinds search their names
        String app = admin().post("/applications", json("{\"name\": \"Payment Gateway\"}")).id();
        admin().post("/applications", json("{\"name\": \"Billing\"}"));
        assertThat(ids("/applications?q=gateway")).containsExactly(app);
    }

    @Test
    void sortByOneOrMoreFieldsEitherWay() {
        assertThat(ids("/servers?sort=-name")).containsExactly(delta, charlie, bravo, alpha);
        assertThat(ids("/servers?sort=cpu,name")).containsExactly(delta, alpha, bravo, charlie);
        assertThat(ids("/servers?sort=-cpu,-name")).containsExactly(charlie, bravo, alpha, delta);
        assertThat(ids("/servers?sort=os.base,-hostname")).containsExactly(delta, charlie, alpha, bravo);
        assertThat(field("/servers?sort=created_at", "created_at")).isSorted();
        assertThat(field("/servers?sort=-created_at", "created_at")).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        // no value sorts last
        assertThat(ids("/servers?sort=memory")).containsExactly(alpha, bravo, charlie, delta);
        assertThat(ids("/servers?sort=-memory")).last().isEqualTo(delta);
    }

    @Test
    void textSortsIgnoringCaseAndCursorsFollowTheSameOrder() {
        String zulu = post("{\"hostname\": \"Zulu\"}");
        String echo = post("{\"hostname\": \"ECHO\"}");
        List<String> ascending = List.of(alpha, bravo, charlie, delta, echo, zulu);
        List<String> descending = List.of(zulu, echo, delta, charlie, bravo, alpha);
        assertThat(ids("/servers")).containsExactlyElementsOf(ascending);
        assertThat(ids("/servers?sort=-hostname")).containsExactlyElementsOf(descending);
        for (String sort : List.of("name", "-hostname")) {
            List<Object> walked = new java.util.ArrayList<>();
            String next = "/api/v1/servers?size=2&sort=" + sort;
            int pages = 0;
            while (next != null) {
                Response page = admin().get(next);
                walked.addAll(ids(page));
                next = (String) page.body().get("next");
                pages++;
            }
            assertThat(walked).as(sort).containsExactlyElementsOf(sort.startsWith("-") ? descending : ascending);
            // six servers, two a page: the third page is the last and has no next link
            assertThat(pages).isEqualTo(3);
        }
    }

    @Test
    void pagesHaveTheRightItemsAndTotal() {
        Response first = admin().get("/servers?size=3");
        assertThat(first.body()).containsEntry("total", 4).containsEntry("page", 0).containsEntry("size", 3);
        assertThat(ids(first)).containsExactly(alpha, bravo, charlie);
        Response second = admin().get("/servers?size=3&page=1");
        assertThat(second.body()).containsEntry("total", 4).containsEntry("page", 1).containsEntry("size", 3);
        assertThat(ids(second)).containsExactly(delta);
        Response beyond = admin().get("/servers?size=3&page=5");
        assertThat(beyond.body()).containsEntry("total", 4);
        assertThat(beyond.items()).isEmpty();
        Response exact = admin().get("/servers?size=2&page=1");
        assertThat(exact.body()).containsEntry("total", 4);
        assertThat(ids(exact)).containsExactly(charlie, delta);
        Response filtered = admin().get("/servers?size=1&environment=Production");
        assertThat(filtered.body()).containsEntry("total", 2);
        assertThat(ids(filtered)).containsExactly(alpha);
        assertThat(admin().get("/servers?size=1000").status()).isEqualTo(200);
    }

    @Test
    void sizeOver1000Is400() {
        Response r = admin().get("/servers?size=1001");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(errorFields(r)).contains("size");
    }

    @Test
    void unknownFilterOrSortFieldIs400NamingIt() {
        Response filter = admin().get("/servers?colour=blue");
        assertThat(filter.status()).isEqualTo(400);
        assertThat(filter.contentType()).startsWith("application/problem+json");
        assertThat(errorFields(filter)).containsExactly("colour");
        Response sort = admin().get("/servers?sort=name,-colour");
        assertThat(sort.status()).isEqualTo(400);
        assertThat(sort.text()).contains("colour");
        assertThat(errorFields(sort)).containsExactly("sort");
        Response nested = admin().get("/servers?os.colour=x");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(errorFields(nested)).containsExactly("os.colour");
    }

    @Test
    void relationAndServiceFilters() {
        String app = admin().post("/applications", json("{\"name\": \"shop\", \"server_ids\": [\"%s\", \"%s\"]}", alpha, bravo)).id();
        admin().post("/applications", json("{\"name\": \"other\", \"server_ids\": [\"%s\"]}", charlie));
        assertThat(ids("/applications?server_ids=" + alpha)).containsExactly(app);
        admin().patch("/servers/" + delta, json("{\"services\": [{\"name\": \"Nginx\"}]}"));
        String nginx = admin().get("/services?name=Nginx").items().get(0).get("id").toString();
        assertThat(ids("/servers?service_id=" + nginx)).containsExactly(delta);
    }

    @Test
    void databaseFiltersOnEngineAndOracleSection() {
        String rac = admin().post("/databases", json("""
                {"name": "erp", "engine": "Oracle", "environment": "Production", "oracle": {"mode": "rac", "version": "19c"}}""")).id();
        String single = admin().post("/databases", json("""
                {"name": "hr", "engine": "Oracle", "environment": "UAT", "oracle": {"mode": "single"}}""")).id();
        String my = admin().post("/databases", json("""
                {"name": "shop", "engine": "MySQL", "environment": "Production", "mysql": {"topology": "galera", "replicas": 3}}""")).id();
        assertThat(ids("/databases?engine=Oracle")).containsExactly(rac, single);
        assertThat(ids("/databases?oracle.mode=RAC")).containsExactly(rac);
        assertThat(ids("/databases?oracle.version=19c")).containsExactly(rac);
        assertThat(ids("/databases?mysql.topology=galera")).containsExactly(my);
        assertThat(ids("/databases?mysql.replicas=3")).containsExactly(my);
        assertThat(ids("/databases?environment=Production&engine=MySQL")).containsExactly(my);
        assertThat(ids("/databases?sort=-name")).containsExactly(my, single, rac);
    }

    @Test
    void otherKindsFilterOnTheirFields() {
        String a = admin().post("/applications", json("{\"name\": \"a\", \"language\": \"Java\", \"environment\": \"prod\"}")).id();
        admin().post("/applications", json("{\"name\": \"b\", \"language\": \"Go\"}"));
        assertThat(ids("/applications?language=java")).containsExactly(a);
        String lb = admin().post("/loadbalancers", json("{\"name\": \"lb\", \"service\": \"HAProxy\"}")).id();
        assertThat(ids("/loadbalancers?service=haproxy")).containsExactly(lb);
        String aws = admin().post("/datacenters", json("{\"name\": \"aws\", \"provider\": \"AWS\"}")).id();
        assertThat(ids("/datacenters?provider=aws")).containsExactly(aws);
        String client = admin().post("/clients", json("{\"name\": \"ACME\", \"sla\": \"gold\"}")).id();
        assertThat(ids("/clients?sla=gold")).containsExactly(client);
    }

    private String post(String body, Object... args) {
        Response r = admin().post("/servers", json(body, args));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    private List<Object> ids(String path) {
        Response r = admin().get(path);
        assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
        assertThat(r.body().get("total")).as(path).isEqualTo(r.items().size());
        return ids(r);
    }

    private List<String> field(String path, String name) {
        return admin().get(path).items().stream().map(i -> (String) i.get(name)).toList();
    }

    private static List<Object> ids(Response r) {
        return r.items().stream().map(i -> i.get("id")).toList();
    }

    private static List<Object> errorFields(Response r) {
        return ((List<?>) r.body().get("errors")).stream().map(e -> map(e).get("field")).toList();
    }
}
