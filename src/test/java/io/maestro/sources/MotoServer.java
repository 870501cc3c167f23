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
 * A real moto server (a local AWS API) on a free loopback port, for the discovery tests: started
 * as a process, waited for with a deadline, reset between tests, stopped at the end.
 */
final class MotoServer implements AutoCloseable {
    final int port;
    final String url;
    private final Process process;

    private MotoServer(int port, Process process) {
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
        this.process = process;
    }

    static MotoServer start() throws Exception {
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

    Ec2Client ec2(String region) {
        return Ec2Client.builder().region(Region.of(region)).endpointOverride(URI.create(url))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTSEED", "seed-secret"))).build();
    }

    software.amazon.awssdk.services.rds.RdsClient rds(String region) {
        return software.amazon.awssdk.services.rds.RdsClient.builder().region(Region.of(region)).endpointOverride(URI.create(url))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTSEED", "seed-secret"))).build();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
