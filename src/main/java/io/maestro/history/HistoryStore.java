package io.maestro.history;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.maestro.core.Dialect;
import io.maestro.core.access.AccessPolicy;
import io.maestro.core.access.Caller;
import io.maestro.core.record.BatchInsert;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * SQL of history: the change log ({@code record_change}) and the records' version tables
 * ({@code <table>_version}); the links' history tables are {@link LinkHistoryStore}'s. The reads
 * of the change log are limited by the {@link AccessPolicy}'s history predicate.
 */
@Repository
class HistoryStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;
    private final BatchInsert batchInsert;
    private final Kinds kinds;
    private final AccessPolicy policy;
    private final DataSource dataSource;

    HistoryStore(NamedParameterJdbcTemplate jdbc, Dialect dialect, BatchInsert batchInsert, Kinds kinds, AccessPolicy policy, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.batchInsert = batchInsert;
        this.kinds = kinds;
        this.policy = policy;
        this.dataSource = dataSource;
    }

    // ---- the change log

    /** A change log entry; {@code changes} is its JSON text, null for a create (derived from its first version). */
    record Entry(long seq, OffsetDateTime at, String actor, String action, long version, String kind, UUID recordId, String changes) {
    }

    /** The feed's filters, each optional; {@code before}: entries older than this seq (the cursor). */
    record Feed(OffsetDateTime since, OffsetDateTime until, String kind, String actor, String action, Long before) {
    }

    private static final String ENTRY_COLUMNS = "c.seq, c.at, c.actor, c.action, c.version, c.kind, c.record_id, ";

    /** How many entries of one record the caller may read. */
    long countOf(Kind kind, UUID id, Caller caller) {
        Map<String, Object> params = new HashMap<>();
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_change c WHERE " + ofRecord(kind, id, caller, params), params, Long.class);
        return n == null ? 0 : n;
    }

    /** A page of one record's entries the caller may read, newest first. */
    List<Entry> entriesOf(Kind kind, UUID id, Caller caller, long limit, long offset) {
        Map<String, Object> params = new HashMap<>();
        String where = ofRecord(kind, id, caller, params);
        params.put("limit", limit);
        params.put("offset", offset);
        return jdbc.query("SELECT " + ENTRY_COLUMNS + dialect.jsonText("c.changes") + " AS changes FROM record_change c WHERE " + where
                + " ORDER BY c.seq DESC LIMIT :limit OFFSET :offset", params, HistoryStore::entry);
    }

    private String ofRecord(Kind kind, UUID id, Caller caller, Map<String, Object> params) {
        params.put("id", id);
        params.put("kind", kind.collection());
        return "c.record_id = :id AND c.kind = :kind AND " + policy.historyPredicate(caller, "c", params);
    }

    /** Whether the record exists now and the scope may read it. */
    boolean readableNow(Kind kind, UUID id, Scope scope) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + " t WHERE t.id = :id AND " + scope.predicate(kind, "t", p), p, Long.class);
        return n != null && n > 0;
    }

    /** Up to {@code limit} entries of the feed the caller may read, newest first. */
    List<Entry> feed(Feed f, Caller caller, int limit) {
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        where.add(policy.historyPredicate(caller, "c", params));
        if (f.since() != null) { where.add("c.at >= :since"); params.put("since", f.since()); }
        if (f.until() != null) { where.add("c.at <= :until"); params.put("until", f.until()); }
        if (f.kind() != null) { where.add("c.kind = :kind"); params.put("kind", f.kind()); }
        if (f.actor() != null) { where.add("c.actor = :actor"); params.put("actor", f.actor()); }
        if (f.action() != null) { where.add("c.action = :action"); params.put("action", f.action()); }
        if (f.before() != null) { where.add("c.seq < :cursor"); params.put("cursor", f.before()); }
        params.put("limit", limit);
        return jdbc.query("SELECT " + ENTRY_COLUMNS + dialect.jsonText("c.changes") + " AS changes FROM record_change c WHERE "
                + String.join(" AND ", where) + " ORDER BY c.seq DESC LIMIT :limit", params, HistoryStore::entry);
    }

    private static Entry entry(ResultSet rs, int i) throws SQLException {
        return new Entry(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class), rs.getString("actor"), rs.getString("action"),
                rs.getLong("version"), rs.getString("kind"), rs.getObject("record_id", UUID.class), rs.getString("changes"));
    }

    /** Appends entries: kind, record_id, version, team_id, at, actor, action, changes (JSON) each. */
    void appendChanges(List<Object[]> entries) {
        batchInsert.insert("record_change", List.of("kind", "record_id", "version", "team_id", "at", "actor", "action", "changes"),
                Set.of("changes"), entries);
    }

    // ---- versions

    /** A version row: when it became valid, its API document (JSON text) and its secret columns (JSON text) by name. */
    record VersionRow(UUID id, OffsetDateTime validFrom, String doc, Map<String, String> secretColumns) {
    }

    /** Ends the open versions of {@code ids} at {@code at}. */
    void closeVersions(Kind kind, List<UUID> ids, OffsetDateTime at) {
        if (ids.isEmpty()) return;
        jdbc.update("UPDATE " + kind.table() + "_version SET valid_to = :at WHERE id IN (:ids) AND valid_to IS NULL", Map.of("at", at, "ids", ids));
    }

    /** The open (current) versions of {@code ids}. */
    List<VersionRow> currentVersions(Kind kind, List<UUID> ids, List<String> secretColumns) {
        return versions(kind, "valid_to IS NULL", ids, Map.of(), secretColumns);
    }

    /** The versions of {@code ids} that became valid at one of {@code times}. */
    List<VersionRow> versionsFrom(Kind kind, List<UUID> ids, List<OffsetDateTime> times, List<String> secretColumns) {
        return versions(kind, "valid_from IN (:times)", ids, Map.of("times", times), secretColumns);
    }

    private List<VersionRow> versions(Kind kind, String condition, List<UUID> ids, Map<String, Object> params, List<String> secretColumns) {
        if (ids.isEmpty()) return List.of();
        String secrets = secretColumns.stream().map(c -> ", " + dialect.jsonText(c) + " AS " + c).collect(Collectors.joining());
        Map<String, Object> all = new HashMap<>(params);
        all.put("ids", ids);
        return jdbc.query("SELECT id, valid_from, " + dialect.jsonText("doc") + " AS doc" + secrets + " FROM " + kind.table()
                + "_version WHERE id IN (:ids) AND " + condition, all, (rs, i) -> {
            Map<String, String> sealed = new LinkedHashMap<>();
            for (String column : secretColumns) sealed.put(column, rs.getString(column));
            return new VersionRow(rs.getObject("id", UUID.class), rs.getObject("valid_from", OffsetDateTime.class), rs.getString("doc"), sealed);
        });
    }

    // ---- retention

    /** Deletes change entries before {@code cutoff} and versions that ended before it; returns the rows removed. */
    int prune(OffsetDateTime cutoff) {
        int removed = jdbc.update("DELETE FROM record_change WHERE at < :cutoff", Map.of("cutoff", cutoff));
        for (Kind kind : kinds.all()) {
            removed += jdbc.update("DELETE FROM " + kind.table() + "_version WHERE valid_to IS NOT NULL AND valid_to < :cutoff",
                    Map.of("cutoff", cutoff));
        }
        return removed;
    }

    /** A db-scheduler for {@code task}: its task rows live in this database, so one node runs each execution. */
    Scheduler scheduler(RecurringTask<?> task, Duration polling) {
        return Scheduler.create(dataSource).startTasks(task).threads(1).pollingInterval(polling).build();
    }
}
