package io.maestro.reliability;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers at once on a machine whose cores are busy with something else: every write
 * acknowledged with 200 is in the final record and in its history, and none answers 5xx
 * (transient database errors are retried inside the server; the pool queues writers).
 */
class LoadedWritersApiTest extends ApiTest {
    private final CpuBurner burner = new CpuBurner();

    /** On H2, the embedded default as installed: a database file, not the suite's in-memory one. */
    @DynamicPropertySource
    static void embeddedFileDatabase(DynamicPropertyRegistry registry) {
        if (database().equals("h2")) {
            registry.add("spring.datasource.url", () -> "jdbc:h2:file:./target/test-data/loaded-" + java.util.UUID.randomUUID()
                    + "/maestro;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
    }

    @BeforeEach
    void burnCpu() {
        burner.start();
    }

    @AfterEach
    void stopBurning() throws InterruptedException {
        burner.stop();
    }

    @Test
    void sixtyFourWritersOnOneRecordWithIfMatchLoseNoAcknowledgedUpdate() throws Exception {
        String id = admin().post("/servers", json("{\"hostname\": \"contended\", \"cpu\": 0}")).id();
        int writers = 64;
        int successesEach = 1;
        AtomicInteger acknowledged = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    int mine = 0;
                    while (mine < successesEach && System.nanoTime() < deadline && failures.isEmpty()) {
                        Response read = admin().get("/servers/" + id);
                        if (read.status() != 200) {
                            failures.add("GET " + read);
                            return;
                        }
                        int cpu = ((Number) read.body().get("cpu")).intValue();
                        Response write = admin().patch("/servers/" + id, Map.of("cpu", cpu + 1), "If-Match", read.header("ETag"));
                        if (write.status() == 200) {
                            mine++;
                            acknowledged.incrementAndGet();
                        } else if (write.status() != 412) {
                            failures.add("PATCH " + write);
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : done) f.get(300, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(acknowledged.get()).isEqualTo(writers * successesEach);
        Map<String, Object> stored = admin().get("/servers/" + id).body();
        assertThat(((Number) stored.get("cpu")).intValue()).isEqualTo(acknowledged.get());
        assertThat(((Number) stored.get("version")).intValue()).isEqualTo(acknowledged.get() + 1);
        // one history entry per acknowledged write, plus the create
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_change WHERE record_id = ?", Long.class, java.util.UUID.fromString(id)))
                .isEqualTo(acknowledged.get() + 1L);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM server_version WHERE id = ?", Long.class, java.util.UUID.fromString(id)))
                .isEqualTo(acknowledged.get() + 1L);
    }

    @Test
    void thirtyTwoWritersOnTheirOwnRecordsAllSucceed() throws Exception {
        int writers = 32;
        int writesEach = 4;
        List<String> ids = new ArrayList<>();
        for (int w = 0; w < writers; w++) ids.add(admin().post("/servers", json("{\"hostname\": \"own%d\", \"cpu\": 0}", w)).id());
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (String id : ids) {
                done.add(pool.submit(() -> {
                    for (int n = 1; n <= writesEach; n++) {
                        Response write = admin().patch("/servers/" + id, Map.of("cpu", n, "tags", List.of(Map.of("key", "n", "value", String.valueOf(n)))),
                                "If-Match", "\"" + n + "\"");
                        if (write.status() != 200) failures.add(id + " " + write);
                    }
                }));
            }
            for (Future<?> f : done) f.get(300, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        for (String id : ids) {
            Map<String, Object> stored = admin().get("/servers/" + id).body();
            assertThat(stored).containsEntry("cpu", writesEach).containsEntry("version", writesEach + 1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_change", Long.class)).isEqualTo((long) writers * (writesEach + 1));
    }
}
