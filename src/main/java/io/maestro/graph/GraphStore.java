package io.maestro.graph;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
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
        // a server's placement and services are columns and entries of the server, not relation rows
        Kind servers = kinds.get("servers");
        Kind datacenters = kinds.get("datacenters");
        List<Link> placed = jdbc.query("SELECT s.id, s.datacenter_id FROM " + servers.table() + " s JOIN " + datacenters.table() + " d ON d.id = s.datacenter_id"
                + " WHERE (s.id IN (:ids) OR s.datacenter_id IN (:ids)) AND " + scope.predicate(servers, "s", p) + " AND "
                + scope.predicate(datacenters, "d", p) + " LIMIT :cap", p, (rs, n) -> new Link(servers.collection(), rs.getObject("id", UUID.class),
                "datacenter.id", datacenters.collection(), rs.getObject("datacenter_id", UUID.class)));
        truncated |= keep(placed, cap, out);
        List<Link> entries = jdbc.query("SELECT DISTINCT ss.server_id, ss.service_id FROM server_service ss JOIN " + servers.table() + " s ON s.id = ss.server_id"
                + " WHERE (ss.server_id IN (:ids) OR ss.service_id IN (:ids)) AND " + scope.predicate(servers, "s", p) + " LIMIT :cap", p,
                (rs, n) -> new Link(servers.collection(), rs.getObject("server_id", UUID.class), "services", "services", rs.getObject("service_id", UUID.class)));
        truncated |= keep(entries, cap, out);
        return new Links(out, truncated);
    }

    private static boolean keep(List<Link> found, int cap, List<Link> out) {
        out.addAll(found.size() > cap ? found.subList(0, cap) : found);
        return found.size() > cap;
    }
}
