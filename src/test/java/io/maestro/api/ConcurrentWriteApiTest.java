package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.maestro.api.KindApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Writes without If-Match never answer 412: If-Match is how a client asks for the version check. */
class ConcurrentWriteApiTest extends ApiTest {

    @Test
    void concurrentPatchesWithoutIfMatchAllSucceed() throws Exception {
        String id = admin().post("/servers", json("{\"hostname\": \"web01\"}")).id();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int cpu = i + 1;
                results.add(pool.submit(() -> admin().patch("/servers/" + id, json("{\"cpu\": %d, \"tags\": [{\"key\": \"w\", \"value\": \"%d\"}]}", cpu, cpu))));
            }
            for (Future<Response> f : results) {
                Response r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin().get("/servers/" + id).body().get("version")).isEqualTo(writers + 1);
    }
}
