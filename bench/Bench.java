import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maestro's benchmark against raw PostgreSQL on the same data in the same run (see bench/README.md).
 * Run by bench/run, which builds the jar, starts Maestro on a scratch database and passes:
 *   java Bench.java BASE_URL ADMIN_PASSWORD JDBC_URL DB_USER DB_PASSWORD SERVERS APP_PID OUT_MD
 */
public class Bench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String base, auth;
    static final String[] ENVS = {"Production", "Production", "Production", "Staging", "Development", "Development", "UAT", "Sandbox"};
    static final String[] OS = {"Linux", "Linux", "Linux", "Linux", "Linux", "Linux", "Linux", "Linux", "Windows", "FreeBSD"};
    static final String[] DIST = {"Ubuntu", "RHEL", "Debian", "Rocky", "Amazon Linux"};
    static final List<String[]> rows = new ArrayList<>();

    public static void main(String[] a) throws Exception {
        base = a[0];
        auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + a[1]).getBytes(StandardCharsets.UTF_8));
        long pid = Long.parseLong(a[6]);
        Path out = Path.of(a[7]);
        Connection db = DriverManager.getConnection(a[2], a[3], a[4]);
        db.setAutoCommit(true);
        if (a[5].equals("get")) {
            getById(db, a);
            return;
        }
        if (a[5].equals("insight")) {
            Insight.run(db, a);
            return;
        }
        if (a[5].startsWith("terraform:")) {
            Terraform.run(db, a, Integer.parseInt(a[5].substring("terraform:".length())));
            return;
        }
        int servers = Integer.parseInt(a[5]);

        long idleRss = rssKb(pid);
        row("idle RSS after start-up", idleRss / 1024 + " MB", "", "≤ 300 MB");

        List<String> dcs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dcs.add(id(post("/api/v1/datacenters", "{\"name\":\"dc-" + i + "\",\"provider\":\"" + (i % 2 == 0 ? "AWS" : "Bare metal")
                    + "\",\"regions\":[\"region-" + i + "\"],\"zones\":[{\"name\":\"zone-" + i + "a\",\"region\":\"region-" + i + "\"}]}")));
        }
        String team = query1(db, "SELECT id::text FROM team WHERE name = 'default'");

        // ---- ingest through /bulk (NDJSON, 50,000 rows a request) vs COPY into a table like server
        int perRequest = 50_000;
        long t0 = System.nanoTime();
        for (int start = 0; start < servers; start += perRequest) {
            int end = Math.min(servers, start + perRequest);
            StringBuilder sb = new StringBuilder(end - start > 0 ? (end - start) * 330 : 16);
            for (int i = start; i < end; i++) sb.append(serverJson(i, dcs)).append('\n');
            String r = send("POST", "/api/v1/servers/bulk", sb.toString(), "application/x-ndjson");
            if (!r.contains("\"failed_count\":0")) throw new IllegalStateException("bulk failed: " + r.substring(0, Math.min(500, r.length())));
        }
        double ingest = (System.nanoTime() - t0) / 1e9;

        try (Statement s = db.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_copy_server");
            s.execute("CREATE TABLE bench_copy_server (LIKE server INCLUDING ALL)");
        }
        org.postgresql.copy.CopyManager copy = db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
        long c0 = System.nanoTime();
        String cols = "id,team_id,version,created_at,updated_at,name,hostname,ipv4_private,os_base,os_dist,os_version,cpu,memory,role,environment,storage,datacenter_id,datacenter_region,datacenter_zone,datacenter_instance_id";
        for (int start = 0; start < servers; start += perRequest) {
            int end = Math.min(servers, start + perRequest);
            StringBuilder sb = new StringBuilder((end - start) * 300);
            String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
            for (int i = start; i < end; i++) sb.append(serverCsv(i, dcs, team, now)).append('\n');
            copy.copyIn("COPY bench_copy_server (" + cols + ") FROM STDIN WITH (FORMAT csv)", new java.io.StringReader(sb.toString()));
        }
        double copySeconds = (System.nanoTime() - c0) / 1e9;
        row("ingest " + servers + " servers via /bulk (NDJSON, with history)", fmt(ingest) + " s (" + (long) (servers / ingest) + "/s)",
                "COPY: " + fmt(copySeconds) + " s", ratio(ingest, copySeconds) + " (target ≤ 10×)");

        // applications (100 per 1,000 servers) and databases (20 per 1,000), linked to servers
        List<String> serverIds = ids(db, "SELECT id::text FROM server ORDER BY hostname", servers);
        int apps = Math.max(1, servers / 10), dbs = Math.max(1, servers / 50);
        long a0 = System.nanoTime();
        bulkLinked("/api/v1/applications/bulk", apps, i -> "{\"name\":\"app-" + i + "\",\"environment\":\"" + ENVS[i % ENVS.length]
                + "\",\"language\":\"Java\",\"server_ids\":[\"" + serverIds.get((i * 7) % servers) + "\",\"" + serverIds.get((i * 7 + 1) % servers) + "\"]}");
        bulkLinked("/api/v1/databases/bulk", dbs, i -> "{\"name\":\"db-" + i + "\",\"engine\":\"" + (i % 3 == 0 ? "Oracle" : i % 3 == 1 ? "MySQL" : "PostgreSQL")
                + "\",\"environment\":\"" + ENVS[i % ENVS.length] + "\",\"server_ids\":[\"" + serverIds.get((i * 13) % servers) + "\"]}");
        double linked = (System.nanoTime() - a0) / 1e9;
        row("ingest " + apps + " applications + " + dbs + " databases linked to servers", fmt(linked) + " s", "", "");
        try (Statement s = db.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }

        // ---- reads: API vs the same SQL
        String filter = "/api/v1/servers?environment=Production&os.base=Linux&size=50";
        List<Double> api = timeMany(300, i -> get(filter));
        String filterSql = "SELECT * FROM server WHERE team_id = ANY(?) AND environment = 'Production' AND os_base = 'Linux' ORDER BY lower(name), id LIMIT 50";
        List<Double> sql = timeMany(300, i -> { sqlCountAndPage(db, filterSql, "SELECT COUNT(*) FROM server WHERE team_id = ANY(?) AND environment = 'Production' AND os_base = 'Linux'", team); return null; });
        row("filtered page (environment + os.base, size 50), p50 / p99", p(api, 50) + " / " + p(api, 99) + " ms",
                p(sql, 50) + " / " + p(sql, 99) + " ms", "p99 ≤ 25 ms");

        qRows(db, servers, team);

        List<Double> bigApi = timeMany(30, i -> get("/api/v1/servers?size=1000&sort=hostname"));
        List<Double> bigSql = timeMany(30, i -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT * FROM server ORDER BY lower(hostname), id LIMIT 1000")) { drain(ps.executeQuery()); }
            return null;
        });
        row("one 1,000-row page, p50", p(bigApi, 50) + " ms", p(bigSql, 50) + " ms", "≤ 50 ms");

        String deep = get("/api/v1/servers?size=1000&sort=hostname&page=" + (servers / 1000 - 2));
        String next = (String) field(deep, "next");
        List<Double> deepApi = timeMany(20, i -> get(next));
        row("1,000-row page at the end via cursor, p50", p(deepApi, 50) + " ms", "", "stays fast at any depth");

        List<Double> asOfApi = timeMany(200, i -> get(filter + "&as_of=" + OffsetDateTime.now(ZoneOffset.UTC)));
        List<Double> plain = timeMany(200, i -> get(filter));
        row("filtered page with as_of=now, p50 / p99", p(asOfApi, 50) + " / " + p(asOfApi, 99) + " ms", "same without: " + p(plain, 50) + " / " + p(plain, 99) + " ms",
                ratio(pv(asOfApi, 50), pv(plain, 50)) + " (target ≤ 2×)");

        getByIdRow(serverIds, a, 15);

        // ---- export: time and the server's heap while it streams
        HeapPeak peak = new HeapPeak(pid);
        long e0 = System.nanoTime();
        long bytes = download("/api/v1/servers/export?format=csv");
        double exportSeconds = (System.nanoTime() - e0) / 1e9;
        peak.stop();
        long copyOut0 = System.nanoTime();
        copy.copyOut("COPY server TO STDOUT WITH (FORMAT csv)", java.io.OutputStream.nullOutputStream());
        double copyOut = (System.nanoTime() - copyOut0) / 1e9;
        row("full CSV export of " + servers + " servers (" + bytes / 1_000_000 + " MB)", fmt(exportSeconds) + " s, peak heap " + peak.get() / 1024 + " MB",
                "COPY TO: " + fmt(copyOut) + " s", "constant heap");
        row("RSS after the run", rssKb(pid) / 1024 + " MB", "", "");

        String table = table(servers);
        System.out.println(table);
        Files.writeString(out, table);
        db.close();
    }

    /**
     * q search for five kinds of term, each beside the raw indexed SELECT (page, and the exact
     * COUNT when the page is full, as the API answers with total) through JDBC: the single lower-cased search_text column when the
     * schema has one, else the OR of ILIKEs that main sent. The common term is also read with
     * total=false (no COUNT) beside the raw page alone.
     */
    static void qRows(Connection db, int servers, String team) throws Exception {
        boolean single = !query1(db, "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'server' AND column_name = 'search_text'").equals("0");
        String where = single ? "search_text LIKE ?" : "(name ILIKE ? OR hostname ILIKE ? OR ipv4_private ILIKE ? OR ipv4_public ILIKE ? OR datacenter_instance_id ILIKE ?)";
        Random rnd = new Random(7);
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        kinds.put("short (3 chars)", terms(100, i -> String.format("%03d", rnd.nextInt(1000))));
        kinds.put("long (a hostname)", terms(100, i -> host(rnd.nextInt(servers))));
        kinds.put("common (srv-0)", terms(100, i -> "srv-0"));
        kinds.put("IP", terms(100, i -> ip(rnd.nextInt(servers))));
        kinds.put("absent", terms(100, i -> "nomatch-" + (char) ('a' + rnd.nextInt(26)) + (char) ('a' + rnd.nextInt(26))));
        for (var k : kinds.entrySet()) {
            List<String> terms = k.getValue();
            List<Double> qApi = timeMany(terms.size(), i -> get("/api/v1/servers?q=" + URLEncoder.encode(terms.get(i), StandardCharsets.UTF_8) + "&size=50"));
            List<Double> qSql = timeMany(terms.size(), i -> { qSql(db, where, single, terms.get(i), team, true); return null; });
            row("q " + k.getKey() + ", size 50, p50 / p99", p(qApi, 50) + " / " + p(qApi, 99) + " ms", p(qSql, 50) + " / " + p(qSql, 99) + " ms",
                    ratio(pv(qApi, 99), pv(qSql, 99)) + " (target p99 ≤ 2×)");
        }
        List<Double> noTotal;
        try {
            noTotal = timeMany(100, i -> get("/api/v1/servers?q=srv-0&size=50&total=false"));
        } catch (IllegalStateException e) { // code without total=false (400: unknown filter)
            row("q common (srv-0), total=false", "not supported", "", "");
            return;
        }
        List<Double> pageSql = timeMany(100, i -> { qSql(db, where, single, "srv-0", team, false); return null; });
        row("q common (srv-0), total=false, p50 / p99", p(noTotal, 50) + " / " + p(noTotal, 99) + " ms", p(pageSql, 50) + " / " + p(pageSql, 99) + " ms (page only)",
                ratio(pv(noTotal, 99), pv(pageSql, 99)));
    }

    interface Term { String at(int i); }

    static List<String> terms(int n, Term t) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(t.at(i));
        return out;
    }

    /**
     * The SELECTs the API sends for an admin (no access predicate): the page plus one row (whether
     * more follow), then the COUNT when the page is full (a shorter page is its own total).
     */
    static void qSql(Connection db, String where, boolean single, String term, String team, boolean count) throws Exception {
        String like = "%" + (single ? term.toLowerCase(java.util.Locale.ROOT) : term) + "%";
        int params = single ? 1 : 5;
        int rows = 0;
        try (PreparedStatement ps = db.prepareStatement("SELECT * FROM server WHERE " + where + " ORDER BY lower(name), id LIMIT 51")) {
            for (int i = 0; i < params; i++) ps.setString(1 + i, like);
            ResultSet rs = ps.executeQuery();
            while (rs.next()) { rows++; for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) rs.getObject(c); }
            rs.close();
        }
        if (!count || rows <= 50) return;
        try (PreparedStatement ps = db.prepareStatement("SELECT COUNT(*) FROM server WHERE " + where)) {
            for (int i = 0; i < params; i++) ps.setString(1 + i, like);
            drain(ps.executeQuery());
        }
    }

    static void getByIdRow(List<String> serverIds, String[] a, int seconds) throws Exception {
        double rps = throughput(8, Duration.ofSeconds(seconds), serverIds, id -> KeepAlive.get("/api/v1/servers/" + id));
        double sqlRps = throughput(8, Duration.ofSeconds(seconds), serverIds, id -> {
            try (PreparedStatement ps = CONN.get().prepareStatement("SELECT * FROM server WHERE id = ?::uuid")) { ps.setString(1, id); drain(ps.executeQuery()); }
            return null;
        }, a[2], a[3], a[4]);
        row("GET by id, 8 concurrent clients", (long) rps + " req/s", (long) sqlRps + " queries/s",
                String.format("%.1f%% of raw (target ≥ 25%%)", 100 * rps / sqlRps));
    }

    /**
     * bench/get-by-id: only the GET-by-id row, on the servers a previous bench/run left in the
     * database; the admin's password is set to the one given (bcrypt, as Maestro stores it).
     */
    static void getById(Connection db, String[] a) throws Exception {
        APP_PID = Long.parseLong(a[6]);
        PG_DB = a[2].substring(a[2].lastIndexOf('/') + 1);
        adminPassword(db, a[1]);
        List<String> serverIds = ids(db, "SELECT id::text FROM server", 0);
        getByIdRow(serverIds, a, Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15")));
    }

    /**
     * bench/insight: impact, summary, pivot and quality (issue 15) on the data a previous bench/run
     * left in the database, each beside the same question asked in raw SQL through JDBC. Adds once,
     * on top of that data, the business layer those answers walk: 100 clients, 1,000 systems (in
     * them the 100,000 applications, a thousandth each) and one busy server with applications,
     * databases and load balancers on it and applications depending on those.
     */
    static final class Insight {
        static final int BUSY_APPS = 100, BUSY_DBS = 20, BUSY_LBS = 5, BUSY_DEPENDENTS = 300;

        static void run(Connection db, String[] a) throws Exception {
            adminPassword(db, a[1]);
            long pid = Long.parseLong(a[6]);
            String busy = query1(db, "SELECT id::text FROM server ORDER BY lower(hostname), id LIMIT 1");
            String dc = query1(db, "SELECT id::text FROM datacenter WHERE name = 'dc-0'");
            if (query1(db, "SELECT COUNT(*) FROM client").equals("0")) estate(db, busy);
            try (Statement st = db.createStatement()) {
                st.execute("VACUUM ANALYZE");
            }
            long servers = Long.parseLong(query1(db, "SELECT COUNT(*) FROM server"));
            System.out.println("servers " + servers + ", applications " + query1(db, "SELECT COUNT(*) FROM application")
                    + ", databases " + query1(db, "SELECT COUNT(*) FROM database_instance") + ", systems " + query1(db, "SELECT COUNT(*) FROM business_system")
                    + ", clients " + query1(db, "SELECT COUNT(*) FROM client"));

            impactRow(db, "servers", busy, "impact of the busy server (depth 10)", 1000, 100, "");
            impactRow(db, "servers", busy, "impact of the busy server, as_of=now", 1000, 100, "&as_of=" + OffsetDateTime.now(ZoneOffset.UTC));
            impactRow(db, "datacenters", dc, "impact of a datacenter (depth 10)", 10, 10, "");

            String summarySql = "SELECT environment, os_base, COUNT(*) FROM server GROUP BY environment, os_base";
            List<Double> sumApi = timeMany(100, i -> get("/api/v1/servers/summary?group_by=environment,os.base"));
            List<Double> sumSql = timeMany(100, i -> { drain(db.createStatement().executeQuery(summarySql)); return null; });
            Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(get("/api/v1/servers/summary?group_by=environment,os.base"));
            if (!total.find() || Long.parseLong(total.group(1)) != servers) throw new IllegalStateException("the summary's total is not the server count");
            row("summary of servers by environment, os.base, p50 / p99", p(sumApi, 50) + " / " + p(sumApi, 99) + " ms",
                    "GROUP BY: " + p(sumSql, 50) + " / " + p(sumSql, 99) + " ms", ratio(pv(sumApi, 50), pv(sumSql, 50)) + " (target ≤ 2×)");

            // the pivot: CSV through Maestro, and the same statement's rows as CSV straight from PostgreSQL (COPY TO)
            org.postgresql.copy.CopyManager copy = db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            long[] bytes = {0};
            HeapPeak peak = new HeapPeak(pid);
            List<Double> pivotApi = timeMany(3, 1, i -> bytes[0] = download("/api/v1/reports/pivot?format=csv"));
            long heap = peak.stop();
            long[] rows = {0};
            List<Double> pivotSql = timeMany(3, 1, i -> rows[0] = copy.copyOut("COPY (" + PIVOT + ") TO STDOUT WITH (FORMAT csv)", java.io.OutputStream.nullOutputStream()));
            row("full pivot CSV (" + rows[0] + " rows, " + bytes[0] / 1_000_000 + " MB), p50 / max", fmt(pv(pivotApi, 50) / 1000) + " / " + fmt(pv(pivotApi, 100) / 1000)
                    + " s, peak heap " + heap / 1024 + " MB", "COPY (same query) TO: " + fmt(pv(pivotSql, 50) / 1000) + " / " + fmt(pv(pivotSql, 100) / 1000) + " s",
                    ratio(pv(pivotApi, 50), pv(pivotSql, 50)));

            List<Double> qApi = timeMany(10, 2, i -> get("/api/v1/quality?collection=servers"));
            List<Double> qSql = timeMany(10, 2, i -> { for (String q : QUALITY) drain(db.createStatement().executeQuery(q)); return null; });
            row("quality of servers, p50 / p99", p(qApi, 50) + " / " + p(qApi, 99) + " ms", "same statements: " + p(qSql, 50) + " / " + p(qSql, 99) + " ms",
                    ratio(pv(qApi, 50), pv(qSql, 50)));

            String table = table(0);
            System.out.println(table);
            Files.writeString(Path.of(a[7]), table);
        }

        /**
         * Impact through the API ({@code nApi} requests after {@link #WARM_UP_SECONDS} of the same
         * request, as a server that has run a while answers it) beside the raw recursive walk to the
         * same records ({@code nSql} times: it takes up to a second each); their counts must agree.
         */
        static void impactRow(Connection db, String collection, String id, String what, int nApi, int nSql, String query) throws Exception {
            String path = "/api/v1/" + collection + "/" + id + "/impact?depth=10" + query;
            int[] found = {0, 0};
            found[0] = count(get(path), "\"depth\":");
            // timed with the keep-alive client, which reads past the body instead of decoding it: the
            // JDK's client spent more of the shared cores on a 185 KB answer than Maestro's walk did
            Instant warm = Instant.now().plusSeconds(WARM_UP_SECONDS);
            while (Instant.now().isBefore(warm)) KeepAlive.get(path);
            List<Double> api = timeMany(nApi, 0, i -> KeepAlive.get(path));
            List<Double> sql = timeMany(nSql, Math.min(nSql, 10), i -> {
                try (PreparedStatement ps = db.prepareStatement(IMPACT)) {
                    ps.setString(1, id);
                    ps.setString(2, collection);
                    ps.setString(3, id);
                    ResultSet rs = ps.executeQuery();
                    int c = 0;
                    while (rs.next()) { c++; rs.getObject(1); rs.getString(2); rs.getInt(3); rs.getString(4); }
                    found[1] = c;
                }
                return null;
            });
            if (found[0] != found[1]) throw new IllegalStateException(what + ": the API found " + found[0] + " records, raw SQL " + found[1]);
            row(what + ", " + found[0] + " records, p50 / p99", p(api, 50) + " / " + p(api, 99) + " ms", p(sql, 50) + " / " + p(sql, 99) + " ms",
                    collection.equals("servers") && query.isEmpty() ? "p99 ≤ 50 ms" : ratio(pv(api, 50), pv(sql, 50)));
        }

        static int count(String s, String what) {
            int c = 0;
            for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) c++;
            return c;
        }

        /**
         * The raw walk (the live inventory, a caller who reads everything): each record that fails with
         * the root, at its shortest depth (at most 10), with its name. Maestro's answer also carries one
         * path per record. Parameters: root id, root collection, root id.
         */
        static final String IMPACT = "WITH RECURSIVE walk(id, kind, depth) AS ("
                + " SELECT CAST(? AS uuid), CAST(? AS varchar(32)), 0"
                + " UNION SELECT n.id, CAST(n.kind AS varchar(32)), w.depth + 1 FROM walk w, LATERAL ("
                + "  SELECT r.src_id AS id, r.src_kind AS kind FROM relation r WHERE r.dst_id = w.id AND r.field IN ('server_ids', 'target_ids', 'dependencies')"
                + "  UNION ALL SELECT r.dst_id, CAST('systems' AS varchar(32)) FROM relation r WHERE r.src_id = w.id AND r.field = 'system_ids'"
                + "  UNION ALL SELECT r.dst_id, 'clients' FROM relation r WHERE r.src_id = w.id AND r.field = 'client_ids'"
                + "  UNION ALL SELECT s.id, 'servers' FROM server s WHERE s.datacenter_id = w.id) n WHERE w.depth < 10),"
                + " best AS (SELECT id, kind, MIN(depth) AS depth FROM walk WHERE id <> CAST(? AS uuid) GROUP BY id, kind)"
                + " SELECT b.id, b.kind, b.depth, CASE b.kind WHEN 'servers' THEN (SELECT t.name FROM server t WHERE t.id = b.id)"
                + "  WHEN 'applications' THEN (SELECT t.name FROM application t WHERE t.id = b.id)"
                + "  WHEN 'databases' THEN (SELECT t.name FROM database_instance t WHERE t.id = b.id)"
                + "  WHEN 'loadbalancers' THEN (SELECT t.name FROM load_balancer t WHERE t.id = b.id)"
                + "  WHEN 'systems' THEN (SELECT t.name FROM business_system t WHERE t.id = b.id)"
                + "  WHEN 'clients' THEN (SELECT t.name FROM client t WHERE t.id = b.id) END FROM best b";

        /** Client → system → application → server, one row per path, (none) where a level is missing, in the pivot's order. */
        static final String PIVOT = "WITH sa AS (SELECT src_id AS app, dst_id AS srv FROM relation WHERE field = 'server_ids' AND src_kind = 'applications'),"
                + " ay AS (SELECT src_id AS app, dst_id AS sys FROM relation WHERE field = 'system_ids' AND src_kind = 'applications'),"
                + " yc AS (SELECT src_id AS sys, dst_id AS client FROM relation WHERE field = 'client_ids' AND src_kind = 'systems'),"
                + " l1(app, srv) AS (SELECT a.id, x.srv FROM application a LEFT JOIN sa x ON x.app = a.id"
                + "  UNION ALL SELECT NULL::uuid, s.id FROM server s WHERE NOT EXISTS (SELECT 1 FROM sa x WHERE x.srv = s.id)),"
                + " l2(sys, app, srv) AS (SELECT z.sys, l1.app, l1.srv FROM l1 LEFT JOIN ay z ON z.app = l1.app"
                + "  UNION ALL SELECT y.id, NULL::uuid, NULL::uuid FROM business_system y WHERE NOT EXISTS (SELECT 1 FROM ay z WHERE z.sys = y.id)),"
                + " p(client, sys, app, srv) AS (SELECT w.client, l2.sys, l2.app, l2.srv FROM l2 LEFT JOIN yc w ON w.sys = l2.sys"
                + "  UNION ALL SELECT c.id, NULL::uuid, NULL::uuid, NULL::uuid FROM client c WHERE NOT EXISTS (SELECT 1 FROM yc w WHERE w.client = c.id))"
                + " SELECT COALESCE(c.name, '(none)'), COALESCE(y.name, '(none)'), COALESCE(a.name, '(none)'), COALESCE(s.name, '(none)'), s.environment"
                + " FROM p LEFT JOIN client c ON c.id = p.client LEFT JOIN business_system y ON y.id = p.sys"
                + " LEFT JOIN application a ON a.id = p.app LEFT JOIN server s ON s.id = p.srv"
                + " ORDER BY lower(c.name) NULLS LAST, p.client NULLS LAST, lower(y.name) NULLS LAST, p.sys NULLS LAST,"
                + " lower(a.name) NULLS LAST, p.app NULLS LAST, lower(s.name) NULLS LAST, p.srv NULLS LAST";

        /** Maestro's test of each expected server field being filled (Expectations). */
        static final List<String> FILLED = List.of("(t.hostname IS NOT NULL AND t.hostname <> '')", "(t.ipv4_private IS NOT NULL AND t.ipv4_private <> '')",
                "t.os_base IS NOT NULL", "t.environment IS NOT NULL", "t.cpu IS NOT NULL", "t.memory IS NOT NULL", "t.datacenter_id IS NOT NULL");
        static final String FLAGS = String.join(" + ", FILLED.stream().map(f -> "CASE WHEN " + f + " THEN 1 ELSE 0 END").toList());

        /** The quality answer's statements for servers: the counts, the worst records, the two duplicate rules' repeated values. */
        static final List<String> QUALITY = List.of(
                "SELECT COUNT(*), " + String.join(", ", FILLED.stream().map(f -> "SUM(CASE WHEN " + f + " THEN 1 ELSE 0 END)").toList())
                        + ", SUM(CASE WHEN t.stale THEN 1 ELSE 0 END), SUM(CASE WHEN t.drift THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM relation o WHERE o.dst_id = t.id AND o.field = 'server_ids') THEN 1 ELSE 0 END)"
                        + " FROM server t",
                "SELECT t.id, t.name, " + FLAGS + " FROM server t WHERE " + FLAGS + " < " + FILLED.size() + " ORDER BY " + FLAGS + ", lower(t.name), t.id LIMIT 10",
                "SELECT t.team_id, lower(t.hostname) AS v FROM server t WHERE t.hostname IS NOT NULL GROUP BY t.team_id, lower(t.hostname) HAVING COUNT(*) > 1 ORDER BY v LIMIT 100000",
                "SELECT t.team_id, t.ipv4_private AS v FROM server t WHERE t.ipv4_private IS NOT NULL GROUP BY t.team_id, t.ipv4_private HAVING COUNT(*) > 1 ORDER BY v LIMIT 100000");

        /** The business layer and the busy server, through the API (bulk NDJSON), once. */
        static void estate(Connection db, String busy) throws Exception {
            long t0 = System.nanoTime();
            bulkLinked("/api/v1/clients/bulk", 100, i -> "{\"name\":\"client-%03d\",\"sla\":\"99.9%%\"}".formatted(i));
            List<String> clients = ids(db, "SELECT id::text FROM client ORDER BY name", 100);
            bulkLinked("/api/v1/systems/bulk", 1000, i -> "{\"name\":\"sys-%04d\",\"client_ids\":[\"%s\"]}".formatted(i, clients.get(i % 100)));
            List<String> systems = ids(db, "SELECT id::text FROM business_system ORDER BY name", 1000);
            // every application into a system: the same record with system_ids added
            List<String> apps = new ArrayList<>();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT a.id, a.name, a.environment, a.language,"
                    + " string_agg('\"' || r.dst_id || '\"', ',' ORDER BY r.position) FROM application a"
                    + " LEFT JOIN relation r ON r.src_id = a.id AND r.field = 'server_ids' GROUP BY a.id, a.name, a.environment, a.language ORDER BY a.name")) {
                int i = 0;
                while (rs.next()) {
                    apps.add("{\"id\":\"%s\",\"name\":\"%s\",\"environment\":\"%s\",\"language\":\"%s\",\"server_ids\":[%s],\"system_ids\":[\"%s\"]}"
                            .formatted(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5) == null ? "" : rs.getString(5),
                                    systems.get(i++ % 1000)));
                }
            }
            bulkLinked("/api/v1/applications/bulk", apps.size(), apps::get);
            // the busy server: applications, databases and load balancers on it, applications depending on those
            bulkLinked("/api/v1/applications/bulk", BUSY_APPS, i -> "{\"name\":\"busy-app-%03d\",\"environment\":\"Production\",\"server_ids\":[\"%s\"],\"system_ids\":[\"%s\"]}"
                    .formatted(i, busy, systems.get(i % 50)));
            bulkLinked("/api/v1/databases/bulk", BUSY_DBS, i -> "{\"name\":\"busy-db-%02d\",\"engine\":\"PostgreSQL\",\"server_ids\":[\"%s\"],\"system_ids\":[\"%s\"]}"
                    .formatted(i, busy, systems.get(50 + i % 10)));
            bulkLinked("/api/v1/loadbalancers/bulk", BUSY_LBS, i -> "{\"name\":\"busy-lb-%d\",\"target_ids\":[\"%s\"],\"system_ids\":[\"%s\"]}"
                    .formatted(i, busy, systems.get(60 + i)));
            List<String> busyApps = ids(db, "SELECT id::text FROM application WHERE name LIKE 'busy-app-%' ORDER BY name", BUSY_APPS);
            bulkLinked("/api/v1/applications/bulk", BUSY_DEPENDENTS, i -> ("{\"name\":\"busy-dep-%03d\",\"environment\":\"Production\","
                    + "\"dependencies\":[{\"target_id\":\"%s\"}],\"system_ids\":[\"%s\"]}").formatted(i, busyApps.get(i % BUSY_APPS), systems.get(100 + i % 100)));
            System.out.printf("business layer and busy server added in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * bench/imports: a Terraform state of N aws_instance resources imported through
     * {@code POST /imports?format=terraform} (first and unchanged again), beside /bulk of the same
     * server records and COPY of the rows the import stored, on an empty database.
     */
    static final class Terraform {
        static final String[] TYPES = {"t3.micro", "t3.large", "m5.xlarge", "c5.2xlarge", "r5.large"};
        static final String[] ENVS = {"Production", "Production", "Staging", "Development"};

        static void run(Connection db, String[] a, int n) throws Exception {
            long pid = Long.parseLong(a[6]);
            String tfDc = id(post("/api/v1/datacenters", "{\"name\":\"terraform\",\"provider\":\"AWS\",\"regions\":[\"eu-west-1\"]}"));
            String bulkDc = id(post("/api/v1/datacenters", "{\"name\":\"bulk\",\"provider\":\"AWS\",\"regions\":[\"eu-west-1\"]}"));
            byte[] state = state(n);
            System.out.printf("state of %d aws_instance resources: %d MB%n", n, state.length / 1_000_000);

            double first = importRow(pid, state, tfDc, n, "Terraform import, " + n + " aws_instance (" + state.length / 1_000_000 + " MB state), created", "\"created\":" + n);
            importRow(pid, state, tfDc, n, "the same state imported again, unchanged", "\"unchanged\":" + n);

            StringBuilder ndjson = new StringBuilder(n * 600);
            for (int i = 0; i < n; i++) ndjson.append(bulkRow(i, bulkDc)).append('\n');
            HeapPeak peak = new HeapPeak(pid);
            long t0 = System.nanoTime();
            String r = send("POST", "/api/v1/servers/bulk", ndjson.toString(), "application/x-ndjson");
            double bulk = (System.nanoTime() - t0) / 1e9;
            long heap = peak.stop();
            if (!r.contains("\"created\":" + n)) throw new IllegalStateException("bulk: " + r.substring(0, Math.min(500, r.length())));
            row("/bulk of the same " + n + " server records (NDJSON, one request), created", fmt(bulk) + " s (" + Math.round(n / bulk) + "/s), peak heap "
                    + heap / 1024 + " MB", "", "import " + ratio(first, bulk) + " /bulk");

            // the floor: the rows the import stored, written again with COPY into a table like server (same columns and indexes)
            org.postgresql.copy.CopyManager copy = db.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            // generated columns (search_text) are left out: COPY FROM cannot write them, the table computes them
            List<String> stored = new ArrayList<>();
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND table_name = 'server' AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
                while (rs.next()) stored.add(rs.getString(1));
            }
            String cols = String.join(", ", stored);
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            copy.copyOut("COPY (SELECT " + cols + " FROM server WHERE datacenter_id = '" + tfDc + "') TO STDOUT", rows);
            try (Statement st = db.createStatement()) {
                st.execute("DROP TABLE IF EXISTS bench_copy_server");
                st.execute("CREATE TABLE bench_copy_server (LIKE server INCLUDING ALL)");
            }
            long c0 = System.nanoTime();
            copy.copyIn("COPY bench_copy_server (" + cols + ") FROM STDIN", new java.io.ByteArrayInputStream(rows.toByteArray()));
            double copySeconds = (System.nanoTime() - c0) / 1e9;
            row("COPY of the " + n + " server rows the import stored (the floor)", fmt(copySeconds) + " s (" + Math.round(n / copySeconds) + "/s)", "",
                    "import " + ratio(first, copySeconds) + " COPY, /bulk " + ratio(bulk, copySeconds) + " COPY");

            String table = table(0).replace("raw PostgreSQL, same data", "import's own timing");
            System.out.println(table);
            Files.writeString(Path.of(a[7]), table);
        }

        /** Posts the state, polls the import until it ends and adds its row; its seconds from the request to the end. */
        static double importRow(long pid, byte[] state, String dc, int n, String what, String expected) throws Exception {
            HeapPeak peak = new HeapPeak(pid);
            long t0 = System.nanoTime();
            HttpResponse<String> resp = HTTP.send(req("POST", "/api/v1/imports?format=terraform&name=bench&datacenter_id=" + dc)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(state)).build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 202) throw new IllegalStateException("import → " + resp.statusCode() + " " + resp.body());
            double accepted = (System.nanoTime() - t0) / 1e9;
            String path = "/api/v1/imports/" + id(resp.body()) + "?plan_size=1";
            String body;
            while (true) {
                body = get(path);
                if (!body.contains("\"status\":\"queued\"") && !body.contains("\"status\":\"running\"")) break;
                sleep(500); // a client's polling interval, not a wait for a condition
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long heap = peak.stop();
            Matcher counts = Pattern.compile("\"counts\":\\{[^}]*}").matcher(body);
            String c = counts.find() ? counts.group() : "";
            if (!body.contains("\"status\":\"succeeded\"") || !c.contains(expected)) {
                throw new IllegalStateException(what + ": " + body.substring(0, Math.min(1500, body.length())));
            }
            row(what, fmt(seconds) + " s (" + Math.round(n / seconds) + "/s), peak heap " + heap / 1024 + " MB",
                    "202 after " + fmt(accepted) + " s (file read), reconciled in " + fmt(seconds - accepted) + " s", c.replace("\"", ""));
            return seconds;
        }

        static String host(int i) { return String.format("tf-node-%06d", i); }
        static String instance(int i) { return String.format("i-0%016x", i * 2654435761L & 0xffffffffffffL); }
        static String ip(int i) { return "10." + (16 + ((i >> 16) & 15)) + "." + ((i >> 8) & 255) + "." + (i & 255); }
        static String publicIp(int i) { return "54." + (64 + ((i >> 16) & 63)) + "." + ((i >> 8) & 255) + "." + (i & 255); }
        static String zone(int i) { return "eu-west-1" + "abc".charAt(i % 3); }

        /**
         * A state file as Terraform 1.6 and the AWS provider 5 write it: 10 modules of 5 resources
         * with 1,000 instances each (count or for_each), every attribute the provider keeps for an
         * aws_instance, plus a security group per module and a data source (skipped).
         */
        static byte[] state(int n) {
            StringBuilder sb = new StringBuilder(n * 3200);
            sb.append("{\"version\":4,\"terraform_version\":\"1.6.6\",\"serial\":412,\"lineage\":\"").append(UUID.nameUUIDFromBytes("bench".getBytes()))
                    .append("\",\"outputs\":{},\"resources\":[");
            sb.append("{\"mode\":\"data\",\"type\":\"aws_ami\",\"name\":\"base\",\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\","
                    + "\"instances\":[{\"schema_version\":0,\"attributes\":{\"id\":\"ami-0abcdef1234567890\",\"name\":\"debian-12-amd64\"}}]}");
            int perResource = 1000;
            for (int start = 0, block = 0; start < n; start += perResource, block++) {
                String module = "module.fleet-" + (block / 5);
                if (block % 5 == 0) {
                    sb.append(",{\"module\":\"").append(module).append("\",\"mode\":\"managed\",\"type\":\"aws_security_group\",\"name\":\"nodes\","
                            + "\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[{\"schema_version\":1,\"attributes\":"
                            + "{\"id\":\"sg-0").append(String.format("%016x", block)).append("\",\"name\":\"nodes\",\"vpc_id\":\"vpc-0a1b2c3d\"}}]}");
                }
                sb.append(",{\"module\":\"").append(module).append("\",\"mode\":\"managed\",\"type\":\"aws_instance\",\"name\":\"node-").append(block % 5)
                        .append("\",\"provider\":\"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\",\"instances\":[");
                for (int i = start; i < Math.min(n, start + perResource); i++) {
                    if (i > start) sb.append(',');
                    // count instances (a number index) in even blocks, for_each (a string key) in odd ones
                    sb.append("{\"index_key\":").append(block % 2 == 0 ? String.valueOf(i - start) : "\"" + host(i) + "\"")
                            .append(",\"schema_version\":1,\"attributes\":").append(attributes(i))
                            .append(",\"sensitive_attributes\":[],\"private\":\"eyJlMmJmYjczMC1lY2FhLTExZTYtOGY4OC0zNDM2M2JjN2M0YzAiOnsiY3JlYXRlIjo2MDAwMDAwMDAwMDAsImRlbGV0ZSI6MTIwMDAwMDAwMDAwMCwidXBkYXRlIjo2MDAwMDAwMDAwMDB9LCJzY2hlbWFfdmVyc2lvbiI6IjEifQ==\"")
                            .append(",\"dependencies\":[\"").append(module).append(".aws_security_group.nodes\",\"data.aws_ami.base\"]}");
                }
                sb.append("]}");
            }
            sb.append("],\"check_results\":null}");
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static String attributes(int i) {
            String id = instance(i), zone = zone(i), type = TYPES[i % TYPES.length], tags = "{\"Name\":\"" + host(i) + "\",\"Environment\":\"" + ENVS[i % ENVS.length]
                    + "\",\"Role\":\"Application\",\"team\":\"payments\",\"cost-center\":\"cc-" + (i % 40) + "\"}";
            return "{\"ami\":\"ami-0abcdef1234567890\",\"arn\":\"arn:aws:ec2:eu-west-1:123456789012:instance/" + id + "\",\"associate_public_ip_address\":true,"
                    + "\"availability_zone\":\"" + zone + "\",\"capacity_reservation_specification\":[{\"capacity_reservation_preference\":\"open\","
                    + "\"capacity_reservation_target\":[]}],\"cpu_core_count\":2,\"cpu_options\":[{\"amd_sev_snp\":\"\",\"core_count\":2,\"threads_per_core\":2}],"
                    + "\"cpu_threads_per_core\":2,\"credit_specification\":[],\"disable_api_stop\":false,\"disable_api_termination\":false,\"ebs_optimized\":true,"
                    + "\"enclave_options\":[{\"enabled\":false}],\"ephemeral_block_device\":[],\"get_password_data\":false,\"hibernation\":false,"
                    + "\"host_id\":\"\",\"host_resource_group_arn\":null,\"iam_instance_profile\":\"node-profile\",\"id\":\"" + id + "\","
                    + "\"instance_initiated_shutdown_behavior\":\"stop\",\"instance_lifecycle\":\"\",\"instance_market_options\":[],\"instance_state\":\"running\","
                    + "\"instance_type\":\"" + type + "\",\"ipv6_address_count\":0,\"ipv6_addresses\":[],\"key_name\":\"ops-key\",\"launch_template\":[],"
                    + "\"maintenance_options\":[{\"auto_recovery\":\"default\"}],\"metadata_options\":[{\"http_endpoint\":\"enabled\",\"http_protocol_ipv6\":\"disabled\","
                    + "\"http_put_response_hop_limit\":2,\"http_tokens\":\"required\",\"instance_metadata_tags\":\"disabled\"}],\"monitoring\":false,"
                    + "\"network_interface\":[],\"outpost_arn\":\"\",\"password_data\":\"\",\"placement_group\":\"\",\"placement_partition_number\":0,"
                    + "\"primary_network_interface_id\":\"eni-0" + id.substring(3) + "\",\"private_dns\":\"ip-" + ip(i).replace('.', '-') + ".eu-west-1.compute.internal\","
                    + "\"private_dns_name_options\":[{\"enable_resource_name_dns_a_record\":false,\"enable_resource_name_dns_aaaa_record\":false,\"hostname_type\":\"ip-name\"}],"
                    + "\"private_ip\":\"" + ip(i) + "\",\"public_dns\":\"ec2-" + publicIp(i).replace('.', '-') + ".eu-west-1.compute.amazonaws.com\","
                    + "\"public_ip\":\"" + publicIp(i) + "\",\"root_block_device\":[{\"delete_on_termination\":true,\"device_name\":\"/dev/xvda\",\"encrypted\":true,"
                    + "\"iops\":3000,\"kms_key_id\":\"arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\",\"tags\":{},\"tags_all\":{},"
                    + "\"throughput\":125,\"volume_id\":\"vol-0" + id.substring(3) + "\",\"volume_size\":" + (20 + i % 30) + ",\"volume_type\":\"gp3\"}],"
                    + "\"ebs_block_device\":[{\"delete_on_termination\":true,\"device_name\":\"/dev/sdf\",\"encrypted\":true,\"iops\":3000,\"kms_key_id\":\"\","
                    + "\"snapshot_id\":\"\",\"tags\":{},\"tags_all\":{},\"throughput\":125,\"volume_id\":\"vol-1" + id.substring(3) + "\",\"volume_size\":" + (100 + i % 400)
                    + ",\"volume_type\":\"gp3\"}],\"secondary_private_ips\":[],\"security_groups\":[],\"source_dest_check\":true,\"spot_instance_request_id\":\"\","
                    + "\"subnet_id\":\"subnet-0" + Integer.toHexString(i % 3 + 10) + "a1b2c3d4\",\"tags\":" + tags + ",\"tags_all\":" + tags + ",\"tenancy\":\"default\","
                    + "\"timeouts\":null,\"user_data\":\"3f1c2b9d0e8a7f6b5c4d3e2f1a0b9c8d7e6f5a4b\",\"user_data_base64\":null,\"user_data_replace_on_change\":false,"
                    + "\"volume_tags\":null,\"vpc_security_group_ids\":[\"sg-0" + String.format("%016x", i / 1000) + "\"]}";
        }

        /** The server record the import makes of instance i (TerraformState's mapping), as a /bulk row into another datacenter. */
        static String bulkRow(int i, String dc) {
            String type = TYPES[i % TYPES.length];
            int[] size = switch (type) {
                case "t3.micro" -> new int[]{2, 1};
                case "t3.large" -> new int[]{2, 8};
                case "m5.xlarge" -> new int[]{4, 16};
                case "c5.2xlarge" -> new int[]{8, 16};
                default -> new int[]{2, 16};
            };
            return "{\"hostname\":\"" + host(i) + "\",\"name\":\"" + host(i) + "\",\"ipv4_private\":\"" + ip(i) + "\",\"ipv4_public\":\"" + publicIp(i)
                    + "\",\"cpu\":" + size[0] + ",\"memory\":" + size[1] + ",\"os\":{\"base\":\"Linux\"},\"environment\":\"" + ENVS[i % ENVS.length]
                    + "\",\"role\":\"Application\",\"datacenter\":{\"id\":\"" + dc + "\",\"region\":\"eu-west-1\",\"zone\":\"" + zone(i) + "\",\"instance_id\":\""
                    + instance(i) + "\"},\"storage\":[{\"name\":\"/dev/xvda\",\"size_gb\":" + (20 + i % 30) + ",\"root\":true},{\"name\":\"/dev/sdf\",\"size_gb\":"
                    + (100 + i % 400) + ",\"root\":false}],\"auth\":[{\"name\":\"ops-key\",\"type\":\"PKI\"}],\"tags\":[{\"key\":\"cost-center\",\"value\":\"cc-"
                    + (i % 40) + "\"},{\"key\":\"team\",\"value\":\"payments\"}]}";
        }
    }

    /** Sets the admin's password to {@code password} (bcrypt, as Maestro stores it), for a Maestro started on an existing database. */
    static void adminPassword(Connection db, String password) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("UPDATE app_user SET password_hash = ? WHERE username = 'admin'")) {
            // by reflection: bench/run's class path has no spring-security-crypto
            Class<?> bcrypt = Class.forName("org.springframework.security.crypto.bcrypt.BCrypt");
            Object salt = bcrypt.getMethod("gensalt", int.class).invoke(null, 4);
            ps.setString(1, (String) bcrypt.getMethod("hashpw", String.class, String.class).invoke(null, password, salt));
            ps.executeUpdate();
        }
    }

    // ---- data

    static String serverJson(int i, List<String> dcs) {
        return "{\"hostname\":\"" + host(i) + "\",\"ipv4_private\":\"" + ip(i) + "\",\"os\":{\"base\":\"" + OS[i % OS.length] + "\",\"dist\":\""
                + DIST[i % DIST.length] + "\",\"version\":\"" + (18 + i % 7) + ".04\"},\"cpu\":" + (2 << (i % 5)) + ",\"memory\":" + (4 << (i % 6))
                + ",\"role\":\"Application\",\"environment\":\"" + ENVS[i % ENVS.length] + "\",\"storage\":[{\"mount\":\"/\",\"size_gb\":" + (20 + i % 200)
                + ",\"root\":true}],\"datacenter\":{\"id\":\"" + dcs.get(i % dcs.size()) + "\",\"region\":\"region-" + (i % dcs.size())
                + "\",\"zone\":\"zone-" + (i % dcs.size()) + "a\",\"instance_id\":\"" + instance(i) + "\"}}";
    }

    static String serverCsv(int i, List<String> dcs, String team, String now) {
        return UUID.randomUUID() + "," + team + ",1," + now + "," + now + "," + host(i) + "," + host(i) + "," + ip(i) + "," + OS[i % OS.length] + ","
                + DIST[i % DIST.length] + "," + (18 + i % 7) + ".04," + (2 << (i % 5)) + "," + (4 << (i % 6)) + ",Application," + ENVS[i % ENVS.length]
                + ",\"[{\"\"mount\"\":\"\"/\"\",\"\"size_gb\"\":" + (20 + i % 200) + ",\"\"root\"\":true}]\"," + dcs.get(i % dcs.size()) + ",region-"
                + (i % dcs.size()) + ",zone-" + (i % dcs.size()) + "a," + instance(i);
    }

    static String host(int i) { return String.format("srv-%07d", i); }
    static String ip(int i) { return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255); }
    static String instance(int i) { return String.format("i-%012x", i * 2654435761L & 0xffffffffffL); }

    interface Gen { String row(int i); }

    static void bulkLinked(String path, int count, Gen gen) throws Exception {
        for (int start = 0; start < count; start += 20_000) {
            StringBuilder sb = new StringBuilder();
            for (int i = start; i < Math.min(count, start + 20_000); i++) sb.append(gen.row(i)).append('\n');
            String r = send("POST", path, sb.toString(), "application/x-ndjson");
            if (!r.contains("\"failed_count\":0")) throw new IllegalStateException(path + " failed: " + r.substring(0, Math.min(500, r.length())));
        }
    }

    // ---- measuring

    interface Op { Object run(int i) throws Exception; }
    interface IdOp { Object run(String id) throws Exception; }

    static List<Double> timeMany(int n, Op op) throws Exception {
        return timeMany(n, Math.min(20, n), op);
    }

    static List<Double> timeMany(int n, int warmUp, Op op) throws Exception {
        for (int i = 0; i < warmUp; i++) op.run(i);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            op.run(i);
            ms.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(ms);
        return ms;
    }

    static final ThreadLocal<Connection> CONN = new ThreadLocal<>();
    // on 2 cores the JIT needs about this long to settle on a request path (longer when the machine is busy)
    static final int WARM_UP_SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARM_UP", "30"));

    /**
     * A plain HTTP/1.1 keep-alive client on one socket per thread, for the request-rate figure:
     * java.net.http.HttpClient spent more CPU per request than Maestro did, on the same 2 cores.
     */
    static final class KeepAlive {
        static final ThreadLocal<KeepAlive> MINE = ThreadLocal.withInitial(KeepAlive::new);
        java.net.Socket socket;
        java.io.InputStream in;
        java.io.OutputStream out;

        KeepAlive() { connect(); }

        void connect() {
            try {
                URI u = URI.create(base);
                socket = new java.net.Socket(u.getHost(), u.getPort());
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                out = socket.getOutputStream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static Void get(String path) throws Exception {
            KeepAlive c = MINE.get();
            String status;
            try {
                status = c.send(path);
            } catch (java.io.IOException idle) { // Tomcat closes a connection left idle for 20 s: once more on a new one
                c.socket.close();
                c.connect();
                status = c.send(path);
            }
            long length = 0;
            boolean chunked = false, close = false;
            for (String h = c.line(); !h.isEmpty(); h = c.line()) {
                String l = h.toLowerCase();
                if (l.startsWith("content-length:")) length = Long.parseLong(l.substring(15).trim());
                if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
                if (l.startsWith("connection:") && l.contains("close")) close = true;
            }
            if (!chunked) c.skip(length);
            else for (long n = Long.parseLong(c.line().trim(), 16); ; n = Long.parseLong(c.line().trim(), 16)) { c.skip(n); c.line(); if (n == 0) break; }
            if (!status.startsWith("HTTP/1.1 200")) throw new IllegalStateException("GET " + path + " → " + status);
            if (close) { c.socket.close(); c.connect(); } // Tomcat closes after 100 requests on a connection
            return null;
        }

        /** Sends the request and reads its status line. */
        String send(String path) throws Exception {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAuthorization: " + auth + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return line();
        }

        void skip(long n) throws Exception {
            while (n > 0) {
                if (in.read() < 0) throw new java.io.EOFException();
                n--;
                long k = in.skip(n);
                n -= k;
            }
        }

        String line() throws Exception {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new java.io.EOFException();
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }
    }

    static double throughput(int clients, Duration d, List<String> ids, IdOp op, String... jdbc) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        AtomicBoolean warm = new AtomicBoolean(true);
        long[] window = new long[2];
        List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
        Instant end = Instant.now().plus(d).plusSeconds(WARM_UP_SECONDS);
        for (int c = 0; c < clients; c++) {
            int seed = c;
            fs.add(pool.submit(() -> {
                if (jdbc.length == 3) CONN.set(DriverManager.getConnection(jdbc[0], jdbc[1], jdbc[2]));
                Random r = new Random(seed);
                while (Instant.now().isBefore(end)) {
                    op.run(ids.get(r.nextInt(ids.size())));
                    if (!warm.get()) done.incrementAndGet();
                }
                if (CONN.get() != null) CONN.get().close();
                return null;
            }));
        }
        Thread.sleep(WARM_UP_SECONDS * 1000L); // the JIT compiles the path being measured first
        warm.set(false);
        long t0 = System.nanoTime();
        long[] cpu0 = cpuTicks();
        for (var f : fs) f.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] cpu1 = cpuTicks();
        if (cpu0 != null) {
            System.out.printf("  CPU per request: Maestro %.3f ms, PostgreSQL (%s) %.3f ms%n",
                    (cpu1[0] - cpu0[0]) * 10.0 / done.get(), PG_DB, (cpu1[1] - cpu0[1]) * 10.0 / done.get());
        }
        pool.shutdown();
        return done.get() / seconds;
    }

    static long APP_PID;
    static String PG_DB;

    /**
     * CPU time (clock ticks of 10 ms) used so far by Maestro and by the PostgreSQL backends of its
     * database, or null when not asked for (bench/get-by-id): a figure other work on the machine
     * disturbs less than requests per second.
     */
    static long[] cpuTicks() throws Exception {
        if (PG_DB == null) return null;
        long pg = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.startsWith("postgres: ") && cmd.contains(" " + PG_DB + " ")) pg += ticks(p);
                } catch (java.io.IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return new long[]{ticks(Path.of("/proc/" + APP_PID)), pg};
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15; the command, field 2, may contain spaces). */
    static long ticks(Path proc) throws java.io.IOException {
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static void sqlCountAndPage(Connection db, String page, String count, String team) throws Exception {
        for (String sql : List.of(page, count)) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setArray(1, db.createArrayOf("uuid", new Object[]{UUID.fromString(team)}));
                drain(ps.executeQuery());
            }
        }
    }

    static void drain(ResultSet rs) throws Exception {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) for (int i = 1; i <= cols; i++) rs.getObject(i);
        rs.close();
    }

    static double pv(List<Double> sorted, int pct) { return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(pct / 100.0 * sorted.size()) - 1)); }
    static String p(List<Double> sorted, int pct) { return fmt(pv(sorted, pct)); }
    static String fmt(double v) { return v >= 100 ? String.valueOf(Math.round(v)) : String.format("%.1f", v); }
    static String ratio(double a, double b) { return String.format(a / b < 0.1 ? "%.2f×" : "%.1f×", a / b); }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    /** Heap in use (eden + survivors + old) from jstat, in KB. */
    static long heapUsedKb(long pid) {
        try {
            Process p = new ProcessBuilder("jstat", "-gc", String.valueOf(pid)).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            String[] h = lines.get(0).trim().split("\\s+"), v = lines.get(1).trim().split("\\s+");
            double used = 0;
            for (int i = 0; i < h.length; i++) if (List.of("S0U", "S1U", "EU", "OU").contains(h[i])) used += Double.parseDouble(v[i]);
            return (long) used;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The highest heap in use that jstat shows while it runs (sampled every 200 ms), in KB. */
    static final class HeapPeak {
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread sampler;

        HeapPeak(long pid) {
            sampler = new Thread(() -> { while (running.get()) { peak.accumulateAndGet(heapUsedKb(pid), Math::max); sleep(200); } });
            sampler.start();
        }

        long stop() throws InterruptedException {
            running.set(false);
            sampler.join();
            return peak.get();
        }

        long get() { return peak.get(); }
    }

    /** GET path, reading the whole answer; its size in bytes. */
    static long download(String path) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(req("GET", path).build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = r.body()) { byte[] buf = new byte[1 << 16]; int n; while ((n = in.read(buf)) > 0) bytes += n; }
        if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + " → " + r.statusCode());
        return bytes;
    }

    static void sleep(long ms) { try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }

    // ---- HTTP and SQL helpers

    static HttpRequest.Builder req(String method, String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).timeout(Duration.ofMinutes(30));
    }

    static String send(String method, String path, String body, String type) throws Exception {
        HttpRequest r = req(method, path).header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " → " + resp.statusCode() + " " + resp.body());
        return resp.body();
    }

    static String post(String path, String body) throws Exception { return send("POST", path, body, "application/json"); }

    static String get(String path) throws Exception {
        HttpResponse<String> resp = HTTP.send(req("GET", path).build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) throw new IllegalStateException("GET " + path + " → " + resp.statusCode() + " " + resp.body());
        return resp.body();
    }

    static String id(String json) { return (String) field(json, "id"); }

    static Object field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(null|\"([^\"]*)\")").matcher(json);
        return m.find() ? m.group(2) : null;
    }

    static String query1(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) { rs.next(); return rs.getString(1); }
    }

    static List<String> ids(Connection db, String sql, int expected) throws Exception {
        List<String> out = new ArrayList<>(expected);
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) { while (rs.next()) out.add(rs.getString(1)); }
        return out;
    }

    static void row(String what, String maestro, String raw, String target) {
        rows.add(new String[]{what, maestro, raw, target});
        System.out.printf("%-60s %-32s %-28s %s%n", what, maestro, raw, target);
    }

    static String table(int servers) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("| measurement | Maestro | raw PostgreSQL, same data | target / ratio |\n|---|---|---|---|\n");
        for (String[] r : rows) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        return sb.toString();
    }
}
