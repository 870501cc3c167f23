import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The integrations' figures (bench/integrations): Prometheus SD and Ansible inventory response
 * times at N servers, the 304 path, webhook delivery throughput to a local receiver and the write
 * latency a subscribed webhook adds, each answer beside its floor in the same run (the same server
 * statement streamed raw through JDBC). Args: base URL, admin password, server count, JDBC URL, user, password,
 * Maestro's process id.
 */
public class IntegrationsBench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static String base;
    static long app;
    static String auth;

    public static void main(String[] args) throws Exception {
        base = args[0];
        auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + args[1]).getBytes(StandardCharsets.UTF_8));
        int servers = Integer.parseInt(args[2]);
        List<String> table = new ArrayList<>();
        long t0 = System.nanoTime();
        String dc = id(send("POST", "/api/v1/datacenters", "{\"name\":\"bench-dc\",\"regions\":[\"r1\"]}", "application/json"));
        for (int start = 0; start < servers; start += 50_000) {
            StringBuilder b = new StringBuilder();
            for (int i = start; i < Math.min(servers, start + 50_000); i++) {
                b.append("{\"hostname\":\"srv").append(i).append(".bench\",\"ipv4_private\":\"10.").append(i / 65536 % 256).append('.')
                        .append(i / 256 % 256).append('.').append(i % 256).append("\",\"environment\":\"").append(i % 3 == 0 ? "Production" : "Staging")
                        .append("\",\"role\":\"Application\",\"os\":{\"base\":\"Linux\"},\"datacenter\":{\"id\":\"").append(dc)
                        .append("\",\"region\":\"r1\"},\"tags\":[{\"key\":\"rack\",\"value\":\"r").append(i % 40).append("\"}]}\n");
            }
            check(send("POST", "/api/v1/servers/bulk", b.toString(), "application/x-ndjson"), 200);
        }
        System.err.printf("loaded %d servers in %.0f s%n", servers, (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < servers / 10; i += 1000) {
            // applications linked to servers, a thousand at a time
            StringBuilder b = new StringBuilder();
            for (int j = i; j < Math.min(servers / 10, i + 1000); j++) b.append("{\"name\":\"app").append(j).append("\"}\n");
            check(send("POST", "/api/v1/applications/bulk", b.toString(), "application/x-ndjson"), 200);
        }

        Connection db = DriverManager.getConnection(args[3], args[4], args[5]);
        app = Long.parseLong(args[6]);
        db.setAutoCommit(false); // PostgreSQL streams a result a fetch at a time only inside a transaction
        for (String[] m : List.of(new String[] {"Prometheus SD", "/api/v1/integrations/prometheus?port=9100"},
                new String[] {"Ansible inventory", "/api/v1/integrations/ansible"})) {
            send("GET", m[1], null, null); // warm-up
            rawFeed(db);
            List<Double> times = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            long cpu = 0;
            long bytes = 0;
            String etag = null;
            for (int i = 0; i < 7; i++) {
                // alternating with the floor, so that the machine's other load weighs on both alike
                long s = System.nanoTime();
                long ticks = ticks(app);
                HttpResponse<String> r = send("GET", m[1], null, null);
                times.add((System.nanoTime() - s) / 1e6);
                cpu += ticks(app) - ticks;
                check(r, 200);
                bytes = r.body().length();
                etag = r.headers().firstValue("ETag").orElse(null);
                s = System.nanoTime();
                rawFeed(db);
                floor.add((System.nanoTime() - s) / 1e6);
            }
            List<Double> notModified = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                check(send("GET", m[1], null, null, "If-None-Match", etag), 304);
                notModified.add((System.nanoTime() - s) / 1e6);
            }
            table.add("| " + m[0] + " at " + servers + " servers (" + bytes / 1024 / 1024 + " MB), p50 | " + fmt(median(times))
                    + " ms | " + fmt(median(floor)) + " ms (" + fmt(median(times) / median(floor)) + "×) | target ≤ 1 s; Maestro's CPU " + fmt(cpu * 10.0 / times.size())
                    + " ms an answer; 3 SQL statements whatever the count (pinned in the API tests) |");
            table.add("| " + m[0] + " with a matching If-None-Match (304), p50 | " + fmt(median(notModified)) + " ms | | 2 statements |");
        }

        // single-write latency without, then with, a webhook subscribed to servers
        String server = id(send("POST", "/api/v1/servers", "{\"hostname\":\"latency.bench\"}", "application/json"));
        double without = writes(server, 200);
        AtomicLong received = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            received.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.start();
        String hook = id(send("POST", "/api/v1/webhooks", "{\"name\":\"bench\",\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook\",\"secret\":\"bench-secret\",\"collections\":[\"servers\"]}", "application/json"));
        double with = writes(server, 200);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (received.get() < 200 && System.nanoTime() < deadline) Thread.onSpinWait();
        table.add("| single write (PATCH a server), p50 with a webhook subscribed | " + fmt(with) + " ms | " + fmt(without)
                + " ms without one | " + String.format("%+.1f", (with / without - 1) * 100) + "% (target ≤ 10%) |");
        int rows = 10_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows; i++) b.append("{\"hostname\":\"wh").append(i).append(".bench\"}\n");
        long before = received.get();
        long s = System.nanoTime();
        check(send("POST", "/api/v1/servers/bulk", b.toString(), "application/x-ndjson"), 200);
        double bulkSeconds = (System.nanoTime() - s) / 1e9;
        deadline = System.nanoTime() + 600_000_000_000L;
        while (received.get() < before + rows && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        double seconds = (System.nanoTime() - s) / 1e9;
        table.add("| webhook deliveries of a " + rows + "-row bulk to a local receiver | " + fmt((received.get() - before) / seconds)
                + " deliveries/s | | bulk itself " + fmt(bulkSeconds) + " s, all delivered after " + fmt(seconds) + " s; 4 sender threads |");
        receiver.stop(0);
        System.out.println("| measurement | Maestro | raw floor, same run | notes |");
        System.out.println("|---|---|---|---|");
        table.forEach(System.out::println);
        System.exit(0); // the receiver's threads would keep the JVM, and so the script and Maestro, running
    }

    /** The floor: the integrations' server statement (an admin's: no access predicate) streamed through plain JDBC, every column read. */
    static void rawFeed(Connection db) throws Exception {
        String sql = "SELECT t.id, t.hostname, t.ipv4_private, t.ipv4_public, t.os_base, t.os_dist, t.os_version, t.environment, t.role,"
                + " t.datacenter_id, t.datacenter_region, t.datacenter_zone, t.team_id, g.tag_key, g.tag_value, r.apps FROM server t"
                + " LEFT JOIN record_tag g ON g.record_id = t.id AND g.kind = 'servers'"
                + " LEFT JOIN (SELECT r.dst_id, STRING_AGG(CAST(r.src_id AS VARCHAR(36)), ',') AS apps FROM relation r"
                + " WHERE r.field = 'server_ids' AND r.src_kind = 'applications' GROUP BY r.dst_id) r ON r.dst_id = t.id"
                + " ORDER BY t.created_at, t.id, g.position";
        try (Statement st = db.createStatement()) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int c = 1; c <= columns; c++) rs.getObject(c);
                }
            }
        }
        db.commit();
    }

    /** CPU clock ticks (10 ms) a process has used: utime + stime, fields 14 and 15 of /proc/PID/stat. */
    static long ticks(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double writes(String server, int n) throws Exception {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            check(send("PATCH", "/api/v1/servers/" + server, "{\"cpu\":" + (i + 1) + "}", "application/merge-patch+json"), 200);
            t.add((System.nanoTime() - s) / 1e6);
        }
        return median(t.subList(n / 4, n));
    }

    static HttpResponse<String> send(String method, String path, String body, String type, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth);
        if (type != null) b.header("Content-Type", type);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(500, r.body().length())));
    }

    static String id(HttpResponse<String> r) {
        check(r, 201);
        int i = r.body().indexOf("\"id\":\"");
        return r.body().substring(i + 6, i + 42);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static String fmt(double d) {
        return d >= 100 ? String.valueOf(Math.round(d)) : String.format("%.1f", d);
    }
}
