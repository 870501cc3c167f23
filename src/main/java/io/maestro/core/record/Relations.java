package io.maestro.core.record;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one place relations live: {@code relation(src_kind, src_id, field, dst_kind, dst_id, attr)}.
 * Written on the owning side (an application's server_ids), readable from both.
 */
@Repository
public class Relations {
    private final NamedParameterJdbcTemplate jdbc;

    public Relations(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One stored link. */
    public record Edge(String srcKind, UUID srcId, String field, String dstKind, UUID dstId, String attr) {
    }

    public void replace(Kind kind, UUID id, Map<String, List<Draft.Link>> links) {
        replaceAll(kind, Map.of(id, links));
    }

    /** Replaces the links owned by each record with one delete and one batch insert. */
    public void replaceAll(Kind kind, Map<UUID, Map<String, List<Draft.Link>>> linksById) {
        if (linksById.isEmpty()) return;
        jdbc.update("DELETE FROM relation WHERE src_id IN (:ids)", Map.of("ids", linksById.keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        linksById.forEach((id, links) -> links.forEach((field, list) -> {
            int position = 0;
            for (Draft.Link l : list) {
                Map<String, Object> r = new HashMap<>();
                r.put("src_kind", kind.collection());
                r.put("src_id", id);
                r.put("field", field);
                r.put("dst_kind", l.targetKind());
                r.put("dst_id", l.target());
                r.put("attr", l.attribute());
                r.put("position", position++);
                rows.add(r);
            }
        }));
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO relation (src_kind, src_id, field, dst_kind, dst_id, attr, position) "
                    + "VALUES (:src_kind, :src_id, :field, :dst_kind, :dst_id, :attr, :position)", RecordStore.batch(rows));
        }
    }

    /** Links pointing at {@code id}, from any kind, in a stable order (a read's {@code via} lists do not shuffle). */
    public List<Edge> to(UUID id) {
        return jdbc.query("SELECT src_kind, src_id, field, dst_kind, dst_id, attr FROM relation WHERE dst_id = :id ORDER BY src_kind, src_id, field",
                Map.of("id", id), (rs, i) -> new Edge(rs.getString("src_kind"), rs.getObject("src_id", UUID.class),
                        rs.getString("field"), rs.getString("dst_kind"), rs.getObject("dst_id", UUID.class), rs.getString("attr")));
    }

    public void deleteTo(UUID id) {
        jdbc.update("DELETE FROM relation WHERE dst_id = :id", Map.of("id", id));
    }

    public void deleteFrom(UUID id) {
        jdbc.update("DELETE FROM relation WHERE src_id = :id", Map.of("id", id));
    }
}
