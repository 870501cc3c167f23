package io.maestro.integrations;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.ListQuery;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The integrations' reads, in a constant number of statements whatever the server count: the small
 * lookups (applications with their systems, datacenters, teams), a change stamp for the ETag, and
 * the matching servers streamed with their tags and application ids. The server filters and the
 * access predicate are those of the server list ({@link RecordStore#listCondition}).
 */
@Repository
public class ServerFeedStore {
    private static final int FETCH = 1000;

    private final Kinds kinds;
    private final RecordStore records;
    private final NamedParameterJdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate streaming;
    private final TransactionTemplate readOnly;

    public ServerFeedStore(Kinds kinds, RecordStore records, NamedParameterJdbcTemplate jdbc, DataSource dataSource,
                           PlatformTransactionManager transactions) {
        this.kinds = kinds;
        this.records = records;
        this.jdbc = jdbc;
        JdbcTemplate fetching = new JdbcTemplate(dataSource);
        // PostgreSQL sends rows a batch at a time only inside a transaction with a fetch size
        fetching.setFetchSize(FETCH);
        this.streaming = new NamedParameterJdbcTemplate(fetching);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The condition on servers ({@code t}) of a server list query, its parameters added to {@code params}. */
    public String condition(ListQuery query, Scope scope, Map<String, Object> params) {
        return records.listCondition(kinds.get("servers"), query, scope, params);
    }

    /** One server row; {@code tags} in the order written, {@code applicationIds} unfiltered (the caller drops unreadable ones). */
    public record Row(UUID id, String hostname, String ipv4Private, String ipv4Public, String osBase, String osDist, String osVersion,
                      String environment, String role, UUID datacenterId, String region, String zone, UUID teamId,
                      Map<String, String> tags, List<UUID> applicationIds) {
    }

    /** A lookup row: part 0 an application (with one of its systems' name in {@code extra}), 1 a datacenter, 2 a team. */
    public record Lookup(int part, UUID id, String name, String extra, long version) {
    }

    /** The applications (one row per system), datacenters and teams the scope may read, in a stable order. */
    public void lookups(Scope scope, Consumer<Lookup> out) {
        Map<String, Object> p = new LinkedHashMap<>();
        String apps = scope.predicate(kinds.get("applications"), "a", p);
        String systems = scope.predicate(kinds.get("systems"), "s", p);
        String dcs = scope.predicate(kinds.get("datacenters"), "t", p);
        String sql = "SELECT 0 AS part, a.id, a.name, bs.name AS extra, a.version AS ver, r.position AS pos FROM application a"
                + " LEFT JOIN relation r ON r.src_id = a.id AND r.field = 'system_ids'"
                + " LEFT JOIN (SELECT s.id, s.name FROM business_system s WHERE " + systems + ") bs ON bs.id = r.dst_id WHERE " + apps
                + " UNION ALL SELECT 1, t.id, t.name, NULL, t.version, 0 FROM datacenter t WHERE " + dcs
                + " UNION ALL SELECT 2, id, name, NULL, 0, 0 FROM team"
                + " ORDER BY 1, 2, 6";
        jdbc.query(sql, p, rs -> {
            out.accept(new Lookup(rs.getInt("part"), rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("extra"),
                    rs.getLong("ver")));
        });
    }

    /** What changes whenever a matching server does: count, latest update and the sum of versions. */
    public String stamp(String condition, Map<String, Object> params) {
        return jdbc.query("SELECT COUNT(*) AS n, MAX(t.updated_at) AS m, SUM(t.version) AS v FROM server t WHERE " + condition, params, rs -> {
            rs.next();
            OffsetDateTime m = rs.getObject("m", OffsetDateTime.class);
            return rs.getLong("n") + "|" + (m == null ? "" : m.toInstant()) + "|" + rs.getLong("v");
        });
    }

    /**
     * Streams the matching servers oldest first (a stable order: a host name taken first stays
     * taken). Tags come as one row each, joined rather than aggregated: at 100,000 servers the join
     * costs little more than the plain columns, a JSON aggregate per server three times as much
     * (bench/integrations); the rows of one server are consecutive and folded here.
     */
    public void forEach(String condition, Map<String, Object> params, Consumer<Row> out) {
        String matching = "(SELECT t.id FROM server t WHERE " + condition + ")";
        String sql = "SELECT t.id, t.hostname, t.ipv4_private, t.ipv4_public, t.os_base, t.os_dist, t.os_version, t.environment, t.role,"
                + " t.datacenter_id, t.datacenter_region, t.datacenter_zone, t.team_id, g.tag_key, g.tag_value, r.apps FROM server t"
                + " LEFT JOIN record_tag g ON g.record_id = t.id AND g.kind = 'servers'"
                + " LEFT JOIN (SELECT r.dst_id, STRING_AGG(CAST(r.src_id AS VARCHAR(36)), ',') AS apps FROM relation r"
                + " WHERE r.field = 'server_ids' AND r.src_kind = 'applications' AND r.dst_id IN " + matching
                + " GROUP BY r.dst_id) r ON r.dst_id = t.id"
                + " WHERE " + condition + " ORDER BY t.created_at, t.id, g.position";
        Folder folder = new Folder(out);
        readOnly.executeWithoutResult(tx -> streaming.query(sql, params, folder));
        folder.finish();
    }

    /** Folds the consecutive rows of one server (one per tag) into one {@link Row}. */
    private static final class Folder implements RowCallbackHandler {
        private final Consumer<Row> out;
        private Row current;

        Folder(Consumer<Row> out) {
            this.out = out;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            UUID id = rs.getObject("id", UUID.class);
            if (current == null || !current.id().equals(id)) {
                if (current != null) out.accept(current);
                current = new Row(id, rs.getString("hostname"), rs.getString("ipv4_private"), rs.getString("ipv4_public"),
                        rs.getString("os_base"), rs.getString("os_dist"), rs.getString("os_version"), rs.getString("environment"),
                        rs.getString("role"), rs.getObject("datacenter_id", UUID.class), rs.getString("datacenter_region"),
                        rs.getString("datacenter_zone"), rs.getObject("team_id", UUID.class), new LinkedHashMap<>(), applications(rs.getString("apps")));
            }
            String key = rs.getString("tag_key");
            if (key != null) current.tags().put(key, rs.getString("tag_value"));
        }

        void finish() {
            if (current != null) out.accept(current);
            current = null;
        }

        private static List<UUID> applications(String ids) {
            if (ids == null) return List.of();
            List<UUID> out = new ArrayList<>();
            for (String id : ids.split(",")) out.add(UUID.fromString(id));
            return out;
        }
    }
}
