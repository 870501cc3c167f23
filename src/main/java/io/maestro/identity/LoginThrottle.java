package io.maestro.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.LockedException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Login protection, shared by every node through the database. Ten failed logins for one
 * username from one client address within 15 minutes lock that username for that address for 15
 * minutes (every attempt from there answers 429, even with the right password); the same user
 * signing in from elsewhere is not affected, so nobody can lock the admin out. Each address also
 * has a limit over all usernames ({@code maestro.login.max-failures-per-address}, 100 by default)
 * against guessing many names. Attempts made while locked are not counted: a lock ends 15
 * minutes after the failure that set it.
 * <p>
 * Counting is atomic: before a password is checked, {@link #begin} takes a place in the count
 * (a {@code login_failure} row, written while the address's {@code login_guard} row is locked in
 * a transaction of a few milliseconds), and {@link #succeeded} gives it back. So forty parallel
 * guesses from one address get ten password checks, and no lock is held while hashing.
 */
@Component
public class LoginThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration LOCK = Duration.ofMinutes(15);
    private static final int MAX_NAME = 100;
    private static final int MAX_ADDRESS = 64;
    private static final long PRUNE_EVERY_MILLIS = 60_000;

    private final LoginFailureStore rows;
    private final TransactionTemplate tx;
    private final int maxPerAddress;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong lastPrune = new AtomicLong();

    LoginThrottle(LoginFailureStore rows, PlatformTransactionManager transactions,
                         @Value("${maestro.login.max-failures-per-address:100}") int maxPerAddress) {
        this.rows = rows;
        this.tx = new TransactionTemplate(transactions);
        // its own transaction: a failure is counted even when the request's own work is rolled back
        this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.maxPerAddress = Math.max(MAX_FAILURES, maxPerAddress);
    }

    /** Thrown instead of checking the password while a username (or the whole address) is locked. */
    public static class ThrottledException extends LockedException {
        private final long retryAfterSeconds;

        ThrottledException(String what, long retryAfterSeconds) {
            super("Too many failed logins " + what + "; try again in " + Math.max(1, (retryAfterSeconds + 59) / 60) + " minutes");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * Takes a place in the count of {@code username} at {@code address} before its password is
     * checked: counted as a failure unless {@link #succeeded} gives it back. Throws
     * {@link ThrottledException} (and counts nothing) while locked.
     */
    public long begin(String username, String address) {
        String user = name(username);
        String from = address(address);
        prune();
        Long id = tx.execute(status -> {
            OffsetDateTime now = now();
            rows.guard(from, now);
            long userWait = lockedFor(recent(from, user, MAX_FAILURES, now), MAX_FAILURES, now);
            if (userWait > 0) throw new ThrottledException("for this user", userWait);
            long addressWait = lockedFor(recent(from, null, maxPerAddress, now), maxPerAddress, now);
            if (addressWait > 0) throw new ThrottledException("from this address", addressWait);
            return rows.insert(user, from, now);
        });
        return id == null ? -1 : id;
    }

    /** The password was right (or could not be checked): the attempt does not count. */
    public void succeeded(long attempt) {
        if (attempt < 0) return;
        rows.delete(attempt);
    }

    /** Records a failure found elsewhere (a wrong current password when changing it). */
    public void failed(String username, String address) {
        tx.executeWithoutResult(status -> {
            OffsetDateTime now = now();
            rows.guard(address(address), now);
            rows.insert(name(username), address(address), now);
        });
    }

    /** The client address of the current request, or "unknown" outside one. */
    public static String requestAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            if (request.getRemoteAddr() != null) return request.getRemoteAddr();
        }
        return "unknown";
    }

    private List<OffsetDateTime> recent(String address, String user, int limit, OffsetDateTime now) {
        return rows.recent(address, user, now.minus(WINDOW).minus(LOCK), limit);
    }

    /** Locked while the last {@code max} failures fall within the window, until the lock after the latest ends. */
    private static long lockedFor(List<OffsetDateTime> last, int max, OffsetDateTime now) {
        if (last.size() < max) return 0;
        OffsetDateTime latest = last.get(0);
        OffsetDateTime oldest = last.get(max - 1);
        if (Duration.between(oldest, latest).compareTo(WINDOW) > 0) return 0;
        return Math.max(0, Duration.between(now, latest.plus(LOCK)).toSeconds());
    }

    /** Rows nobody needs any more go, at most once a minute per node. */
    private void prune() {
        long now = System.currentTimeMillis();
        long last = lastPrune.get();
        if (now - last < PRUNE_EVERY_MILLIS || !lastPrune.compareAndSet(last, now)) return;
        OffsetDateTime old = now().minus(WINDOW).minus(LOCK);
        rows.prune(old);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String name(String username) {
        String u = username == null ? "" : username;
        return u.length() > MAX_NAME ? u.substring(0, MAX_NAME) : u;
    }

    private static String address(String address) {
        String a = address == null || address.isBlank() ? "unknown" : address;
        return a.length() > MAX_ADDRESS ? a.substring(0, MAX_ADDRESS) : a;
    }
}
