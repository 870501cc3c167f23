package io.maestro.integrations;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.ListQuery;
import io.maestro.core.record.ListQueryParser;
import io.maestro.core.record.Scope;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Every server a caller may read that matches a server list's filters, with what the
 * integrations show of it (tags, datacenter name, team name, applications and their systems).
 * The filters and the access predicate are those of {@code GET /api/v1/servers}
 * ({@link ListQueryParser}), so an integration never shows more than the list; the reads are
 * {@link ServerFeedStore}'s, a constant number of statements whatever the count.
 */
@Component
public class ServerFeed {
    private final Kinds kinds;
    private final ListQueryParser parser;
    private final ServerFeedStore store;

    public ServerFeed(Kinds kinds, ListQueryParser parser, ServerFeedStore store) {
        this.kinds = kinds;
        this.parser = parser;
        this.store = store;
    }

    /** One server as the integrations show it. */
    public record Server(UUID id, String hostname, String ipv4Private, String ipv4Public, String osBase, String osDist, String osVersion,
                         String environment, String role, String datacenter, String region, String zone, String team,
                         Map<String, String> tags, List<String> applications, List<String> systems) {
        /** The private or public IPv4 address, or null. */
        public String address(boolean publicAddress) {
            return publicAddress ? ipv4Public : ipv4Private;
        }
    }

    /** A validated request: its filters and scope, what the lookups found, and the ETag of the answer. */
    public final class Selection {
        private final Map<String, Object> params = new HashMap<>();
        private final String where;
        private final Map<UUID, String> appNames = new HashMap<>();
        private final Map<UUID, List<String>> appSystems = new HashMap<>();
        private final Map<UUID, String> datacenters = new HashMap<>();
        private final Map<UUID, String> teams = new HashMap<>();
        private String etag;

        private Selection(ListQuery query, Scope scope) {
            this.where = store.condition(query, scope, params);
        }

        /** A strong ETag: changes whenever a server, lookup, the caller's access or the request would change the answer. */
        public String etag() {
            return etag;
        }

        /** Streams the servers, oldest first (a stable order: a host name taken first stays taken). */
        public void forEach(Consumer<Server> out) {
            store.forEach(where, params, row -> {
                List<String> apps = new ArrayList<>();
                Set<String> systems = new LinkedHashSet<>();
                for (UUID app : row.applicationIds()) {
                    String name = appNames.get(app);
                    if (name == null) continue; // an application the caller may not read
                    apps.add(name);
                    systems.addAll(appSystems.getOrDefault(app, List.of()));
                }
                apps.sort(String.CASE_INSENSITIVE_ORDER);
                out.accept(new Server(row.id(), row.hostname(), row.ipv4Private(), row.ipv4Public(), row.osBase(), row.osDist(),
                        row.osVersion(), row.environment(), row.role(), row.datacenterId() == null ? null : datacenters.get(row.datacenterId()),
                        row.region(), row.zone(), teams.get(row.teamId()), row.tags(), apps, new ArrayList<>(systems)));
            });
        }
    }

    /**
     * Parses the server list filters among {@code params} (those in {@code own} belong to the
     * integration and are left out), loads the lookups and computes the ETag. Bad filters: 400
     * naming them, as on the list.
     */
    public Selection select(Map<String, String[]> params, Set<String> own, Caller caller) {
        Map<String, String[]> filters = new TreeMap<>();
        params.forEach((name, values) -> {
            if (!own.contains(name)) filters.put(name, values);
        });
        for (String unsupported : List.of("as_of", "cursor", "page", "size")) {
            if (filters.containsKey(unsupported)) throw ProblemException.badField(unsupported, "is not supported here: the answer holds every matching server");
        }
        ListQuery query = parser.parse(kinds.get("servers"), filters);
        Scope scope = Scope.of(caller);
        Selection s = new Selection(query, scope);
        MessageDigest digest = sha256();
        update(digest, caller.userId() + "|" + caller.globalAdmin() + "|" + caller.teamIds());
        filters.forEach((k, v) -> update(digest, k + "=" + String.join(",", v)));
        params.forEach((k, v) -> {
            if (own.contains(k)) update(digest, k + ":" + String.join(",", v));
        });
        store.lookups(scope, l -> {
            update(digest, l.part() + "|" + l.id() + "|" + l.name() + "|" + l.extra() + "|" + l.version());
            switch (l.part()) {
                case 0 -> {
                    s.appNames.put(l.id(), l.name());
                    if (l.extra() != null) s.appSystems.computeIfAbsent(l.id(), k -> new ArrayList<>()).add(l.extra());
                }
                case 1 -> s.datacenters.put(l.id(), l.name());
                default -> s.teams.put(l.id(), l.name());
            }
        });
        update(digest, store.stamp(s.where, s.params));
        s.etag = "\"" + HexFormat.of().formatHex(digest.digest(), 0, 16) + "\"";
        return s;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
