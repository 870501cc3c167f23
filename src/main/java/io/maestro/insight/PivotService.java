package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The business view (upstream Maestro's pivot report): client → system → application → server,
 * one row per path, from one statement. Every level only holds records the caller may read;
 * servers in no application, applications in no system and systems of no client sit under a
 * {@code (none)} entry of the level above them, so every readable record appears.
 */
@Service
public class PivotService {
    public static final String NONE = "(none)";

    private final NamedParameterJdbcTemplate jdbc;
    private final Kinds kinds;
    private final OptionsService options;

    public PivotService(NamedParameterJdbcTemplate jdbc, Kinds kinds, OptionsService options) {
        this.jdbc = jdbc;
        this.kinds = kinds;
        this.options = options;
    }

    /** One path; a level's id and name are null where the path has no record at that level. */
    public record Path(UUID clientId, String client, UUID systemId, String system, UUID applicationId, String application,
                       UUID serverId, String server, String environment) {
    }

    /** The pivot's filters, each optional: paths through this client, this system, servers of this environment. */
    public record Filters(UUID clientId, UUID systemId, String environment) {
    }

    /** Filters from request parameters, else 400 naming the parameter. */
    public Filters filters(String clientId, String systemId, String environment) {
        return new Filters(uuid("client_id", clientId), uuid("system_id", systemId),
                environment == null || environment.isBlank() ? null : options.canonical("environment", environment)
                        .orElseThrow(() -> ProblemException.badField("environment", "unknown value; allowed: " + options.allowedValues("environment"))));
    }

    private static UUID uuid(String parameter, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField(parameter, "is not a valid id");
        }
    }

    /** Every path, ordered by client, system, application and server name ((none) last at each level). */
    @Transactional(readOnly = true)
    public void paths(Filters filters, Caller caller, Consumer<Path> out) {
        Scope scope = Scope.of(caller);
        Map<String, Object> params = new HashMap<>();
        String s = readable("servers", scope, params, ", t.environment");
        String a = readable("applications", scope, params, "");
        String y = readable("systems", scope, params, "");
        String c = readable("clients", scope, params, "");
        List<String> where = new ArrayList<>();
        where.add("1=1");
        if (filters.clientId() != null) {
            params.put("client", filters.clientId());
            where.add("p.client = :client");
        }
        if (filters.systemId() != null) {
            params.put("sys", filters.systemId());
            where.add("p.sys = :sys");
        }
        if (filters.environment() != null) {
            params.put("env", filters.environment());
            where.add("s.environment = :env");
        }
        String sql = "WITH s AS (" + s + "), a AS (" + a + "), y AS (" + y + "), c AS (" + c + "),"
                // the links between readable records
                + " sa AS (SELECT r.src_id AS app, r.dst_id AS srv FROM relation r JOIN a ON a.id = r.src_id JOIN s ON s.id = r.dst_id"
                + "  WHERE r.field = 'server_ids' AND r.src_kind = 'applications'),"
                + " ay AS (SELECT r.src_id AS app, r.dst_id AS sys FROM relation r JOIN a ON a.id = r.src_id JOIN y ON y.id = r.dst_id"
                + "  WHERE r.field = 'system_ids' AND r.src_kind = 'applications'),"
                + " yc AS (SELECT r.src_id AS sys, r.dst_id AS client FROM relation r JOIN y ON y.id = r.src_id JOIN c ON c.id = r.dst_id"
                + "  WHERE r.field = 'client_ids' AND r.src_kind = 'systems'),"
                // application and server; servers in no application
                + " l1(app, srv) AS (SELECT a.id, x.srv FROM a LEFT JOIN sa x ON x.app = a.id"
                + "  UNION ALL SELECT CAST(NULL AS UUID), s.id FROM s WHERE NOT EXISTS (SELECT 1 FROM sa x WHERE x.srv = s.id)),"
                // system above; systems with no application
                + " l2(sys, app, srv) AS (SELECT z.sys, l1.app, l1.srv FROM l1 LEFT JOIN ay z ON z.app = l1.app"
                + "  UNION ALL SELECT y.id, CAST(NULL AS UUID), CAST(NULL AS UUID) FROM y WHERE NOT EXISTS (SELECT 1 FROM ay z WHERE z.sys = y.id)),"
                // client above; clients with no system
                + " p(client, sys, app, srv) AS (SELECT w.client, l2.sys, l2.app, l2.srv FROM l2 LEFT JOIN yc w ON w.sys = l2.sys"
                + "  UNION ALL SELECT c.id, CAST(NULL AS UUID), CAST(NULL AS UUID), CAST(NULL AS UUID) FROM c WHERE NOT EXISTS (SELECT 1 FROM yc w WHERE w.client = c.id))"
                + " SELECT p.client, c.name AS cname, p.sys, y.name AS yname, p.app, a.name AS aname, p.srv, s.name AS sname, s.environment"
                + " FROM p LEFT JOIN c ON c.id = p.client LEFT JOIN y ON y.id = p.sys LEFT JOIN a ON a.id = p.app LEFT JOIN s ON s.id = p.srv"
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY LOWER(c.name) NULLS LAST, p.client NULLS LAST, LOWER(y.name) NULLS LAST, p.sys NULLS LAST,"
                + " LOWER(a.name) NULLS LAST, p.app NULLS LAST, LOWER(s.name) NULLS LAST, p.srv NULLS LAST";
        jdbc.query(sql, params, rs -> {
            out.accept(new Path(rs.getObject("client", UUID.class), rs.getString("cname"), rs.getObject("sys", UUID.class), rs.getString("yname"),
                    rs.getObject("app", UUID.class), rs.getString("aname"), rs.getObject("srv", UUID.class), rs.getString("sname"),
                    rs.getString("environment")));
        });
    }

    private String readable(String collection, Scope scope, Map<String, Object> params, String extra) {
        Kind kind = kinds.get(collection);
        return "SELECT t.id, t.name" + extra + " FROM " + kind.table() + " t WHERE " + scope.predicate(kind, "t", params);
    }

    /**
     * The paths as a tree: clients with their systems, applications and servers, each entry with
     * {@code count}, the number of distinct servers beneath it.
     */
    public Map<String, Object> tree(Filters filters, Caller caller) {
        Node root = new Node(null, null);
        paths(filters, caller, p -> {
            Node client = root.child(p.clientId(), p.client());
            Node system = p.systemId() == null && p.applicationId() == null && p.serverId() == null ? null : client.child(p.systemId(), p.system());
            Node app = system == null || (p.applicationId() == null && p.serverId() == null) ? null : system.child(p.applicationId(), p.application());
            Node server = app == null || p.serverId() == null ? null : app.child(p.serverId(), p.server());
            if (server != null) {
                server.environment = p.environment();
                for (Node n : List.of(root, client, system, app, server)) n.servers.add(p.serverId());
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", root.servers.size());
        out.put("clients", root.json(List.of("systems", "applications", "servers"), 0));
        return out;
    }

    private static final class Node {
        final UUID id;
        final String name;
        String environment;
        final Set<UUID> servers = new HashSet<>();
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(UUID id, String name) {
            this.id = id;
            this.name = id == null ? NONE : name;
        }

        Node child(UUID id, String name) {
            return children.computeIfAbsent(String.valueOf(id), k -> new Node(id, name));
        }

        List<Map<String, Object>> json(List<String> levels, int level) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Node n : children.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", n.id == null ? null : n.id.toString());
                m.put("name", n.name);
                m.put("count", n.servers.size());
                if (level < levels.size()) m.put(levels.get(level), n.json(levels, level + 1));
                else m.put("environment", n.environment);
                out.add(m);
            }
            return out;
        }
    }
}
