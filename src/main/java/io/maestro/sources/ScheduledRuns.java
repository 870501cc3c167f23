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
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scheduled runs of connections with a {@code schedule}: a db-scheduler task looks for connections
 * whose next run is due, and a node starts one only after moving that connection's next_run_at on
 * with a conditional UPDATE — of several nodes looking at once, exactly one wins each period.
 */
@Component
public class ScheduledRuns implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Runs runs;
    private final DataSource dataSource;
    private final Duration every;
    private Scheduler scheduler;

    public ScheduledRuns(NamedParameterJdbcTemplate jdbc, Runs runs, DataSource dataSource,
                         @Value("${maestro.discovery.schedule-check:PT30S}") String every) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.dataSource = dataSource;
        this.every = Duration.parse(every);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        RecurringTask<Void> task = Tasks.recurring("discovery-schedule", FixedDelay.of(every)).execute((instance, context) -> tick());
        scheduler = Scheduler.create(dataSource).startTasks(task).threads(1).pollingInterval(every).build();
        scheduler.start();
    }

    /** Starts the runs that are due; returns how many this node started. */
    public int tick() {
        OffsetDateTime now = Connections.now();
        List<Map<String, Object>> due = jdbc.queryForList("SELECT id, schedule, next_run_at FROM source_connection WHERE enabled = TRUE"
                + " AND schedule IS NOT NULL AND next_run_at <= :now", Map.of("now", now));
        int started = 0;
        for (Map<String, Object> c : due) {
            UUID id = (UUID) c.get("id");
            Object previous = c.get("next_run_at");
            OffsetDateTime next = Connections.nextRun((String) c.get("schedule"), now);
            int claimed = jdbc.update("UPDATE source_connection SET next_run_at = :next WHERE id = :id AND next_run_at = :previous",
                    Map.of("id", id, "next", next, "previous", previous));
            if (claimed != 1) continue; // another node took this period
            try {
                runs.start(id, "schedule", null);
                started++;
            } catch (ProblemException busy) {
                log.info("Scheduled run of connection {} skipped: {}", id, busy.getMessage());
            }
        }
        return started;
    }

    @Override
    public void destroy() {
        if (scheduler != null) scheduler.stop();
    }
}
