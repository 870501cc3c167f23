package io.maestro.sources;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.io.File;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A real moto server (a local AWS API) on a free loopback port, for the discovery tests (and the
 * two-node test's scheduled run): started as a process, waited for with a deadline, reset between
 * tests, stopped at the end.
 */
public final class MotoServer implements AutoCloseable {
    /** Seeding thousands of instances makes moto slow to answer on a busy machine: patience, not a timeout and a retried (duplicated) launch. */
    private static final software.amazon.awssdk.http.SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(30)).socketTimeout(Duration.ofMinutes(10)).build();
    final int port;
    public final String url;
    private final Process process;

    private MotoServer(int port, Process process) {
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
        this.process = process;
    }

    public static MotoServer start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(new File("target/moto-" + port + ".log")).start();
        MotoServer moto = new MotoServer(port, p);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!moto.answers()) {
            if (!p.isAlive()) throw new IllegalStateException("moto_server exited; see target/moto-" + port + ".log (is moto installed? pip install 'moto[server]')");
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("moto_server did not answer within 60 s");
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return moto;
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + "/moto-api/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Forgets every resource (each test seeds its own). */
    void reset() throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url + "/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        if (c.getResponseCode() != 200) throw new IllegalStateException("moto reset answered " + c.getResponseCode());
    }

    public Ec2Client ec2(String region) {
        return Ec2Client.builder().region(Region.of(region)).endpointOverride(URI.create(url))
                .httpClient(HTTP)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTSEED", "seed-secret"))).build();
    }

    software.amazon.awssdk.services.rds.RdsClient rds(String region) {
        return software.amazon.awssdk.services.rds.RdsClient.builder().region(Region.of(region)).endpointOverride(URI.create(url))
                .httpClient(HTTP)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTSEED", "seed-secret"))).build();
    }

    software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elb(String region) {
        return software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder().region(Region.of(region))
                .endpointOverride(URI.create(url)).httpClient(HTTP)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTSEED", "seed-secret"))).build();
    }

    /**
     * A pass-through in front of moto that refuses every request signed for one of {@link Gate#closed}
     * regions, as AWS does for a region the credentials may not use (403 UnauthorizedOperation):
     * moto itself serves any region, and a run must meet a region that fails while others answer.
     */
    Gate gate() throws Exception {
        return new Gate(this);
    }

    static final class Gate implements AutoCloseable {
        private static final java.util.regex.Pattern SCOPE = java.util.regex.Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/");
        final java.util.Set<String> closed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        public final String url;
        private final com.sun.net.httpserver.HttpServer server;
        private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

        private Gate(MotoServer moto) throws Exception {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "moto-gate");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", ex -> {
                try (ex) {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    java.util.regex.Matcher m = SCOPE.matcher(auth == null ? "" : auth);
                    if (m.find() && closed.contains(m.group(1))) {
                        byte[] refusal = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>"
                                + "<Message>You are not authorized to perform this operation in " + m.group(1) + ".</Message></Error></Errors>"
                                + "<RequestID>gate</RequestID></Response>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        ex.getResponseHeaders().add("Content-Type", "text/xml");
                        // 403, not AWS's 401 for a region not enabled: the JDK's HTTP client cannot read a 401 to a streamed POST
                        ex.sendResponseHeaders(403, refusal.length);
                        ex.getResponseBody().write(refusal);
                        return;
                    }
                    var forward = java.net.http.HttpRequest.newBuilder(URI.create(moto.url + ex.getRequestURI()))
                            .method(ex.getRequestMethod(), java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
                    ex.getRequestHeaders().forEach((name, values) -> {
                        if (!java.util.Set.of("host", "connection", "content-length", "expect", "upgrade").contains(name.toLowerCase())) {
                            values.forEach(v -> forward.header(name, v));
                        }
                    });
                    var answer = http.send(forward.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    answer.headers().map().forEach((name, values) -> {
                        if (!java.util.Set.of("content-length", "transfer-encoding", "connection", ":status").contains(name.toLowerCase())) {
                            values.forEach(v -> ex.getResponseHeaders().add(name, v));
                        }
                    });
                    ex.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                    ex.getResponseBody().write(answer.body());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            url = "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
