package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.Scope;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The business view (upstream Maestro's pivot report): client → system → application → server,
 * one row per path, from one statement ({@link InsightStore#pivot}). Every level only holds records the caller may read;
 * servers in no application, applications in no system and systems of no client sit under a
 * {@code (none)} entry of the level above them, so every readable record appears.
 */
@Service
public class PivotService {
    public static final String NONE = "(none)";

    private final InsightStore rows;
    private final OptionsService options;

    PivotService(InsightStore rows, OptionsService options) {
        this.rows = rows;
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
        rows.pivot(filters, Scope.of(caller), out);
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
