package io.maestro.core.record;

import io.maestro.core.schema.Field.Type;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What records hold outside their own row: tags ({@code record_tag}), links they own
 * ({@code relation}) and, for servers, service entries ({@code server_service}), read for many
 * records in one statement. A read's statements were most of its cost (bench, GET by id): each
 * is a round trip to the database and back, so the three tables are read as one {@code UNION ALL}
 * whose rows say which part they are, in columns shared by the three shapes:
 *
 * <pre>
 *   part  rec        grp    pos       id1         id2        s1        s2         s3      s4
 *   TAG   record_id  ''     position  -           -          tag_key   tag_value  -       -
 *   LINK  src_id     field  position  dst_id      -          field     dst_kind   attr    -
 *   SVC   server_id  ''     position  service_id  source_id  name      version    status  origin
 * </pre>
 *
 * Ordered by part, record, then what orders each part (a link's field and position, a tag's or
 * service's position, a service's name), as each table was read on its own before.
 */
@Repository
public class RecordParts {
    static final int TAG = 0, LINK = 1, SVC = 2;

    private static final String TAGS = "SELECT " + TAG + " AS part, record_id AS rec, '' AS grp, position AS pos, "
            + "CAST(NULL AS UUID) AS id1, CAST(NULL AS UUID) AS id2, tag_key AS s1, tag_value AS s2, "
            + "CAST(NULL AS VARCHAR(255)) AS s3, CAST(NULL AS VARCHAR(255)) AS s4 FROM record_tag WHERE record_id IN (:ids)";
    private static final String LINKS = "SELECT " + LINK + ", src_id, field, position, dst_id, NULL, field, dst_kind, attr, NULL "
            + "FROM relation WHERE src_id IN (:ids)";
    private static final String SERVICES = "SELECT " + SVC + ", ss.server_id, '', ss.position, ss.service_id, ss.source_id, s.name, "
            + "ss.version, ss.status, ss.origin FROM server_service ss JOIN service s ON s.id = ss.service_id WHERE ss.server_id IN (:ids)";

    private final NamedParameterJdbcTemplate jdbc;

    public RecordParts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The parts of some records, by record id: links by field in the order written. */
    public record Parts(Map<UUID, List<Draft.Tag>> tags, Map<UUID, Map<String, List<Draft.Link>>> links,
                        Map<UUID, List<ServicePlacements.Placement>> services) {
    }

    /** Tags of {@code ids}, their links when {@code kind} has link fields, their services when it has services. */
    public Parts of(Kind kind, List<UUID> ids) {
        Parts out = empty();
        if (ids.isEmpty()) return out;
        jdbc.query(String.join(" UNION ALL ", branches(kind)) + " ORDER BY part, rec, grp, pos, s1", Map.of("ids", ids), rs -> {
            collect(rs, out);
        });
        return out;
    }

    static Parts empty() {
        return new Parts(new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    /** The SELECTs reading the parts of the records {@code :ids} of {@code kind}, to be joined with UNION ALL. */
    static List<String> branches(Kind kind) {
        List<String> branches = new ArrayList<>(List.of(TAGS));
        if (kind.fields().stream().anyMatch(f -> f.type == Type.REFS)) branches.add(LINKS);
        if (kind.fields().stream().anyMatch(f -> f.type == Type.SERVICES)) branches.add(SERVICES);
        return branches;
    }

    /** Adds the current row to {@code out} when it is a part (a statement may carry other rows); whether it was. */
    static boolean collect(ResultSet rs, Parts out) throws SQLException {
        int part = rs.getInt("part");
        if (part != TAG && part != LINK && part != SVC) return false;
        UUID rec = rs.getObject("rec", UUID.class);
        switch (part) {
            case TAG -> out.tags.computeIfAbsent(rec, k -> new ArrayList<>()).add(new Draft.Tag(rs.getString("s1"), rs.getString("s2")));
            case LINK -> out.links.computeIfAbsent(rec, k -> new LinkedHashMap<>()).computeIfAbsent(rs.getString("s1"), k -> new ArrayList<>())
                    .add(new Draft.Link(rs.getObject("id1", UUID.class), rs.getString("s2"), rs.getString("s3")));
            default -> out.services.computeIfAbsent(rec, k -> new ArrayList<>()).add(new ServicePlacements.Placement(
                    rec, rs.getObject("id1", UUID.class), rs.getString("s1"), rs.getString("s2"), rs.getString("s3"),
                    rs.getString("s4"), rs.getObject("id2", UUID.class)));
        }
        return true;
    }
}
