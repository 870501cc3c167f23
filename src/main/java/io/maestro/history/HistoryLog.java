package io.maestro.history;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.record.BatchInsert;
import io.maestro.core.record.ChangeLog;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordChangeListener;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Row;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes history in the transaction of each change, a batch at a time: closes the records'
 * current version rows, copies the new rows into {@code <table>_version} with their API
 * documents, the links that changed ({@link LinkHistory}), and appends {@code record_change}
 * entries with the changed fields. Secrets are compared sealed and shown as {@code "***"}.
 * Every change passes here, so the {@link RecordChangeListener}s hear them here, in the same transaction.
 */
@Component
public class HistoryLog implements ChangeLog {
    private final NamedParameterJdbcTemplate jdbc;
    private final RecordStore store;
    private final Dialect dialect;
    private final BatchInsert batchInsert;
    private final LinkHistory links;
    private final List<RecordChangeListener> listeners;

    public HistoryLog(NamedParameterJdbcTemplate jdbc, RecordStore store, Dialect dialect, BatchInsert batchInsert, LinkHistory links,
                      List<RecordChangeListener> listeners) {
        this.links = links;
        this.listeners = listeners;
        this.jdbc = jdbc;
        this.store = store;
        this.dialect = dialect;
        this.batchInsert = batchInsert;
    }

    /** A version row: its document and its sealed secret columns. */
    private record Version(Map<String, Object> doc, Map<String, String> secrets) {
    }

    @Override
    public void recordAll(Kind kind, List<Change> changes, String actor, OffsetDateTime at) {
        if (changes.isEmpty()) return;
        String versions = kind.table() + "_version";
        List<UUID> notNew = changes.stream().filter(c -> !"create".equals(c.action())).map(Change::id).toList();
        Map<UUID, Version> previous = previous(kind, notNew);
        if (!notNew.isEmpty()) {
            jdbc.update("UPDATE " + versions + " SET valid_to = :at WHERE id IN (:ids) AND valid_to IS NULL", Map.of("at", at, "ids", notNew));
        }
        Map<UUID, Row> rows = rows(kind, changes);
        List<Row> written = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (Change c : changes) {
            if (c.doc() == null) continue;
            written.add(rows.get(c.id()));
            docs.add(Json.write(c.doc()));
        }
        store.insertVersions(kind, written, docs, at);
        links.record(kind, changes.stream().map(c -> new LinkHistory.Change(c.id(), "create".equals(c.action()) ? Map.of()
                : previous.containsKey(c.id()) ? previous.get(c.id()).doc() : null, c.doc())).toList(), at);
        List<Object[]> entries = new ArrayList<>();
        List<RecordChangeListener.Event> events = new ArrayList<>();
        for (Change c : changes) {
            Version before = previous.get(c.id());
            Map<String, Object> beforeDoc = before == null ? null : before.doc();
            Map<String, Object> source = c.doc() != null ? c.doc() : beforeDoc == null ? Map.of() : beforeDoc;
            Object version = source.getOrDefault("version", 0L);
            Object team = source.get("team_id");
            // a create's changes are its whole first version: derived from the version row when read (createChanges)
            Map<String, String> afterSecrets = c.doc() == null ? Map.of() : sealed(kind, rows.get(c.id()).values());
            List<Map<String, Object>> fields = "create".equals(c.action()) && listeners.isEmpty() ? null
                    : changes(beforeDoc, before == null ? Map.of() : before.secrets(), c.doc(), afterSecrets);
            String diff = "create".equals(c.action()) ? null : Json.write(fields);
            if (!listeners.isEmpty()) {
                events.add(new RecordChangeListener.Event(c.id(), c.action(), ((Number) version).longValue(),
                        team == null ? null : UUID.fromString(team.toString()), source, fields));
            }
            entries.add(new Object[] {kind.collection(), c.id(), ((Number) version).longValue(),
                    team == null ? null : UUID.fromString(team.toString()), at, actor.length() > 255 ? actor.substring(0, 255) : actor,
                    c.action(), diff});
        }
        batchInsert.insert("record_change", List.of("kind", "record_id", "version", "team_id", "at", "actor", "action", "changes"),
                Set.of("changes"), entries);
        for (RecordChangeListener listener : listeners) listener.changed(kind, events, actor, at);
    }

    /** Fields by path with old and new values, relation lists as added/removed, secrets as "***". */
    private static List<Map<String, Object>> changes(Map<String, Object> beforeDoc, Map<String, String> beforeSecrets,
                                                     Map<String, Object> afterDoc, Map<String, String> afterSecrets) {
        List<Map<String, Object>> diff = Diff.between(beforeDoc, afterDoc);
        diff.addAll(Diff.secrets(beforeSecrets, afterSecrets));
        return diff;
    }

    /**
     * The changes of create entries, which are not stored: each is its record's first version
     * (the version row valid from the entry's time) compared with nothing. Keyed by {@link #createKey}.
     */
    public Map<String, List<Map<String, Object>>> createChanges(Kind kind, List<UUID> ids, List<OffsetDateTime> times) {
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        if (ids.isEmpty()) return out;
        versions(kind, "valid_from IN (:times)", ids, Map.of("times", times), (id, validFrom, version) ->
                out.put(createKey(id, validFrom), changes(null, Map.of(), version.doc(), version.secrets())));
        return out;
    }

    public static String createKey(UUID id, OffsetDateTime at) {
        return id + "@" + at.toInstant();
    }

    /** The stored rows of the changed records: handed over by the writer, else read. */
    private Map<UUID, Row> rows(Kind kind, List<Change> changes) {
        Map<UUID, Row> out = new HashMap<>();
        List<UUID> missing = new ArrayList<>();
        for (Change c : changes) {
            if (c.doc() == null) continue;
            if (c.row() != null) out.put(c.id(), c.row());
            else missing.add(c.id());
        }
        store.findAll(kind, missing).forEach(r -> out.put(r.id(), r));
        return out;
    }

    /** Sealed secrets of a row's values by "column[entry name].secret". */
    private Map<String, String> sealed(Kind kind, Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String column : secretColumns(kind)) {
            collectSealed(column, values.get(column), out);
        }
        return out;
    }

    private static void collectSealed(String column, Object list, Map<String, String> out) {
        if (!(list instanceof List<?> items)) return;
        for (Object item : items) {
            if (item instanceof Map<?, ?> m && m.get("secret") != null) {
                out.put(column + "[" + m.get("name") + "].secret", String.valueOf(m.get("secret")));
            }
        }
    }

    private Map<UUID, Version> previous(Kind kind, List<UUID> ids) {
        Map<UUID, Version> out = new HashMap<>();
        if (!ids.isEmpty()) versions(kind, "valid_to IS NULL", ids, Map.of(), (id, validFrom, version) -> out.put(id, version));
        return out;
    }

    private interface VersionConsumer {
        void accept(UUID id, OffsetDateTime validFrom, Version version);
    }

    /** Version rows of {@code ids} matching {@code condition}: each one's document and sealed secrets, in one query. */
    @SuppressWarnings("unchecked")
    private void versions(Kind kind, String condition, List<UUID> ids, Map<String, Object> params, VersionConsumer consumer) {
        List<String> secretColumns = secretColumns(kind);
        String secrets = secretColumns.stream().map(c -> ", " + dialect.jsonText(c) + " AS " + c).collect(java.util.stream.Collectors.joining());
        Map<String, Object> all = new HashMap<>(params);
        all.put("ids", ids);
        jdbc.query("SELECT id, valid_from, " + dialect.jsonText("doc") + " AS doc" + secrets + " FROM " + kind.table()
                + "_version WHERE id IN (:ids) AND " + condition, all, rs -> {
            Map<String, String> sealed = new LinkedHashMap<>();
            for (String column : secretColumns) {
                String json = rs.getString(column);
                collectSealed(column, json == null ? null : Json.parse(json), sealed);
            }
            consumer.accept(rs.getObject("id", UUID.class), rs.getObject("valid_from", OffsetDateTime.class),
                    new Version((Map<String, Object>) Json.parse(rs.getString("doc")), sealed));
        });
    }

    private List<String> secretColumns(Kind kind) {
        return store.columns(kind).stream()
                .filter(c -> c.field().type == Field.Type.LIST && c.field().item() != null
                        && c.field().item().children().values().stream().anyMatch(f -> f.type == Field.Type.SECRET))
                .map(RecordStore.Column::name).toList();
    }
}
