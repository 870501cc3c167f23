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

    @Test
    void concurrentWritesNamingOneNewCatalogEntryCreateItOnce() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> n % 2 == 0
                        ? admin().post("/servers", json("{\"hostname\": \"h%d\", \"services\": [{\"name\": \"Brand New\"}]}", n))
                        : admin().post("/loadbalancers", json("{\"name\": \"lb%d\", \"service\": \"brand new\"}", n))));
            }
            for (Future<Response> f : results) {
                Response r = f.get();
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
        // one entry, spelled as the first writer did
        assertThat(admin().get("/services").items()).singleElement().satisfies(i -> assertThat((String) i.get("name")).isEqualToIgnoringCase("brand new"));
    }

    @Test
    void concurrentCreatesOfOneCatalogNameMakeOneRecordAndNameTheOthersConflicts() throws Exception {
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> admin().post("/providers", json("{\"name\": \"Hetzner\"}"))));
            }
            for (Future<Response> f : results) statuses.add(f.get().status());
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
        assertThat(admin().get("/providers").body()).containsEntry("total", 1);
    }

    @Test
    void concurrentCreatesOfOneCloudInstanceMakeOneServerAndNameItInEachConflict() throws Exception {
        String dc = admin().post("/datacenters", json("{\"name\": \"aws\"}")).id();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Response> responses = new ArrayList<>();
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> admin().post("/servers",
                        json("{\"hostname\": \"h%d\", \"datacenter\": {\"id\": \"%s\", \"instance_id\": \"i-42\"}}", n, dc))));
            }
            for (Future<Response> f : results) responses.add(f.get());
        } finally {
            pool.shutdownNow();
        }
        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(created).hasSize(1);
        for (Response r : responses) {
            if (r.status() != 201) {
                assertThat(r.status()).as(r.toString()).isEqualTo(409);
                assertThat(r.body()).containsEntry("existing_id", created.get(0).id());
            }
        }
    }
}
