import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The discovery figures (bench/discovery): seeds moto with N EC2 instances through the AWS SDK, then
 * measures, on the Maestro the script started: a first discovery run, an unchanged re-run, the same
 * describe calls made straight to moto with the SDK (what the reader alone waits for: the floor),
 * and /bulk of the same server records. Args: Maestro URL, admin password, moto URL, N, Maestro's pid, table file.
 */
public class DiscoveryBench {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final int PER_RESERVATION = 200;
    static String base;
    static String auth;

    public static void main(String[] a) throws Exception {
        base = a[0];
        auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + a[1]).getBytes(StandardCharsets.UTF_8));
        String moto = a[2];
        int n = Integer.parseInt(a[3]);
        List<String> table = new ArrayList<>();

        // no retries while seeding: a launch retried after a slow answer would launch the instances twice
        try (Ec2Client ec2 = ec2(moto, false)) {
            String ami = ec2.describeImages(b -> b.owners("amazon")).images().stream()
                    .filter(i -> i.platform() == null && i.rootDeviceName() != null).findFirst().orElseThrow().imageId();
            InstanceType[] types = {InstanceType.T3_MICRO, InstanceType.T3_LARGE, InstanceType.M5_XLARGE, InstanceType.C5_2_XLARGE};
            String[] envs = {"prod", "staging", "dev"};
            long s = System.nanoTime();
            for (int done = 0, r = 0; done < n; done += PER_RESERVATION, r++) {
                int count = Math.min(PER_RESERVATION, n - done);
                InstanceType type = types[r % types.length];
                String env = envs[r % envs.length];
                int first = done;
                ec2.runInstances(b -> b.imageId(ami).instanceType(type).minCount(count).maxCount(count)
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                                .tags(tag("Environment", env), tag("team", "bench"), tag("batch", "b" + first)).build()));
                if ((done / PER_RESERVATION) % 10 == 9) System.err.printf("seeded %d instances in %.0f s%n", done + count, (System.nanoTime() - s) / 1e9);
            }
            System.err.printf("seeded %d instances in %.0f s%n", n, (System.nanoTime() - s) / 1e9);
        }

        double floorBefore = floor(moto);
        System.err.printf("moto answering the describe calls: %.1f s%n", floorBefore);

        String dc = id(check(send("POST", "/api/v1/datacenters", "{\"name\":\"aws-bench\",\"regions\":[\"us-east-1\"]}", "application/json"), 201));
        String conn = id(check(send("POST", "/api/v1/connections", ("{\"name\":\"aws-bench\",\"provider\":\"aws\",\"datacenter_id\":\"%s\","
                + "\"regions\":[\"us-east-1\"],\"resources\":[\"servers\"],\"credentials\":{\"access_key_id\":\"AKIABENCH\","
                + "\"secret_access_key\":\"bench-secret\"},\"endpoint_url\":\"%s\"}").formatted(dc, moto), "application/json"), 201));

        double[] first = run(conn);
        System.err.printf("first run: %.1f s (reconciling %.1f s), %s%n", first[0], first[1], last);
        require(last.contains("\"created\":" + n), "the first run creates every instance: " + last);
        double[] second = run(conn);
        System.err.printf("unchanged re-run: %.1f s (reconciling %.1f s), %s%n", second[0], second[1], last);
        require(last.contains("\"unchanged\":" + n), "the re-run changes nothing: " + last);
        double floorAfter = floor(moto);
        System.err.printf("moto answering the describe calls again: %.1f s%n", floorAfter);
        double floor = Math.min(floorBefore, floorAfter);

        // /bulk of the same records: the discovered servers as documents, into a second datacenter
        String dc2 = id(check(send("POST", "/api/v1/datacenters", "{\"name\":\"bulk-bench\",\"regions\":[\"us-east-1\"]}", "application/json"), 201));
        StringBuilder ndjson = new StringBuilder();
        int rows = 0;
        for (int page = 0; rows < n; page++) {
            String body = check(send("GET", "/api/v1/servers?size=1000&sort=hostname&page=" + page, null, null), 200).body();
            List<Map<String, Object>> items = items(body);
            if (items.isEmpty()) break;
            for (Map<String, Object> item : items) {
                ndjson.append(asBulkRow(item, dc2)).append('\n');
                rows++;
            }
        }
        long s = System.nanoTime();
        String bulk = check(send("POST", "/api/v1/servers/bulk", ndjson.toString(), "application/x-ndjson"), 200).body();
        double bulkFirst = (System.nanoTime() - s) / 1e9;
        require(bulk.contains("\"created\":" + rows), "bulk creates the rows: " + bulk.substring(0, Math.min(300, bulk.length())));
        s = System.nanoTime();
        bulk = check(send("POST", "/api/v1/servers/bulk", ndjson.toString(), "application/x-ndjson"), 200).body();
        double bulkAgain = (System.nanoTime() - s) / 1e9;
        require(bulk.contains("\"unchanged\":" + rows), "the same bulk again changes nothing: " + bulk.substring(0, Math.min(300, bulk.length())));

        table.add("| measurement | seconds | records/s | beside |");
        table.add("|---|---|---|---|");
        table.add(row("moto answering the run's describe calls (SDK, no Maestro): the floor", floor, n,
                "before the runs " + fmt(floorBefore) + " s, after " + fmt(floorAfter) + " s"));
        table.add(row("first discovery run (" + n + " created)", first[0], n, fmt(first[0] / floor) + "× the floor; of it reconciling "
                + fmt(first[1]) + " s (/bulk of the same records: " + fmt(bulkFirst) + " s)"));
        table.add(row("unchanged re-run (" + n + " unchanged, nothing written)", second[0], n, fmt(second[0] / floor)
                + "× the floor (target ≤ 2×); of it reconciling " + fmt(second[1]) + " s (the same /bulk again: " + fmt(bulkAgain) + " s)"));
        table.add(row("/bulk of the same " + rows + " server records, created", bulkFirst, rows, "one NDJSON request"));
        table.add(row("/bulk of the same records again, unchanged", bulkAgain, rows, ""));
        java.nio.file.Files.write(java.nio.file.Path.of(a[5]), table);
        table.forEach(System.out::println);
    }

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    static Ec2Client ec2(String moto, boolean retry) {
        return Ec2Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(moto))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(15)).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "bench-secret")))
                .overrideConfiguration(o -> {
                    if (retry) o.retryStrategy(RetryMode.STANDARD);
                    else o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry());
                }).build();
    }

    /** The reader's calls as Ec2Servers makes them: instance pages, their types, their volumes 500 at a time. */
    static double floor(String moto) {
        try (Ec2Client ec2 = ec2(moto, true)) {
            long s = System.nanoTime();
            Set<String> types = new HashSet<>();
            int instances = 0;
            for (DescribeInstancesResponse page : ec2.describeInstancesPaginator(b -> b.maxResults(5))) {
                List<Instance> list = page.reservations().stream().flatMap(r -> r.instances().stream()).toList();
                instances += list.size();
                List<String> missing = list.stream().map(Instance::instanceTypeAsString).filter(types::add).toList();
                if (!missing.isEmpty()) ec2.describeInstanceTypesPaginator(b -> b.instanceTypesWithStrings(missing)).instanceTypes().forEach(t -> { });
                List<String> volumes = list.stream().flatMap(i -> i.blockDeviceMappings().stream()).map(m -> m.ebs().volumeId()).toList();
                for (int i = 0; i < volumes.size(); i += 500) {
                    List<String> chunk = volumes.subList(i, Math.min(volumes.size(), i + 500));
                    ec2.describeVolumes(b -> b.volumeIds(chunk));
                }
            }
            double seconds = (System.nanoTime() - s) / 1e9;
            System.err.printf("floor: %d instances read%n", instances);
            return seconds;
        }
    }

    static String last;

    /**
     * Starts a run, polls until it ends; {seconds from the request to the end, seconds of it spent
     * reconciling} (from the first poll that shows the run's reconcile phase: the rest is reading).
     */
    static double[] run(String conn) throws Exception {
        long s = System.nanoTime();
        String run = check(send("POST", "/api/v1/connections/" + conn + "/runs", null, null), 202).body();
        String runId = id(run);
        long reconcileFrom = 0;
        while (true) {
            String body = check(send("GET", "/api/v1/connections/" + conn + "/runs/" + runId, null, null), 200).body();
            if (reconcileFrom == 0 && body.contains(": reconcile\"")) reconcileFrom = System.nanoTime();
            if (!body.contains("\"status\":\"queued\"") && !body.contains("\"status\":\"running\"")) {
                long end = System.nanoTime();
                double seconds = (end - s) / 1e9;
                require(body.contains("\"status\":\"succeeded\""), "the run succeeds: " + body.substring(0, Math.min(800, body.length())));
                Matcher m = Pattern.compile("\"counts\":\\{[^}]*}").matcher(body);
                last = m.find() ? m.group() : body;
                return new double[] {seconds, reconcileFrom == 0 ? 0 : (end - reconcileFrom) / 1e9};
            }
            Thread.sleep(250); // polling interval of a benchmark client, not a test's wait
        }
    }

    /** A server document as read, as a /bulk row: without what the server sets, in the other datacenter. */
    @SuppressWarnings("unchecked")
    static String asBulkRow(Map<String, Object> item, String dc2) {
        Map<String, Object> row = new java.util.LinkedHashMap<>(item);
        for (String field : List.of("id", "version", "created_at", "updated_at", "external_id", "last_seen_at", "missing_since", "stale",
                "stale_since", "drift", "source", "team_id", "services", "auth")) {
            row.remove(field);
        }
        Map<String, Object> dc = new java.util.LinkedHashMap<>((Map<String, Object>) row.get("datacenter"));
        dc.put("id", dc2);
        row.put("datacenter", dc);
        return io.maestro.core.Json.write(row);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(String body) {
        return (List<Map<String, Object>>) ((Map<String, Object>) io.maestro.core.Json.parse(body)).get("items");
    }

    static String row(String what, double seconds, int records, String beside) {
        return "| " + what + " | " + fmt(seconds) + " | " + Math.round(records / seconds) + " | " + beside + " |";
    }

    static HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).timeout(Duration.ofMinutes(30));
        if (type != null) b.header("Content-Type", type);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> check(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) throw new IllegalStateException(r.statusCode() + " " + r.body().substring(0, Math.min(800, r.body().length())));
        return r;
    }

    static String id(HttpResponse<String> r) {
        return id(r.body());
    }

    static String id(String body) {
        int i = body.indexOf("\"id\":\"");
        return body.substring(i + 6, i + 42);
    }

    static void require(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("expected: " + what);
    }

    static String fmt(double d) {
        return d >= 100 ? String.valueOf(Math.round(d)) : String.format("%.1f", d);
    }
}
