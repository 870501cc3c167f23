package io.maestro.history;

import io.maestro.core.Json;
import io.maestro.core.record.ChangeLog;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordChangeListener;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Row;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes history in the transaction of each change, a batch at a time: closes the records'
 * current version rows, copies the new rows into {@code <table>_version} with their API
 * documents, the links that changed ({@link LinkHistoryStore}), and appends {@code record_change}
 * entries with the changed fields. Secrets are compared sealed and shown as {@code "***"}.
 * Every change passes here, so the {@link RecordChangeListener}s hear them here, in the same transaction.
 */
@Component
public class HistoryLog implements ChangeLog {
    private final HistoryStore history;
    private final RecordStore store;
    private final LinkHistoryStore links;
    private final List<RecordChangeListener> listeners;

    HistoryLog(HistoryStore history, RecordStore store, LinkHistoryStore links,
                      List<RecordChangeListener> listeners) {
        this.links = links;
        this.listeners = listeners;
        this.history = history;
        this.store = store;
    }

    /** A version row: its document and its sealed secret columns. */
    private record Version(Map<String, Object> doc, Map<String, String> secrets) {
    }

    @Override
    public void recordAll(Kind kind, List<Change> changes, String actor, OffsetDateTime at) {
        if (changes.isEmpty()) return;
        List<UUID> notNew = changes.stream().filter(c -> !"create".equals(c.action())).map(Change::id).toList();
        Map<UUID, Version> previous = previous(kind, notNew);
        history.closeVersions(kind, notNew, at);
        Map<UUID, Row> rows = rows(kind, changes);
        List<Row> written = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (Change c : changes) {
            if (c.doc() == null) continue;
            written.add(rows.get(c.id()));
            docs.add(Json.write(c.doc()));
        }
        store.insertVersions(kind, written, docs, at);
        links.record(kind, changes.stream().map(c -> new LinkHistoryStore.Change(c.id(), "create".equals(c.action()) ? Map.of()
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
        history.appendChanges(entries);
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
        for (HistoryStore.VersionRow row : history.versionsFrom(kind, ids, times, secretColumns(kind))) {
            Version version = version(row);
            out.put(createKey(row.id(), row.validFrom()), changes(null, Map.of(), version.doc(), version.secrets()));
        }
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
        for (HistoryStore.VersionRow row : history.currentVersions(kind, ids, secretColumns(kind))) out.put(row.id(), version(row));
        return out;
    }

    /** A version row's document and its sealed secrets by "column[entry name].secret". */
    @SuppressWarnings("unchecked")
    private static Version version(HistoryStore.VersionRow row) {
        Map<String, String> sealed = new LinkedHashMap<>();
        row.secretColumns().forEach((column, json) -> collectSealed(column, json == null ? null : Json.parse(json), sealed));
        return new Version((Map<String, Object>) Json.parse(row.doc()), sealed);
    }

    private List<String> secretColumns(Kind kind) {
        return store.columns(kind).stream()
                .filter(c -> c.field().type == Field.Type.LIST && c.field().item() != null
                        && c.field().item().children().values().stream().anyMatch(f -> f.type == Field.Type.SECRET))
                .map(RecordStore.Column::name).toList();
    }
}
