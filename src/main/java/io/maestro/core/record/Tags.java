package io.maestro.core.record;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Key/value tags of every kind, in one table so {@code tag=key:value} filters use one index. */
@Repository
public class Tags {
    private final NamedParameterJdbcTemplate jdbc;

    public Tags(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void replace(Kind kind, UUID id, List<Draft.Tag> tags) {
        replaceAll(kind, Map.of(id, tags));
    }

    /** Replaces the tags of each record with one delete and one batch insert. */
    public void replaceAll(Kind kind, Map<UUID, List<Draft.Tag>> tagsById) {
        if (tagsById.isEmpty()) return;
        jdbc.update("DELETE FROM record_tag WHERE record_id IN (:ids)", Map.of("ids", tagsById.keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        tagsById.forEach((id, tags) -> {
            for (int i = 0; i < tags.size(); i++) {
                Map<String, Object> r = new HashMap<>();
                r.put("kind", kind.collection());
                r.put("id", id);
                r.put("k", tags.get(i).key());
                r.put("v", tags.get(i).value());
                r.put("position", i);
                rows.add(r);
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO record_tag (kind, record_id, tag_key, tag_value, position) VALUES (:kind, :id, :k, :v, :position)",
                    RecordStore.batch(rows));
        }
    }

    public void delete(UUID id) {
        jdbc.update("DELETE FROM record_tag WHERE record_id = :id", Map.of("id", id));
    }
}
