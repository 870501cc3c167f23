import java.io.IOException;
import java.net.URI;
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
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent PATCH with If-Match (bench/patch): N writers, each a loop of GET then PATCH with the
 * version it read, retrying after a 412, on one record shared by all writers or on a record of
 * its own; then, on the same database with Maestro stopped, the same version-checked UPDATE with
 * plain JDBC at the same concurrency (the floor).
 *
 *   java PatchBench.java api BASE_URL ADMIN_PASSWORD SECONDS OUT_DIR
 *       seeds 65 servers, writes OUT_DIR/ids (first line the shared record) and OUT_DIR/api.tsv
 *   java PatchBench.java sql JDBC_URL USER PASSWORD SECONDS OUT_DIR LABEL
 *       runs the floor on the ids, prints the markdown rows of LABEL's table
 */
public class PatchBench {
    static final int[] WRITERS = {8, 32, 64};
    static final String[] TARGETS = {"one record", "distinct records"};
    static final Pattern CPU = Pattern.compile("\"cpu\"\\s*:\\s*(\\d+)");

    public static void main(String[] a) throws Exception {
        if (a[0].equals("api")) api(a[1], a[2], Integer.parseInt(a[3]), Path.of(a[4]));
        else sql(a[1], a[2], a[3], Integer.parseInt(a[4]), Path.of(a[5]), a[6]);
    }

    /** What one cell measured. Latencies in ms; a write's latency runs from its first GET to its successful PATCH. */
    static final class Cell {
        long successes, retries, serverErrors, other;
        final List<Double> request = Collections.synchronizedList(new ArrayList<>());
        final List<Double> write = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        double seconds;

        synchronized void add(long s, long r, long e, long o) {
            successes += s;
            retries += r;
            serverErrors += e;
            other += o;
        }
    }

    // ---- through the API

    static HttpClient http;
    static String base, auth;

    static void api(String baseUrl, String password, int seconds, Path out) throws Exception {
        base = baseUrl;
        auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= 64; i++) {
            HttpResponse<String> r = send("POST", "/api/v1/servers", "{\"hostname\":\"patch-" + i + ".bench\",\"cpu\":1}", null);
            if (r.statusCode() != 201) throw new IllegalStateException("seeding: " + r.statusCode() + " " + r.body());
            Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(r.body());
            if (!m.find()) throw new IllegalStateException("no id in " + r.body());
            ids.add(m.group(1));
        }
        Files.write(out.resolve("ids"), ids);
        runApi(8, false, ids, Math.max(3, seconds / 3)); // warm-up, not reported
        List<String> rows = new ArrayList<>();
        for (int n : WRITERS) {
            for (int t = 0; t < 2; t++) {
                Cell c = runApi(n, t == 1, ids, seconds);
                System.err.printf("api %d writers, %s: %d writes, %d 412, %d 5xx, %.0f writes/s%n", n, TARGETS[t], c.successes, c.retries, c.serverErrors,
                        c.successes / c.seconds);
                c.samples.forEach(s -> System.err.println("  " + s));
                rows.add(String.join("\t", String.valueOf(n), TARGETS[t], String.valueOf(c.successes), String.valueOf(c.retries),
                        String.valueOf(c.serverErrors), String.valueOf(c.other), fmt(p(c.request, 50)), fmt(p(c.request, 99)),
                        fmt(p(c.write, 50)), fmt(p(c.write, 99)), fmt(c.successes / c.seconds)));
            }
        }
        Files.write(out.resolve("api.tsv"), rows);
    }

    static Cell runApi(int writers, boolean distinct, List<String> ids, int seconds) throws Exception {
        Cell cell = new Cell();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(writers);
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            String path = "/api/v1/servers/" + ids.get(distinct ? 1 + w : 0);
            new Thread(() -> {
                long s = 0, r = 0, e = 0, o = 0;
                try {
                    while (System.nanoTime() < deadline) {
                        long w0 = System.nanoTime();
                        while (System.nanoTime() < deadline) {
                            HttpResponse<String> got = send("GET", path, null, null);
                            if (got.statusCode() != 200) {
                                if (got.statusCode() >= 500) e++; else o++;
                                sample(cell, "GET " + got.statusCode() + " " + got.body());
                                continue;
                            }
                            String etag = got.headers().firstValue("ETag").orElseThrow();
                            Matcher m = CPU.matcher(got.body());
                            long cpu = m.find() ? Long.parseLong(m.group(1)) : 0;
                            long p0 = System.nanoTime();
                            HttpResponse<String> put = send("PATCH", path, "{\"cpu\":" + (cpu + 1) % 100_001 + "}", etag);
                            long p1 = System.nanoTime();
                            cell.request.add((p1 - p0) / 1e6);
                            int st = put.statusCode();
                            if (st == 200) {
                                s++;
                                cell.write.add((p1 - w0) / 1e6);
                                break;
                            }
                            if (st == 412) r++;
                            else {
                                if (st >= 500) e++; else o++;
                                sample(cell, "PATCH " + st + " " + put.body());
                            }
                        }
                    }
                } catch (Exception ex) {
                    e++;
                    sample(cell, "writer stopped: " + ex);
                } finally {
                    cell.add(s, r, e, o);
                    done.countDown();
                }
            }).start();
        }
        done.await();
        cell.seconds = (System.nanoTime() - start) / 1e9;
        return cell;
    }

    static void sample(Cell cell, String s) {
        if (cell.samples.size() < 5) cell.samples.add(s.length() > 300 ? s.substring(0, 300) : s);
    }

    static HttpResponse<String> send(String method, String path, String body, String ifMatch) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).timeout(Duration.ofSeconds(60));
        if (body != null) b.header("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        if (ifMatch != null) b.header("If-Match", ifMatch);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- the floor: the same read and version-checked UPDATE with plain JDBC, one connection a writer

    static void sql(String url, String user, String password, int seconds, Path out, String label) throws Exception {
        List<String> ids = Files.readAllLines(out.resolve("ids"));
        List<String[]> api = Files.readAllLines(out.resolve("api.tsv")).stream().map(l -> l.split("\t")).toList();
        runSql(url, user, password, 8, false, ids, Math.max(2, seconds / 5)); // warm-up
        int i = 0;
        for (int n : WRITERS) {
            for (int t = 0; t < 2; t++) {
                String[] r = api.get(i++);
                Cell c;
                try {
                    c = runSql(url, user, password, n, t == 1, ids, seconds);
                } catch (SQLException ex) { // e.g. no connection left on a shared server: the API's figures still stand
                    System.out.println("| " + label + " | " + r[0] + " | " + r[1] + " | " + r[2] + " | " + r[3] + " | " + r[4] + " | " + r[6] + " / " + r[7]
                            + " | " + r[8] + " / " + r[9] + " | " + r[10] + " | failed: " + ex.getMessage().replace('|', '/') + " | | |");
                    continue;
                }
                System.err.printf("sql %d writers, %s: %d writes, %d retries, %d errors, %.0f writes/s%n", n, TARGETS[t], c.successes, c.retries,
                        c.serverErrors, c.successes / c.seconds);
                c.samples.forEach(s -> System.err.println("  " + s));
                double apiRate = Double.parseDouble(r[10]), sqlRate = c.successes / c.seconds;
                System.out.println("| " + label + " | " + r[0] + " | " + r[1] + " | " + r[2] + " | " + r[3] + " | " + r[4]
                        + (r[5].equals("0") ? "" : " (other 4xx: " + r[5] + ")") + " | " + r[6] + " / " + r[7] + " | " + r[8] + " / " + r[9]
                        + " | " + r[10] + " | " + fmt(sqlRate) + " (" + c.retries + " retries" + (c.serverErrors == 0 ? "" : ", " + c.serverErrors + " errors")
                        + ") | " + fmt(p(c.write, 50)) + " / " + fmt(p(c.write, 99)) + " | " + fmt(apiRate / sqlRate * 100) + "% |");
            }
        }
    }

    static Cell runSql(String url, String user, String password, int writers, boolean distinct, List<String> ids, int seconds) throws Exception {
        Cell cell = new Cell();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) connections.add(DriverManager.getConnection(url, user, password));
        } catch (SQLException e) {
            for (Connection c : connections) c.close();
            throw e;
        }
        CountDownLatch done = new CountDownLatch(writers);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            Connection db = connections.get(w);
            UUID id = UUID.fromString(ids.get(distinct ? 1 + w : 0));
            new Thread(() -> {
                long s = 0, r = 0, e = 0;
                try (PreparedStatement read = db.prepareStatement("SELECT version, cpu FROM server WHERE id = ?");
                     PreparedStatement update = db.prepareStatement("UPDATE server SET cpu = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?")) {
                    db.setAutoCommit(true);
                    while (System.nanoTime() < deadline) {
                        long w0 = System.nanoTime();
                        while (System.nanoTime() < deadline) {
                            try {
                                read.setObject(1, id);
                                long version, cpu;
                                try (ResultSet rs = read.executeQuery()) {
                                    rs.next();
                                    version = rs.getLong(1);
                                    cpu = rs.getLong(2);
                                }
                                update.setLong(1, (cpu + 1) % 100_001);
                                update.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                                update.setObject(3, id);
                                update.setLong(4, version);
                                if (update.executeUpdate() == 1) {
                                    s++;
                                    cell.write.add((System.nanoTime() - w0) / 1e6);
                                    break;
                                }
                                r++;
                            } catch (SQLException ex) { // e.g. H2's lock timeout: counted, then the write is tried again
                                e++;
                                sample(cell, ex.toString());
                            }
                        }
                    }
                } catch (Exception ex) {
                    e++;
                    sample(cell, "writer stopped: " + ex);
                } finally {
                    cell.add(s, r, e, 0);
                    done.countDown();
                }
            }).start();
        }
        done.await();
        cell.seconds = (System.nanoTime() - start) / 1e9;
        for (Connection c : connections) c.close();
        return cell;
    }

    static double p(List<Double> v, int pct) {
        if (v.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(pct / 100.0 * s.size()) - 1));
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) return "-";
        return d >= 100 ? String.valueOf(Math.round(d)) : String.format(d < 1 ? "%.2f" : "%.1f", d);
    }
}
