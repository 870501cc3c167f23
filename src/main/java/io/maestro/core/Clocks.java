package io.maestro.core;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one clock that stamps records, versions, history and staleness: the system's, in UTC.
 * It is a bean so that tests can hand the application a clock they step themselves (and then
 * name the exact instant they read {@code as_of} at) instead of sleeping between writes.
 */
@Configuration(proxyBeanMethods = false)
public class Clocks {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The clock's instant in UTC to the millisecond: what every stored timestamp holds (both databases keep it exactly). */
    public static OffsetDateTime now(Clock clock) {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
