package io.maestro.reliability;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database becomes unreachable under writers and comes back (a TCP relay in front of it is
 * cut and restored: H2 in server mode, or the suite's PostgreSQL): health says DOWN within a
 * second and UP again, liveness stays UP, writes inside the outage answer 503 with Retry-After
 * (never 500), nothing acknowledged is lost and every stored write has exactly one history entry.
 */
class DatabaseOutageApiTest extends ApiTest {
    private static TcpProxy proxy;

    @DynamicPropertySource
    static void databaseBehindProxy(DynamicPropertyRegistry registry) throws Exception {
        String url;
        if (database().equals("h2")) {
            int h2Port;
            try (ServerSocket free = new ServerSocket(0)) {
                h2Port = free.getLocalPort();
            }
            org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(h2Port), "-ifNotExists").start();
            proxy = new TcpProxy("127.0.0.1", h2Port);
            url = "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:outage;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        } else {
            Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.*)").matcher(System.getProperty("spring.datasource.url"));
            if (!m.matches()) throw new IllegalStateException("unexpected PostgreSQL url " + System.getProperty("spring.datasource.url"));
            proxy = new TcpProxy(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)));
            url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + m.group(3);
        }
        String proxied = url;
        registry.add("spring.datasource.url", () -> proxied);
        // a request that gets no connection gives up sooner than in production, so the test is short
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1500");
    }

    @Test
    void anOutageAnswers503AndHealthDownThenEverythingComesBackWithNothingLost() throws Exception {
        String id = admin().post("/servers", json("{\"hostname\": \"through-the-outage\", \"cpu\": 0}")).id();
        assertThat(health("/actuator/health")).isEqualTo(200);
        assertThat(health("/actuator/health/readiness")).isEqualTo(200);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    while (writing.get()) {
                        Response read = admin().get("/servers/" + id);
                        if (!expected(read, wrong, unavailable)) continue;
                        int cpu = ((Number) read.body().get("cpu")).intValue();
                        Response write = admin().patch("/servers/" + id, Map.of("cpu", cpu + 1), "If-Match", read.header("ETag"));
                        if (write.status() == 200) acknowledged.incrementAndGet();
                        else if (write.status() != 412) expected(write, wrong, unavailable);
                    }
                }));
            }
            waitUntil("some writes before the outage", () -> acknowledged.get(), n -> n >= 4);

            proxy.cut();
            waitUntil("health DOWN", () -> health("/actuator/health"), s -> s == 503);
            assertThat(health("/actuator/health/readiness")).isEqualTo(503);
            assertThat(health("/actuator/health/liveness")).isEqualTo(200);
            waitUntil("writers told to retry", () -> unavailable.get(), n -> n >= writers);
            Response during = admin().patch("/servers/" + id, Map.of("cpu", -1));
            assertThat(during.status()).as(during.toString()).isEqualTo(503);
            assertThat(during.header("Retry-After")).isNotBlank();
            assertThat(during.contentType()).startsWith("application/problem+json");

            proxy.restore();
            waitUntil("health UP", () -> health("/actuator/health"), s -> s == 200);
            assertThat(health("/actuator/health/readiness")).isEqualTo(200);
            int before = acknowledged.get();
            waitUntil("writes after the outage", () -> acknowledged.get(), n -> n >= before + 4);
        } finally {
            writing.set(false);
            proxy.restore();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        assertThat(wrong).isEmpty();
        Map<String, Object> stored = admin().get("/servers/" + id).body();
        int cpu = ((Number) stored.get("cpu")).intValue();
        // A write whose commit reached the database but whose answer was cut off is stored without
        // having been acknowledged, so the value may exceed the 200s, never fall short of them.
        assertThat(cpu).isGreaterThanOrEqualTo(acknowledged.get());
        assertThat(((Number) stored.get("version")).intValue()).isEqualTo(cpu + 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_change WHERE record_id = ?", Long.class, UUID.fromString(id)))
                .isEqualTo(cpu + 1L);
    }

    /** 200, or 503 with Retry-After as problem+json; anything else is wrong. */
    private static boolean expected(Response r, ConcurrentLinkedQueue<String> wrong, AtomicInteger unavailable) {
        if (r.status() == 200) return true;
        if (r.status() == 503 && r.header("Retry-After") != null && String.valueOf(r.contentType()).startsWith("application/problem+json")) {
            unavailable.incrementAndGet();
        } else {
            wrong.add(r.toString());
        }
        return false;
    }

    /** The status of a health endpoint, which must answer within a second (two on a loaded test machine). */
    private int health(String path) {
        long start = System.nanoTime();
        Response r = anonymous().get(path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("%s answered in %d ms", path, millis).isLessThan(2000);
        assertThat(r.body()).containsEntry("status", r.status() == 200 ? "UP" : "DOWN");
        return r.status();
    }

    private static <T> void waitUntil(String what, Supplier<T> value, Predicate<T> ok) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        T last = value.get();
        while (!ok.test(last)) {
            assertThat(System.nanoTime()).as("waiting for %s (last: %s)", what, last).isLessThan(deadline);
            Thread.onSpinWait();
            last = value.get();
        }
    }
}
