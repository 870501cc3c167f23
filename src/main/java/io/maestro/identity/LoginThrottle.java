package io.maestro.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Login protection: ten failed logins for one username within 15 minutes lock that username for
 * 15 minutes (every attempt answers 429, even with the right password). Failures are rows in
 * {@code login_failure}, so every node of a cluster sees the same count. Attempts made while
 * locked are not counted: the lock ends 15 minutes after the failure that set it.
 */
@Component
public class LoginThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCK = Duration.ofMinutes(15);
    private static final int MAX_NAME = 100;

    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    public LoginThrottle(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Thrown instead of checking the password while a username is locked. */
    public static class ThrottledException extends LockedException {
        private final long retryAfterSeconds;

        ThrottledException(long retryAfterSeconds) {
            super("Too many failed logins for this user; try again in " + Math.max(1, (retryAfterSeconds + 59) / 60) + " minutes");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Throws {@link ThrottledException} while {@code username} is locked. */
    public void check(String username) {
        long wait = lockedForSeconds(username);
        if (wait > 0) throw new ThrottledException(wait);
    }

    /** Seconds until {@code username} may try again, 0 when it is not locked. */
    public long lockedForSeconds(String username) {
        OffsetDateTime now = now();
        List<OffsetDateTime> last = jdbc.sql("SELECT failed_at FROM login_failure WHERE username = :u AND failed_at > :since "
                        + "ORDER BY failed_at DESC LIMIT " + MAX_FAILURES)
                .param("u", key(username)).param("since", now.minus(WINDOW).minus(LOCK))
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class)).list();
        if (last.size() < MAX_FAILURES) return 0;
        OffsetDateTime latest = last.get(0);
        OffsetDateTime tenth = last.get(MAX_FAILURES - 1);
        if (Duration.between(tenth, latest).compareTo(WINDOW) > 0) return 0;
        long seconds = Duration.between(now, latest.plus(LOCK)).toSeconds();
        return Math.max(0, seconds);
    }

    /** Records a failed login (wrong password or unknown user) and prunes rows nobody needs any more. */
    public void failed(String username) {
        OffsetDateTime now = now();
        jdbc.sql("DELETE FROM login_failure WHERE failed_at < :old").param("old", now.minus(WINDOW).minus(LOCK)).update();
        jdbc.sql("INSERT INTO login_failure (username, failed_at) VALUES (:u, :at)").param("u", key(username)).param("at", now).update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String key(String username) {
        String u = username == null ? "" : username;
        return u.length() > MAX_NAME ? u.substring(0, MAX_NAME) : u;
    }
}
