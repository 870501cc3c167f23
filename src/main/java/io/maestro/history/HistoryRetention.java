package io.maestro.history;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Prunes history older than MAESTRO_HISTORY_RETENTION (e.g. {@code 365d}, {@code P90D};
 * unset: keep forever). Runs hourly (MAESTRO_HISTORY_RETENTION_INTERVAL) through db-scheduler:
 * each run is one row of {@code scheduled_tasks} that one node picks (an optimistic version
 * check), so with several nodes it runs once per interval; a node that dies mid-run leaves the
 * row to be picked again once its heartbeat is missing.
 */
@Component
public class HistoryRetention implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

    private final HistoryStore store;
    private final Duration retention;
    private final LinkHistoryStore links;
    private final Duration interval;
    private final Clock clock;
    private Scheduler scheduler;

    HistoryRetention(HistoryStore store, LinkHistoryStore links, Clock clock,
                            @Value("${maestro.history-retention:}") String retention,
                            @Value("${maestro.history-retention-interval:1h}") Duration interval) {
        this.links = links;
        this.clock = clock;
        this.interval = interval;
        this.store = store;
        this.retention = parse(retention);
    }

    static Duration parse(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("forever")) return null;
        String t = text.strip();
        try {
            if (t.matches("\\d+d")) return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.matches("\\d+h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            return Duration.parse(t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("MAESTRO_HISTORY_RETENTION must be like 365d, 12h or P90D, not '" + text + "'");
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (retention == null) return;
        RecurringTask<Void> task = Tasks.recurring("history-retention", FixedDelay.of(interval))
                .execute((instance, context) -> {
                    // one line per run, naming the time it was due: a run done twice shows as the same time twice
                    int removed = prune(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(retention));
                    log.info("History retention run due at {} removed {} rows", context.getExecution().executionTime, removed);
                });
        Duration poll = interval.compareTo(Duration.ofSeconds(10)) < 0 ? interval : Duration.ofSeconds(10);
        scheduler = store.scheduler(task, poll);
        scheduler.start();
        log.info("History older than {} is pruned every {}", retention, interval);
    }

    /** Deletes change entries before {@code cutoff} and versions and links that ended before it; returns the rows removed. */
    public int prune(OffsetDateTime cutoff) {
        int removed = store.prune(cutoff);
        removed += links.prune(cutoff);
        if (removed > 0) log.info("History retention removed {} rows older than {}", removed, cutoff);
        return removed;
    }

    @Override
    public void destroy() {
        if (scheduler != null) scheduler.stop();
    }
}
