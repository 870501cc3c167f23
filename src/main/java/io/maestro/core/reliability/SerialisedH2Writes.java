package io.maestro.core.reliability;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

import javax.sql.DataSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transaction manager. On H2 (single node, embedded) write transactions take turns in this
 * JVM, first come first served, before they take a connection: concurrent writers of one row
 * then never wait on H2's row locks (whose timeout answered "Timeout trying to lock table" under
 * load) and never race on its index entries ("Row not found when trying to delete from index
 * public.server_updated_at"), and readers still get connections while writers queue. A write is
 * a few milliseconds, so the queue stays short. PostgreSQL keeps its row locks and runs writes
 * in parallel.
 */
public class SerialisedH2Writes extends JdbcTransactionManager {
    private final boolean serialise;
    private final long waitMillis;
    private final ReentrantLock writes = new ReentrantLock(true);
    /** Per thread, for each transaction begun and not yet cleaned up (nested ones too): whether it holds the lock. */
    private final ThreadLocal<java.util.ArrayDeque<Boolean>> holds = ThreadLocal.withInitial(java.util.ArrayDeque::new);

    public SerialisedH2Writes(DataSource dataSource, boolean serialise, long waitMillis) {
        super(dataSource);
        this.serialise = serialise;
        this.waitMillis = waitMillis;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        boolean locked = false;
        if (serialise && !definition.isReadOnly()) {
            try {
                locked = writes.tryLock(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!locked) throw new CannotAcquireLockException("waited " + waitMillis + " ms for the writes before this one");
        }
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            if (locked) writes.unlock();
            throw e;
        }
        holds.get().push(locked);
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            Boolean locked = holds.get().poll();
            if (Boolean.TRUE.equals(locked)) writes.unlock();
        }
    }
}
