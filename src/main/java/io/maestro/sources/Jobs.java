package io.maestro.sources;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background work of sources — discovery runs and file imports — in one place: a small pool
 * per kind of job on each node, and a sign of life for every job the node holds. While a job is
 * queued or running here its row's {@code heartbeat_at} moves every {@code maestro.jobs.heartbeat}
 * (30 s), whatever the job is doing; a row still active without a heartbeat for
 * {@link #ABANDONED_AFTER} belongs to a node that stopped, and the next sweep (on any node) ends it
 * failed, saying so — a run then no longer holds its connection, an import no longer shows running.
 */
@Component
public class Jobs implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    /** Several heartbeats missed in a row: no live node holds the job. */
    public static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);
    static final String ABANDONED = "abandoned: no sign of life for " + ABANDONED_AFTER.toMinutes() + " minutes (its node stopped?)";

    /** The kinds of job, each with its table and its own pool (imports never hold up discovery). */
    public enum Kind {
        RUN("discovery-run"), IMPORT("import");

        final String thread;

        Kind(String thread) {
            this.thread = thread;
        }
    }

    private final JobStore store;
    private final Duration heartbeat;
    private final Map<Kind, ExecutorService> pools = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<UUID>> held = new EnumMap<>(Kind.class);
    private ScheduledExecutorService beat;

    Jobs(JobStore store, @Value("${maestro.jobs.heartbeat:PT30S}") Duration heartbeat) {
        this.store = store;
        this.heartbeat = heartbeat;
        for (Kind k : Kind.values()) {
            pools.put(k, Executors.newFixedThreadPool(2, r -> daemon(r, k.thread)));
            held.put(k, ConcurrentHashMap.newKeySet());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (beat != null) return;
        beat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "job-heartbeat"));
        beat.scheduleWithFixedDelay(this::beatSafely, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} for the job whose row is {@code id} in the background; its row shows a heartbeat until it returns. */
    public void submit(Kind kind, UUID id, Runnable work) {
        held.get(kind).add(id);
        try {
            pools.get(kind).submit(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("{} {} failed", kind.thread, id, e);
                } finally {
                    held.get(kind).remove(id);
                }
            });
        } catch (RuntimeException e) {
            held.get(kind).remove(id);
            throw e;
        }
    }

    /** Whether this node holds the job (queued or running here). */
    public boolean holds(Kind kind, UUID id) {
        return held.get(kind).contains(id);
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            log.warn("Job heartbeat failed: {}", e.toString());
        }
    }

    /** One heartbeat: the jobs this node holds are alive; active jobs nobody kept alive are ended. Returns how many were ended. */
    public int beat() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        int released = 0;
        for (Kind k : Kind.values()) {
            List<UUID> mine = List.copyOf(held.get(k));
            if (!mine.isEmpty()) store.touch(k, mine, now);
            released += store.failAbandoned(k, now.minus(ABANDONED_AFTER), ABANDONED, now);
        }
        return released;
    }

    @Override
    public void destroy() {
        if (beat != null) beat.shutdownNow();
        pools.values().forEach(ExecutorService::shutdownNow);
    }
}
