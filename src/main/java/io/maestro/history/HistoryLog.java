package io.maestro.history;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.record.ChangeLog;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordStore;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes history in the transaction of each change: closes the record's current version row,
 * copies the new row into {@code <table>_version} with its API document, and appends a
 * {@code record_change} entry with the changed fields. Secrets are compared sealed and shown
 * as {@code "***"}.
 */
@Component
public class HistoryLog implements ChangeLog {
    static final String MASK = "***";

    private final NamedParameterJdbcTemplate jdbc;
    private final RecordStore store;
    private final Dialect dialect;

    public HistoryLog(NamedParameterJdbcTemplate jdbc, RecordStore store, Dialect dialect) {
        this.jdbc = jdbc;
        this.store = store;
        this.dialect = dialect;
    }

    @Override
    public void record(Kind kind, UUID id, String action, String actor, Map<String, Object> doc, OffsetDateTime at) {
        String versions = kind.table() + "_version";
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("at", at);
        Previous previous = previous(kind, id);
        jdbc.update("UPDATE " + versions + " SET valid_to = :at WHERE id = :id AND valid_to IS NULL", params);
        String columns = columnList(kind);
        if (doc != null) {
            params.put("doc", Json.write(doc));
            jdbc.update("INSERT INTO " + versions + " (" + columns + ", valid_from, valid_to, doc) SELECT " + columns
                    + ", :at, NULL, " + dialect.jsonParam("doc") + " FROM " + kind.table() + " WHERE id = :id", params);
        }
        List<Map<String, Object>> changes = Diff.between(previous == null ? null : previous.doc, doc);
        changes.addAll(secretChanges(kind, previous, doc == null ? null : id));
        Object version = doc != null ? doc.get("version") : previous == null ? 0L : previous.doc.get("version");
        Object team = doc != null ? doc.get("team_id") : previous == null ? null : previous.doc.get("team_id");
        Map<String, Object> entry = new HashMap<>();
        entry.put("kind", kind.collection());
        entry.put("id", id);
        entry.put("version", ((Number) version).longValue());
        entry.put("team", team == null ? null : UUID.fromString(team.toString()));
        entry.put("at", at);
        entry.put("actor", actor.length() > 255 ? actor.substring(0, 255) : actor);
        entry.put("action", action);
        entry.put("changes", Json.write(changes));
        jdbc.update("INSERT INTO record_change (kind, record_id, version, team_id, at, actor, action, changes) "
                + "VALUES (:kind, :id, :version, :team, :at, :actor, :action, " + dialect.jsonParam("changes") + ")", entry);
    }

    private record Previous(Map<String, Object> doc, Map<String, String> secretColumns) {
    }

    @SuppressWarnings("unchecked")
    private Previous previous(Kind kind, UUID id) {
        List<String> secretCols = secretColumns(kind);
        String extra = secretCols.isEmpty() ? "" : ", " + secretCols.stream().map(dialect::jsonText).map(c -> c + " AS s_" + c.replace("::text", ""))
                .collect(Collectors.joining(", "));
        List<Previous> rows = jdbc.query("SELECT " + dialect.jsonText("doc") + " AS doc" + extra + " FROM " + kind.table()
                + "_version WHERE id = :id AND valid_to IS NULL", Map.of("id", id), (rs, i) -> {
            Map<String, String> secrets = new HashMap<>();
            for (String c : secretCols) secrets.put(c, rs.getString("s_" + c));
            return new Previous((Map<String, Object>) Json.parse(rs.getString("doc")), secrets);
        });
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A secret set, replaced or removed shows as a change from/to "***"; its value never appears. */
    private List<Map<String, Object>> secretChanges(Kind kind, Previous previous, UUID current) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String column : secretColumns(kind)) {
            Map<String, Object> before = secretsByName(previous == null ? null : previous.secretColumns.get(column));
            Map<String, Object> after = Map.of();
            if (current != null) {
                String now = jdbc.queryForObject("SELECT " + dialect.jsonText(column) + " FROM " + kind.table() + " WHERE id = :id",
                        Map.of("id", current), String.class);
                after = secretsByName(now);
            }
            java.util.Set<String> names = new java.util.LinkedHashSet<>(before.keySet());
            names.addAll(after.keySet());
            for (String name : names) {
                Object o = before.get(name);
                Object n = after.get(name);
                if (Objects.equals(o, n)) continue;
                Map<String, Object> c = new java.util.LinkedHashMap<>();
                c.put("field", column + "[" + name + "].secret");
                c.put("old", o == null ? null : MASK);
                c.put("new", n == null ? null : MASK);
                out.add(c);
            }
        }
        return out;
    }

    private static Map<String, Object> secretsByName(String json) {
        Map<String, Object> out = new HashMap<>();
        if (json == null) return out;
        if (Json.parse(json) instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && m.get("secret") != null) out.put(String.valueOf(m.get("name")), m.get("secret"));
            }
        }
        return out;
    }

    private List<String> secretColumns(Kind kind) {
        return store.columns(kind).stream()
                .filter(c -> c.field().type == Field.Type.LIST && c.field().item() != null
                        && c.field().item().children().values().stream().anyMatch(f -> f.type == Field.Type.SECRET))
                .map(RecordStore.Column::name).toList();
    }

    private String columnList(Kind kind) {
        List<String> cols = new ArrayList<>(List.of("id", "team_id", "version", "created_at", "updated_at"));
        store.columns(kind).forEach(c -> cols.add(c.name()));
        return String.join(", ", cols);
    }
}
