package io.maestro.core.record;

import io.maestro.core.Json;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Who owns each field a source set on a record (table {@code record_field_owner}): the source
 * (its later runs keep the field current) or a person (who changed it after the source set it: kept,
 * and reported as {@code drift} while it differs from what the source last observed). Only records
 * a source brought in or touched have rows; manual records cost nothing here.
 */
@Repository
public class FieldOwners implements RecordChangeListener {
    public static final String SOURCE = "source";
    public static final String PERSON = "person";
    private static final int CHUNK = 1000;

    private final NamedParameterJdbcTemplate jdbc;

    public FieldOwners(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One field of one record: its owner and the value its source last observed (a JSON value). */
    public record Owned(String field, String owner, Object observed) {
    }

    /** The owned fields of {@code ids}, by record, in field order. */
    public Map<UUID, Map<String, Owned>> of(Collection<UUID> ids) {
        Map<UUID, Map<String, Owned>> out = new HashMap<>();
        List<UUID> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += CHUNK) {
            jdbc.query("SELECT record_id, field, owner, observed FROM record_field_owner WHERE record_id IN (:ids) ORDER BY field",
                    Map.of("ids", all.subList(i, Math.min(all.size(), i + CHUNK))), rs -> {
                        String observed = rs.getString("observed");
                        out.computeIfAbsent(rs.getObject("record_id", UUID.class), k -> new LinkedHashMap<>())
                                .put(rs.getString("field"), new Owned(rs.getString("field"), rs.getString("owner"),
                                        observed == null ? null : Json.parse(observed)));
                    });
        }
        return out;
    }

    /** Replaces the owned fields of each record given (one delete and one batch insert per chunk). */
    public void replace(Kind kind, Map<UUID, Collection<Owned>> byRecord) {
        List<UUID> ids = new ArrayList<>(byRecord.keySet());
        for (int i = 0; i < ids.size(); i += CHUNK) {
            List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
            jdbc.update("DELETE FROM record_field_owner WHERE record_id IN (:ids)", Map.of("ids", chunk));
            List<SqlParameterSource> rows = new ArrayList<>();
            for (UUID id : chunk) {
                for (Owned o : byRecord.get(id)) {
                    rows.add(new MapSqlParameterSource().addValue("id", id).addValue("kind", kind.collection()).addValue("field", o.field())
                            .addValue("owner", o.owner()).addValue("observed", o.observed() == null ? null : Json.write(o.observed())));
                }
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO record_field_owner (record_id, kind, field, owner, observed) VALUES (:id, :kind, :field, :owner, :observed)",
                        rows.toArray(SqlParameterSource[]::new));
            }
        }
    }

    public void setOwner(UUID id, String field, String owner) {
        jdbc.update("UPDATE record_field_owner SET owner = :owner WHERE record_id = :id AND field = :field",
                Map.of("id", id, "field", field, "owner", owner));
    }

    /** A field's value in an API document by dotted path ({@code os.base}). */
    public static Object valueAt(Map<String, Object> doc, String path) {
        Object v = doc;
        for (String part : path.split("\\.")) v = v instanceof Map<?, ?> m ? m.get(part) : null;
        return v;
    }

    /** Whether two JSON values say the same (numbers by value, empty lists as nothing, nulls in objects ignored). */
    public static boolean same(Object a, Object b) {
        return Objects.equals(BulkService.normal(a), BulkService.normal(b));
    }

    /** {@code [{field, discovered, current}]} of a record: owned fields whose value differs from what its source observed. */
    public static List<Map<String, Object>> drift(Collection<Owned> owned, Map<String, Object> doc) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Owned o : owned) {
            Object current = valueAt(doc, o.field());
            if (same(current, o.observed())) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("field", o.field());
            d.put("discovered", o.observed());
            d.put("current", current);
            out.add(d);
        }
        return out;
    }

    /** Replaces each rendered document's {@code drift} flag with its entries (only records a source knows are looked up). */
    void renderDrift(List<Row> rows, List<Map<String, Object>> docs) {
        List<UUID> sourced = rows.stream().filter(FieldOwners::sourced).map(Row::id).toList();
        renderDrift(rows, docs, sourced.isEmpty() ? Map.of() : of(sourced));
    }

    /** The same with the owned fields already read (GET by id reads them with the record). */
    void renderDrift(List<Row> rows, List<Map<String, Object>> docs, Map<UUID, Map<String, Owned>> owned) {
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Owned> fields = sourced(rows.get(i)) ? owned.get(rows.get(i).id()) : null;
            docs.get(i).put("drift", fields == null ? List.of() : drift(fields.values(), docs.get(i)));
        }
    }

    /** Whether a source brought the record in or touched it (only those have owned fields). */
    private static boolean sourced(Row row) {
        Object type = row.values().get("source.type");
        return type != null && !Provenance.MANUAL.equals(type);
    }

    /**
     * After a person's write (not a source's: the reconciler keeps its own books): a field the source
     * owned that now differs from what it observed became the person's, and the record's drift flag
     * (the list filter {@code drift=true}) follows its entries.
     */
    @Override
    public void changed(Kind kind, List<Event> events, String actor, OffsetDateTime at) {
        if (Provenance.sourceWriting()) return;
        Map<UUID, Map<String, Object>> docs = new LinkedHashMap<>();
        for (Event e : events) {
            if ("delete".equals(e.action())) continue;
            Object type = FieldOwners.valueAt(e.record(), "source.type");
            if (type != null && !Provenance.MANUAL.equals(type)) docs.put(e.id(), e.record());
        }
        if (docs.isEmpty()) return;
        Map<UUID, Map<String, Owned>> owned = of(docs.keySet());
        List<SqlParameterSource> flips = new ArrayList<>();
        List<SqlParameterSource> flags = new ArrayList<>();
        owned.forEach((id, fields) -> {
            Map<String, Object> doc = docs.get(id);
            boolean drifting = false;
            for (Owned o : fields.values()) {
                if (same(valueAt(doc, o.field()), o.observed())) continue;
                drifting = true;
                if (SOURCE.equals(o.owner())) {
                    flips.add(new MapSqlParameterSource().addValue("id", id).addValue("field", o.field()).addValue("owner", PERSON));
                }
            }
            flags.add(new MapSqlParameterSource().addValue("id", id).addValue("drift", drifting));
        });
        if (!flips.isEmpty()) {
            jdbc.batchUpdate("UPDATE record_field_owner SET owner = :owner WHERE record_id = :id AND field = :field", flips.toArray(SqlParameterSource[]::new));
        }
        if (!flags.isEmpty()) {
            jdbc.batchUpdate("UPDATE " + kind.table() + " SET drift = :drift WHERE id = :id", flags.toArray(SqlParameterSource[]::new));
        }
    }
}
