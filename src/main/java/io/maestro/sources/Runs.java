package io.maestro.sources;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs of a connection: queued by a request (or the schedule), executed in the background, one at
 * a time per connection in the whole cluster — the run row holds the connection id in a unique
 * column while it is queued or running, so a second one is refused by the database itself (409).
 * A run reads every region of every resource type, reconciles what it read, and only when it
 * completed without a failed region or a cancel marks what it no longer saw.
 */
@Service
public class Runs {
    private static final Logger log = LoggerFactory.getLogger(Runs.class);
    static final List<String> ACTIVE = List.of("queued", "running");

    private final RunStore rows;
    private final Connections connections;
    private final Reconciler reconciler;
    private final Kinds kinds;
    private final Jobs jobs;

    Runs(RunStore rows, Connections connections, Reconciler reconciler, Kinds kinds, Jobs jobs) {
        this.jobs = jobs;
        this.rows = rows;
        this.connections = connections;
        this.reconciler = reconciler;
        this.kinds = kinds;
    }

    /** Queues a run and starts it in the background; 409 with {@code running_id} while another is queued or running. */
    public Map<String, Object> start(UUID connectionId, String trigger, Caller caller) {
        Connections.Connection c = caller == null ? connections.load(connectionId) : connections.readable(connectionId, caller);
        if (caller != null && caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        UUID id = UUID.randomUUID();
        try {
            insert(id, c, trigger);
        } catch (DuplicateKeyException e) {
            if (!releaseAbandoned(c.id())) throw busy(c.id());
            try {
                insert(id, c, trigger);
            } catch (DuplicateKeyException again) {
                throw busy(c.id());
            }
        }
        jobs.submit(Jobs.Kind.RUN, id, () -> execute(id, c.id()));
        return get(c.id(), id, null);
    }

    private ProblemException busy(UUID connectionId) {
        UUID running = rows.active(connectionId);
        return ProblemException.conflict("A run of this connection is already queued or running")
                .with("running_id", running == null ? null : running.toString());
    }

    /**
     * A run whose node stopped (no heartbeat for {@link Jobs#ABANDONED_AFTER}) would hold its
     * connection until the next sweep: asked for another run, it ends failed at once, and the
     * connection is free again.
     */
    private boolean releaseAbandoned(UUID connectionId) {
        OffsetDateTime now = Connections.now();
        return rows.failAbandoned(connectionId, now.minus(Jobs.ABANDONED_AFTER), Jobs.ABANDONED, now);
    }

    private void insert(UUID id, Connections.Connection c, String trigger) {
        rows.insert(id, c.id(), trigger, new Reconciler.Tally().counts(), Connections.now());
    }

    public List<Map<String, Object>> list(UUID connectionId, Caller caller) {
        connections.readable(connectionId, caller);
        return rows.list(connectionId);
    }

    public Map<String, Object> get(UUID connectionId, UUID runId, Caller caller) {
        if (caller != null) connections.readable(connectionId, caller);
        Map<String, Object> run = rows.get(connectionId, runId);
        if (run == null) throw ProblemException.notFound("Run");
        return run;
    }

    /** Asks a queued or running run to stop at its next page; it ends cancelled and marks nothing stale. */
    public Map<String, Object> cancel(UUID connectionId, UUID runId, Caller caller) {
        connections.readable(connectionId, caller);
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        get(connectionId, runId, caller);
        rows.requestCancel(runId, ACTIVE);
        return get(connectionId, runId, caller);
    }

    /** Thrown from a page callback to stop reading: the run was cancelled. */
    private static final class Cancelled extends RuntimeException {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    private void execute(UUID runId, UUID connectionId) {
        Reconciler.Tally tally = new Reconciler.Tally();
        String status;
        String detail = null;
        try {
            Connections.Connection c = connections.load(connectionId);
            if (c == null) throw new IllegalStateException("the connection was deleted");
            OffsetDateTime start = reconciler.now();
            rows.running(runId, start);
            Provider provider = connections.provider(c);
            Provider.Target target = connections.target(c);
            Reconciler.Origin origin = new Reconciler.Origin("discovery", c.name(), c.id().toString(), c.teamId(), c.datacenterId(),
                    c.regions(), c.staleAfterDuration());
            int failedRegions = 0;
            int regions = 0;
            long[] done = {0};
            boolean cancelled = false;
            // in the provider's order, so links (a load balancer's targets) find records reconciled before
            List<String> resources = provider.resources().stream().filter(c.resources()::contains).toList();
            outer:
            for (String resource : resources) {
                Kind kind = kinds.get(resource);
                List<Observation> observed = new ArrayList<>();
                for (String region : c.regions()) {
                    regions++;
                    String phase = resource + " " + region;
                    progress(runId, phase, done[0], done[0], tally);
                    try {
                        provider.read(target, resource, region, page -> {
                            if (cancelRequested(runId)) throw new Cancelled();
                            observed.addAll(page);
                            done[0] += page.size();
                            progress(runId, phase, done[0], done[0], tally);
                        }, p -> tally.problem(p.resource(), p.field(), p.message()));
                    } catch (Cancelled e) {
                        cancelled = true;
                        break outer;
                    } catch (RuntimeException e) {
                        failedRegions++;
                        tally.problem(region, null, resource + " in " + region + " could not be read: " + reason(e));
                        detail = reason(e);
                    }
                }
                progress(runId, resource + ": reconcile", 0, observed.size(), tally);
                reconciler.reconcile(origin, kind, observed, start, tally,
                        (reconciled, total) -> progress(runId, resource + ": reconcile", reconciled, total, tally));
                if (cancelRequested(runId)) {
                    cancelled = true;
                    break;
                }
            }
            if (cancelled) {
                status = "cancelled";
            } else if (failedRegions == 0) {
                for (String resource : resources) reconciler.missed(origin, kinds.get(resource), start, tally);
                status = "succeeded";
            } else {
                status = failedRegions == regions ? "failed" : "partial";
            }
        } catch (RuntimeException e) {
            log.warn("Discovery run {} failed: {}", runId, reason(e));
            status = "failed";
            detail = reason(e);
        }
        rows.finish(runId, status, tally.counts(), tally.problemDocs(), detail, Connections.now());
    }

    private void progress(UUID runId, String phase, long done, long total, Reconciler.Tally tally) {
        rows.progress(runId, phase, done, total, tally.counts(), tally.problemDocs(), Connections.now());
    }

    private boolean cancelRequested(UUID runId) {
        return rows.cancelRequested(runId);
    }

    /** A failure in words, without the secret (the SDK never puts it in messages) and without stack traces. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }
}
