package io.maestro.graph;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.access.AccessPolicy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The neighbourhood of one record: what it links to and what links to it, a few hops out. Edges
 * come from the one relation table, {@code ref()} columns (a server's datacenter) and service entries. Only
 * records the caller may read become nodes, and the walk never passes through a hidden one (a path
 * through it would reveal that it exists).
 */
@Service
public class GraphService {
    public static final int MAX_DEPTH = 3;
    public static final int MAX_NODES = 200;
    private static final int LINKS_PER_HOP = 5000;

    private final GraphStore store;
    private final Kinds kinds;
    private final RecordService records;
    private final AccessPolicy access;

    GraphService(GraphStore store, Kinds kinds, RecordService records, AccessPolicy access) {
        this.store = store;
        this.kinds = kinds;
        this.records = records;
        this.access = access;
    }

    public record Node(UUID id, String kind, String name, int depth) {
    }

    /** {@code field} is the owning side's field (server_ids, datacenter.id, services). */
    public record Edge(UUID source, UUID target, String field) {
    }

    public record Graph(Node root, List<Node> nodes, List<Edge> edges, boolean truncated) {
    }

    /** A depth parameter: 1 to MAX_DEPTH, else 400 naming it. */
    public static int depth(String value) {
        try {
            int d = Integer.parseInt(value.strip());
            if (d >= 1 && d <= MAX_DEPTH) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badField("depth", "must be a whole number from 1 to " + MAX_DEPTH);
    }

    /** The graph around {@code id} of {@code kind}, {@code depth} hops out; 404 when the caller may not read the root. */
    @Transactional(readOnly = true)
    public Graph around(Kind kind, UUID id, int depth, Caller caller) {
        records.get(kind, id, caller);
        Map<UUID, Node> nodes = new LinkedHashMap<>();
        Node root = new Node(id, kind.collection(), records.names(kind, List.of(id), caller).get(id), 0);
        nodes.put(id, root);
        Set<Edge> edges = new LinkedHashSet<>();
        List<Node> frontier = List.of(root);
        boolean truncated = false;
        for (int hop = 1; hop <= depth && !frontier.isEmpty(); hop++) {
            // scoped before capped: the cap counts only links to records the caller may read
            GraphStore.Links found = store.around(frontier.stream().filter(n -> n.depth() == 0 || !hub(n.kind())).map(Node::id).toList(),
                    access.readScope(caller), LINKS_PER_HOP);
            truncated |= found.truncated();
            List<GraphStore.Link> links = found.links();
            Map<UUID, String> unseen = new LinkedHashMap<>();
            for (GraphStore.Link l : links) {
                if (!nodes.containsKey(l.src())) unseen.put(l.src(), l.srcKind());
                if (!nodes.containsKey(l.dst())) unseen.put(l.dst(), l.dstKind());
            }
            List<Node> next = new ArrayList<>();
            for (Node n : readable(unseen, hop, caller)) {
                if (nodes.size() >= MAX_NODES) {
                    truncated = true;
                    break;
                }
                nodes.put(n.id(), n);
                next.add(n);
            }
            for (GraphStore.Link l : links) {
                if (nodes.containsKey(l.src()) && nodes.containsKey(l.dst())) edges.add(new Edge(l.src(), l.dst(), l.field()));
            }
            frontier = next;
        }
        return new Graph(root, List.copyOf(nodes.values()), List.copyOf(edges), truncated);
    }

    /**
     * Records others depend on (a datacenter, a service: kinds protected while used) link to whole
     * fleets: shown, but walked past only from the root.
     */
    private boolean hub(String collection) {
        return kinds.find(collection).map(Kind::protectedWhileUsed).orElse(false);
    }

    /** The records among {@code candidates} (id → kind) the caller may read, with their names, by kind in the guide's order. */
    private List<Node> readable(Map<UUID, String> candidates, int depth, Caller caller) {
        Map<String, List<UUID>> byKind = new HashMap<>();
        candidates.forEach((id, k) -> byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(id));
        List<Node> out = new ArrayList<>();
        for (Kind k : kinds.all()) {
            List<UUID> ids = byKind.get(k.collection());
            if (ids == null) continue;
            records.names(k, ids, caller).entrySet().stream()
                    .sorted(Map.Entry.comparingByValue(String.CASE_INSENSITIVE_ORDER))
                    .forEach(e -> out.add(new Node(e.getKey(), k.collection(), e.getValue(), depth)));
        }
        return out;
    }
}
