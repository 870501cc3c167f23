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
                "COPY: " + fmt(copySeconds) + " s", ratio(ingest, copySeconds) + " (target ≤ 3×)");

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

        Random rnd = new Random(7);
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < 300; i++) terms.add(String.format("srv-%07d", rnd.nextInt(servers)).substring(0, 9 + rnd.nextInt(3)));
        List<Double> qApi = timeMany(300, i -> get("/api/v1/servers?q=" + URLEncoder.encode(terms.get(i), StandardCharsets.UTF_8) + "&size=50"));
        List<Double> qSql = timeMany(300, i -> {
            String like = "%" + terms.get(i) + "%";
            try (PreparedStatement ps = db.prepareStatement("SELECT * FROM server WHERE (name ILIKE ? OR hostname ILIKE ? OR ipv4_private ILIKE ?) ORDER BY lower(name), id LIMIT 50")) {
                ps.setString(1, like); ps.setString(2, like); ps.setString(3, like);
                drain(ps.executeQuery());
            }
            return null;
        });
        row("q search (hostname fragment, size 50), p50 / p99", p(qApi, 50) + " / " + p(qApi, 99) + " ms", p(qSql, 50) + " / " + p(qSql, 99) + " ms", "p99 ≤ 50 ms");

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
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> { while (running.get()) { peak.accumulateAndGet(heapUsedKb(pid), Math::max); sleep(200); } });
        sampler.start();
        long e0 = System.nanoTime();
        HttpResponse<InputStream> export = HTTP.send(req("GET", "/api/v1/servers/export?format=csv").build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = export.body()) { byte[] buf = new byte[1 << 16]; int n; while ((n = in.read(buf)) > 0) bytes += n; }
        double exportSeconds = (System.nanoTime() - e0) / 1e9;
        running.set(false);
        sampler.join();
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

    static void getByIdRow(List<String> serverIds, String[] a, int seconds) throws Exception {
        double rps = throughput(8, Duration.ofSeconds(seconds), serverIds, id -> KeepAlive.get("/api/v1/servers/" + id));
        double sqlRps = throughput(8, Duration.ofSeconds(seconds), serverIds, id -> {
            try (PreparedStatement ps = CONN.get().prepareStatement("SELECT * FROM server WHERE id = ?::uuid")) { ps.setString(1, id); drain(ps.executeQuery()); }
            return null;
        }, a[2], a[3], a[4]);
        row("GET by id, 8 concurrent clients", (long) rps + " req/s", (long) sqlRps + " queries/s", "≥ 5,000 req/s");
    }

    /**
     * bench/get-by-id: only the GET-by-id row, on the servers a previous bench/run left in the
     * database; the admin's password is set to the one given (bcrypt, as Maestro stores it).
     */
    static void getById(Connection db, String[] a) throws Exception {
        APP_PID = Long.parseLong(a[6]);
        PG_DB = a[2].substring(a[2].lastIndexOf('/') + 1);
        try (PreparedStatement ps = db.prepareStatement("UPDATE app_user SET password_hash = ? WHERE username = 'admin'")) {
            // by reflection: bench/run's class path has no spring-security-crypto
            Class<?> bcrypt = Class.forName("org.springframework.security.crypto.bcrypt.BCrypt");
            Object salt = bcrypt.getMethod("gensalt", int.class).invoke(null, 4);
            ps.setString(1, (String) bcrypt.getMethod("hashpw", String.class, String.class).invoke(null, a[1], salt));
            ps.executeUpdate();
        }
        List<String> serverIds = ids(db, "SELECT id::text FROM server", 0);
        getByIdRow(serverIds, a, Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "15")));
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
        for (int i = 0; i < Math.min(20, n); i++) op.run(i); // warm up
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
            c.out.write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAuthorization: " + auth + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            c.out.flush();
            String status = c.line();
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
    static String ratio(double a, double b) { return String.format("%.1f×", a / b); }

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
