package io.maestro.sources;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.maestro.core.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Scheduled runs of connections with a {@code schedule}: a db-scheduler task looks for connections
 * whose next run is due, and a node starts one only after moving that connection's next_run_at on
 * with a conditional UPDATE — of several nodes looking at once, exactly one wins each period.
 */
@Component
public class ScheduledRuns implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);

    private final ConnectionStore connections;
    private final Runs runs;
    private final Duration every;
    private Scheduler scheduler;

    ScheduledRuns(ConnectionStore connections, Runs runs, @Value("${maestro.discovery.schedule-check:PT30S}") String every) {
        this.connections = connections;
        this.runs = runs;
        this.every = Duration.parse(every);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        RecurringTask<Void> task = Tasks.recurring("discovery-schedule", FixedDelay.of(every)).execute((instance, context) -> tick());
        scheduler = connections.scheduler(task, every);
        scheduler.start();
    }

    /** Starts the runs that are due; returns how many this node started. */
    public int tick() {
        OffsetDateTime now = Connections.now();
        int started = 0;
        var due = connections.due(now);
        for (ConnectionStore.Due d : due) {
            if (!connections.claim(d, Connections.nextRun(d.schedule(), now))) continue; // another node took this period
            UUID id = d.id();
            try {
                runs.start(id, "schedule", null);
                started++;
            } catch (ProblemException busy) {
                log.info("Scheduled run of connection {} skipped: {}", id, busy.getMessage());
            }
        }
        // which node looked when, for finding out why a run did or did not start (the two-node test reads it too)
        log.debug("Schedule check at {}: {} connection(s) due, {} run(s) started here", now, due.size(), started);
        return started;
    }

    @Override
    public void destroy() {
        if (scheduler != null) scheduler.stop();
    }
}
