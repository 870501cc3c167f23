package io.maestro.sources;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background jobs of sources keep a heartbeat while a node holds them; a job whose node
 * stopped (no heartbeat for {@link Jobs#ABANDONED_AFTER}) is ended failed, saying why — an import no
 * longer shows running, a run lets go of its connection — and a job a live node holds is never.
 */
class JobHeartbeatApiTest extends ApiTest {
    @Autowired
    Jobs jobs;

    private UUID team;

    @BeforeEach
    void clean() {
        jdbc.update("DELETE FROM source_import");
        team = jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", UUID.class);
    }

    private UUID importRow(String status, OffsetDateTime heartbeat) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO source_import (id, team_id, source_id, name, format, dry_run, status, actor, created_at, done, total, counts,"
                + " problems, heartbeat_at) VALUES (?, ?, ?, 'estate', 'terraform', FALSE, ?, 'admin', ?, 0, 10, '{}', '[]', ?)",
                id, team, UUID.randomUUID(), status, heartbeat, heartbeat);
        return id;
    }

    @Test
    void anImportWhoseNodeStoppedEndsFailedAndOneStillHeldStaysAlive() throws Exception {
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minus(Jobs.ABANDONED_AFTER).minusMinutes(1);
        UUID orphan = importRow("running", longAgo);
        UUID held = importRow("queued", longAgo);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        jobs.submit(Jobs.Kind.IMPORT, held, () -> {
            ran.countDown();
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(ran.await(1, TimeUnit.MINUTES)).isTrue();
            jobs.beat();
            Map<String, Object> gone = admin().get("/imports/" + orphan).body();
            assertThat(gone).containsEntry("status", "failed");
            assertThat((String) gone.get("detail")).startsWith("abandoned");
            assertThat(gone.get("finished_at")).isNotNull();
            Map<String, Object> alive = admin().get("/imports/" + held).body();
            assertThat(alive).containsEntry("status", "queued");
            OffsetDateTime beat = jdbc.queryForObject("SELECT heartbeat_at FROM source_import WHERE id = ?", OffsetDateTime.class, held);
            assertThat(beat).isAfter(longAgo.plus(Jobs.ABANDONED_AFTER));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aRunWhoseNodeStoppedLetsGoOfItsConnection() {
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minus(Jobs.ABANDONED_AFTER).minusMinutes(1);
        UUID run = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        jdbc.update("INSERT INTO source_run (id, connection_id, active_for, status, trigger_kind, cancel_requested, created_at, done, total,"
                + " counts, problems, heartbeat_at) VALUES (?, ?, ?, 'running', 'schedule', FALSE, ?, 0, 0, '{}', '[]', ?)",
                run, connection, connection, longAgo, longAgo);
        assertThat(jobs.beat()).isGreaterThanOrEqualTo(1);
        Map<String, Object> row = jdbc.queryForMap("SELECT status, active_for, detail FROM source_run WHERE id = ?", run);
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(row.get("active_for")).isNull();
        assertThat((String) row.get("detail")).startsWith("abandoned");
    }
}
