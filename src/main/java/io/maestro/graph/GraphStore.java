package io.maestro.graph;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.schema.Field;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The graph's SQL: the links touching some records, either direction, to records the scope may
 * read. The read predicate is applied in the same statement as the cap, so a cap never drops a
 * readable neighbour in favour of hidden ones.
 */
@Repository
class GraphStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final Kinds kinds;

    GraphStore(NamedParameterJdbcTemplate jdbc, Kinds kinds) {
        this.jdbc = jdbc;
        this.kinds = kinds;
    }

    record Link(String srcKind, UUID src, String field, String dstKind, UUID dst) {
    }

    /** At most {@code cap} links of each source (relations, placements, service entries); {@code truncated} when more exist. */
    record Links(List<Link> links, boolean truncated) {
    }

    Links around(List<UUID> ids, Scope scope, int cap) {
        List<Link> out = new ArrayList<>();
        if (ids.isEmpty()) return new Links(out, false);
        boolean truncated = false;
        Map<String, Object> p = new HashMap<>();
        p.put("ids", ids);
        p.put("cap", cap + 1);
        // relation rows whose far end is readable: one branch per kind and direction
        List<String> branches = new ArrayList<>();
        int i = 0;
        for (Kind k : kinds.all()) {
            String kp = "gk" + i++;
            p.put(kp, k.collection());
            branches.add("SELECT r.src_kind, r.src_id, r.field, r.dst_kind, r.dst_id FROM relation r JOIN " + k.table() + " t ON t.id = r.dst_id"
                    + " WHERE r.src_id IN (:ids) AND r.dst_kind = :" + kp + " AND " + scope.predicate(k, "t", p));
            branches.add("SELECT r.src_kind, r.src_id, r.field, r.dst_kind, r.dst_id FROM relation r JOIN " + k.table() + " t ON t.id = r.src_id"
                    + " WHERE r.dst_id IN (:ids) AND r.src_kind = :" + kp + " AND " + scope.predicate(k, "t", p));
        }
        List<Link> relations = jdbc.query("SELECT * FROM (" + String.join(" UNION ", branches) + ") x LIMIT :cap", p,
                (rs, n) -> new Link(rs.getString("src_kind"), rs.getObject("src_id", UUID.class), rs.getString("field"),
                        rs.getString("dst_kind"), rs.getObject("dst_id", UUID.class)));
        truncated |= keep(relations, cap, out);
        // ref() columns (a server's datacenter.id) and service entries are links too, though not relation rows
        for (Kind k : kinds.all()) {
            for (Map.Entry<String, Field> c : Field.columnFields(k.fields())) {
                if (c.getValue().type != Field.Type.REF) continue;
                for (String target : c.getValue().refKinds()) {
                    Kind t = kinds.find(target).orElse(null);
                    if (t == null) continue; // teams, users: not records
                    String col = "s." + Field.column(c.getKey());
                    List<Link> refs = jdbc.query("SELECT s.id, " + col + " AS dst FROM " + k.table() + " s JOIN " + t.table() + " d ON d.id = " + col
                            + " WHERE (s.id IN (:ids) OR " + col + " IN (:ids)) AND " + scope.predicate(k, "s", p) + " AND "
                            + scope.predicate(t, "d", p) + " LIMIT :cap", p, (rs, n) -> new Link(k.collection(), rs.getObject("id", UUID.class),
                            c.getKey(), t.collection(), rs.getObject("dst", UUID.class)));
                    truncated |= keep(refs, cap, out);
                }
            }
        }
        Kind host = kinds.serviceHost();
        Kind catalog = kinds.serviceCatalog();
        List<Link> entries = jdbc.query("SELECT DISTINCT ss.server_id, ss.service_id FROM server_service ss JOIN " + host.table() + " s ON s.id = ss.server_id"
                + " WHERE (ss.server_id IN (:ids) OR ss.service_id IN (:ids)) AND " + scope.predicate(host, "s", p) + " LIMIT :cap", p,
                (rs, n) -> new Link(host.collection(), rs.getObject("server_id", UUID.class), "services", catalog.collection(), rs.getObject("service_id", UUID.class)));
        truncated |= keep(entries, cap, out);
        return new Links(out, truncated);
    }

    private static boolean keep(List<Link> found, int cap, List<Link> out) {
        out.addAll(found.size() > cap ? found.subList(0, cap) : found);
        return found.size() > cap;
    }
}
