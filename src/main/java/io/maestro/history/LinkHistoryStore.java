package io.maestro.history;

import io.maestro.core.record.BatchInsert;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The history of links (relations, tags, service entries) in {@code relation_version},
 * {@code record_tag_version} and {@code server_service_version}: one row per link with its
 * validity range, so as_of lists filter by links with the same indexed subqueries as live lists,
 * and reads show who linked a record then. Version documents hold the same links, but filtering
 * on them would need a JSON index PostgreSQL has (GIN) and H2 has not.
 * <p>
 * Every change of a record's links is a new version of it (writes, bulk, restore, cascades,
 * automatic service entries), so the links are compared here, per changed record, between its
 * previous version's document and the new one: when they differ, its open rows are closed and
 * the new set opened. No extra reads; a batch's rows go in one COPY on PostgreSQL.
 */
@Repository
class LinkHistoryStore {
    /** A history table: its owner column, its other columns, and the links of a record's document as their values. */
    private record Table(String name, String owner, List<String> columns, BiFunction<Kind, Map<String, Object>, Set<List<Object>>> links) {
    }

    private static final List<Table> ALL = List.of(
            new Table("relation_version", "src_id", List.of("src_kind", "field", "dst_id"), LinkHistoryStore::relations),
            new Table("record_tag_version", "record_id", List.of("kind", "tag_key", "tag_value"), LinkHistoryStore::tags),
            new Table("server_service_version", "server_id", List.of("service_id"), LinkHistoryStore::services));

    private final NamedParameterJdbcTemplate jdbc;
    private final BatchInsert batchInsert;

    LinkHistoryStore(NamedParameterJdbcTemplate jdbc, BatchInsert batchInsert) {
        this.jdbc = jdbc;
        this.batchInsert = batchInsert;
    }

    /**
     * One record's change: its previous document (empty for a create; null when it has no previous
     * version to compare with, which closes whatever is open) and its new one (null after a delete).
     */
    record Change(UUID id, Map<String, Object> before, Map<String, Object> after) {
    }

    void record(Kind kind, List<Change> changes, OffsetDateTime at) {
        for (Table table : ALL) {
            List<UUID> close = new ArrayList<>();
            List<Object[]> open = new ArrayList<>();
            for (Change c : changes) {
                Set<List<Object>> before = c.before() == null ? null : table.links().apply(kind, c.before());
                Set<List<Object>> after = table.links().apply(kind, c.after());
                if (Objects.equals(before, after)) continue;
                if (before == null || !before.isEmpty()) close.add(c.id());
                for (List<Object> link : after) {
                    List<Object> row = new ArrayList<>();
                    row.add(c.id());
                    row.addAll(link);
                    row.add(at);
                    open.add(row.toArray());
                }
            }
            if (!close.isEmpty()) {
                jdbc.update("UPDATE " + table.name() + " SET valid_to = :at WHERE " + table.owner() + " IN (:ids) AND valid_to IS NULL",
                        Map.of("at", at, "ids", close));
            }
            List<String> columns = new ArrayList<>();
            columns.add(table.owner());
            columns.addAll(table.columns());
            columns.add("valid_from");
            batchInsert.insert(table.name(), columns, Set.of(), open);
        }
    }

    /** (kind, field, target) of each link in the document's relation fields; a link with an attribute is {target_id, ...}. */
    private static Set<List<Object>> relations(Kind kind, Map<String, Object> doc) {
        Set<List<Object>> out = new LinkedHashSet<>();
        if (doc == null) return out;
        for (Field f : kind.fields()) {
            if (f.type != Field.Type.REFS || !(doc.get(f.name) instanceof List<?> links)) continue;
            for (Object l : links) {
                Object target = l instanceof Map<?, ?> m ? m.get("target_id") : l;
                out.add(List.of(kind.collection(), f.name, UUID.fromString(String.valueOf(target))));
            }
        }
        return out;
    }

    private static Set<List<Object>> tags(Kind kind, Map<String, Object> doc) {
        Set<List<Object>> out = new LinkedHashSet<>();
        if (doc != null && doc.get("tags") instanceof List<?> tags) {
            for (Object t : tags) {
                Map<?, ?> tag = (Map<?, ?>) t;
                out.add(java.util.Arrays.asList(kind.collection(), tag.get("key"), tag.get("value")));
            }
        }
        return out;
    }

    /** The services on a server, whoever put them there (a service filter matches either). */
    private static Set<List<Object>> services(Kind kind, Map<String, Object> doc) {
        Set<List<Object>> out = new LinkedHashSet<>();
        if (doc != null && doc.get("services") instanceof List<?> entries) {
            for (Object e : entries) out.add(List.of(UUID.fromString(String.valueOf(((Map<?, ?>) e).get("service_id")))));
        }
        return out;
    }

    /** Deletes links that ended before {@code cutoff} (history retention); returns the rows removed. */
    int prune(OffsetDateTime cutoff) {
        int removed = 0;
        for (Table table : ALL) {
            removed += jdbc.update("DELETE FROM " + table.name() + " WHERE valid_to IS NOT NULL AND valid_to < :cutoff", Map.of("cutoff", cutoff));
        }
        return removed;
    }
}
