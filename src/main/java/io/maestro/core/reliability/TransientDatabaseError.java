package io.maestro.core.reliability;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Which database errors are worth trying again: the database refused or lost this attempt, not
 * the request (a lock wait that timed out, a deadlock or serialization failure, a connection
 * that broke or could not be had from the pool). Everything else is the request's own problem.
 */
public final class TransientDatabaseError {
    /** PostgreSQL: serialization_failure, deadlock_detected, lock_not_available, query_canceled, admin/crash shutdown, cannot_connect_now. */
    private static final Set<String> POSTGRES_STATES = Set.of("40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03");
    /**
     * H2: 50200 lock timeout ("Timeout trying to lock table"), 40001 deadlock, 90112 "Row not found
     * when trying to delete from index" (a concurrent change of the same row's index entries),
     * 90131 concurrent update, 90028 I/O error on the connection, 90067 connection broken, 90098 database closed, 90121 database
     * closed by the VM shutting down.
     */
    private static final Set<Integer> H2_CODES = Set.of(50200, 40001, 90112, 90131, 90028, 90067, 90098, 90121);

    private TransientDatabaseError() {
    }

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof PessimisticLockingFailureException
                    || t instanceof CannotAcquireLockException || t instanceof RecoverableDataAccessException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException) {
                return true;
            }
            // the rollback after a broken connection fails too: what counts is what broke the transaction
            if (t instanceof org.springframework.transaction.TransactionSystemException failed
                    && failed.getApplicationException() != null && is(failed.getApplicationException())) return true;
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) return true;
            if (t instanceof SQLException sql && transientSql(sql)) return true;
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException) return true;
        }
        return false;
    }

    private static boolean transientSql(SQLException sql) {
        String state = sql.getSQLState();
        // the pool's answer on a connection it closed because it broke
        if ("Connection is closed".equals(sql.getMessage())) return true;
        if (state != null && (state.startsWith("08") || POSTGRES_STATES.contains(state))) return true;
        String product = sql.getClass().getName();
        return product.startsWith("org.h2.") && H2_CODES.contains(sql.getErrorCode());
    }

    /** The innermost message, for the warning logged instead of a stack trace. */
    public static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
