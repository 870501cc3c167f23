package io.maestro.core.reliability;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs a transactional service method again when its transaction failed for a transient reason
 * (see {@link TransientDatabaseError}): the transaction rolled back whole, the method's inputs
 * are already parsed, so a replay is the same request once more. Only the outermost transaction
 * is replayed: a method that joined a caller's transaction fails that one, which its own boundary
 * replays. While the database is unreachable nothing is replayed (each attempt would wait for a
 * connection): the failure goes out as 503 with Retry-After.
 */
public class ReplayTransientFailures implements MethodInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ReplayTransientFailures.class);

    private final int attempts;
    private final BooleanSupplier databaseReachable;

    public ReplayTransientFailures(int attempts, BooleanSupplier databaseReachable) {
        this.attempts = attempts;
        this.databaseReachable = databaseReachable;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        if (TransactionSynchronizationManager.isActualTransactionActive() || !(invocation instanceof ProxyMethodInvocation proxied)) {
            return invocation.proceed();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return proxied.invocableClone().proceed();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !TransientDatabaseError.is(e) || !databaseReachable.getAsBoolean()) throw e;
                log.warn("Transient database error in {} (attempt {} of {}), replaying the transaction: {}",
                        invocation.getMethod().getName(), attempt, attempts, TransientDatabaseError.cause(e));
                pause(attempt);
            }
        }
    }

    /** A few milliseconds, more each time and jittered, so replays of colliding transactions do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
