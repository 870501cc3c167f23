package io.maestro.core.cluster;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters in the database that say "what you remember of X is stale" to every node of a cluster
 * (table {@code cluster_version}). A node keeps caches (callers, password checks) tagged with the
 * counter they were filled under and trusts them only while it is unchanged. Reading the counter
 * is one primary-key lookup, done at most every {@link #RECHECK_MILLIS} per counter and node, so
 * a change made on another node is seen within that time; a change made here is seen at once.
 */
@Repository
public class ClusterVersion {
    /** How stale a node's view of a counter may be: well inside the 1 s a revocation may take to reach every node. */
    static final long RECHECK_MILLIS = 200;

    private final JdbcClient jdbc;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(long version, long checkedAt) {
    }

    public ClusterVersion(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The counter {@code name} as this node last read it, re-read when older than {@link #RECHECK_MILLIS}. */
    public long current(String name) {
        long now = System.nanoTime();
        Seen s = seen.get(name);
        if (s != null && now - s.checkedAt < RECHECK_MILLIS * 1_000_000) return s.version;
        long v = jdbc.sql("SELECT version FROM cluster_version WHERE name = :n").param("n", name).query(Long.class).optional().orElse(0L);
        seen.put(name, new Seen(v, now));
        return v;
    }

    /**
     * Moves the counter {@code name} on, in the caller's transaction when there is one (other
     * nodes see it when that commits), and makes this node read it afresh at once and again
     * after the commit.
     */
    public void bump(String name) {
        int n = jdbc.sql("UPDATE cluster_version SET version = version + 1 WHERE name = :n").param("n", name).update();
        if (n == 0) { // a counter's first change (two nodes may make it at once)
            jdbc.sql("INSERT INTO cluster_version (name, version) VALUES (:n, 0) ON CONFLICT DO NOTHING").param("n", name).update();
            jdbc.sql("UPDATE cluster_version SET version = version + 1 WHERE name = :n").param("n", name).update();
        }
        seen.remove(name);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    seen.remove(name);
                }
            });
        }
    }
}
