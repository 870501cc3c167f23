package io.maestro.support;

import org.springframework.context.annotation.Primary;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The application's clock in the API and UI tests (imported by {@link ApiTest}, preferred over the
 * system clock of {@code io.maestro.core.Clocks}): the system's time plus an offset that only
 * grows, so it never goes back and keeps moving, and a test steps it forward on demand.
 * {@link #mark()} names an instant strictly after every timestamp stored so far and strictly
 * before every one stored later, so a test reads {@code as_of} at that exact instant instead of
 * sleeping between writes and hoping the wall clock moved.
 */
@Primary
public class TestClock extends Clock {
    private Duration offset = Duration.ZERO;
    /** The latest reading: none is earlier (should the system's clock step back). */
    private Instant last = Instant.EPOCH;

    @Override
    public synchronized Instant instant() {
        Instant now = Instant.now().plus(offset);
        if (now.isBefore(last)) now = last;
        last = now;
        return now;
    }

    /**
     * An instant between the writes before this call and those after it, as ISO-8601 text
     * ({@code as_of}): timestamps are stored to the millisecond, so the mark is the current
     * millisecond plus one, and the clock jumps one more millisecond past it.
     */
    public synchronized String mark() {
        Instant mark = instant().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        jumpTo(mark.plusMillis(1));
        return DateTimeFormatter.ISO_INSTANT.format(mark);
    }

    /** Steps the clock past {@code at} (if it is not already), so every later write is stamped after it. */
    public synchronized void passing(OffsetDateTime at) {
        jumpTo(at.toInstant().plusMillis(1));
    }

    private void jumpTo(Instant target) {
        Instant now = instant();
        if (now.isBefore(target)) {
            offset = offset.plus(Duration.between(now, target));
            last = target;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the application's clock is UTC");
    }
}
