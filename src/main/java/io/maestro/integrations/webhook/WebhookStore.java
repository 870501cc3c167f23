package io.maestro.integrations.webhook;

import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rows of webhooks: the webhooks themselves, the outbox ({@code webhook_event} and one
 * {@code webhook_delivery} per webhook and event) and the delivery log. Lists of strings are
 * stored comma-wrapped ({@code ,a,b,}) so that one {@code LIKE} finds a member.
 */
@Repository
public class WebhookStore {
    private static final int CHUNK = 1000;
    private static final String DELIVERY = "SELECT d.id, d.record_id, d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at,"
            + " d.created_at, d.finished_at, e.event FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id";
    private static final String INSERT_DELIVERY = "INSERT INTO webhook_delivery (id, webhook_id, event_id, record_id, status, attempts,"
            + " next_attempt_at, created_at) VALUES (:id, :webhook, :event, :record, 'pending', 0, :at, :at)";
    private static final String INSERT_EVENT = "INSERT INTO webhook_event (id, event, kind, record_id, at, payload)"
            + " VALUES (:id, :event, :kind, :record, :at, :payload)";

    private final NamedParameterJdbcTemplate jdbc;

    public WebhookStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- webhooks

    /** Every webhook ({@code teams} null) or those of the teams, by name. */
    List<Webhooks.Hook> hooks(Collection<UUID> teams) {
        Map<String, Object> p = new HashMap<>();
        String where = "1=1";
        if (teams != null) {
            p.put("teams", teams);
            where = "team_id IN (:teams)";
        }
        return jdbc.query("SELECT * FROM webhook WHERE " + where + " ORDER BY LOWER(name), id", p, (rs, i) -> hook(rs));
    }

    Optional<Webhooks.Hook> find(UUID id) {
        return jdbc.query("SELECT * FROM webhook WHERE id = :id", Map.of("id", id), (rs, i) -> hook(rs)).stream().findFirst();
    }

    boolean teamExists(UUID id) {
        return !jdbc.queryForList("SELECT id FROM team WHERE id = :id", Map.of("id", id), UUID.class).isEmpty();
    }

    void insert(UUID id, UUID team, Webhooks.Hook h, OffsetDateTime now) {
        Map<String, Object> p = params(h);
        p.put("id", id);
        p.put("team", team);
        p.put("now", now);
        jdbc.update("INSERT INTO webhook (id, team_id, name, url, secret, collections, actions, enabled, version, created_at, updated_at) "
                + "VALUES (:id, :team, :name, :url, :secret, :collections, :actions, :enabled, 1, :now, :now)", p);
    }

    /** Updates the webhook if it is still at {@code version}; false when it changed meanwhile. */
    boolean update(UUID id, long version, UUID team, Webhooks.Hook h, OffsetDateTime now) {
        Map<String, Object> p = params(h);
        p.put("id", id);
        p.put("team", team);
        p.put("now", now);
        p.put("version", version);
        return jdbc.update("UPDATE webhook SET team_id = :team, name = :name, url = :url, secret = :secret, collections = :collections, "
                + "actions = :actions, enabled = :enabled, version = version + 1, updated_at = :now WHERE id = :id AND version = :version", p) > 0;
    }

    void delete(UUID id) {
        jdbc.update("DELETE FROM webhook WHERE id = :id", Map.of("id", id));
    }

    // ---- the outbox

    /** An enabled webhook subscribed to a collection. */
    record Subscriber(UUID id, UUID teamId, String actions) {
        boolean wants(String action) {
            return actions.contains("," + action + ",");
        }
    }

    List<Subscriber> subscribers(String collection) {
        return jdbc.query("SELECT id, team_id, actions FROM webhook WHERE enabled = TRUE AND collections LIKE :c",
                Map.of("c", "%," + collection + ",%"), (rs, i) -> new Subscriber(rs.getObject("id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getString("actions")));
    }

    /** The teams among {@code teams} each record is shared with (one query per thousand records). */
    Map<UUID, Set<UUID>> sharedWith(String collection, List<UUID> records, Set<UUID> teams) {
        Map<UUID, Set<UUID>> out = new HashMap<>();
        for (int i = 0; i < records.size(); i += CHUNK) {
            jdbc.query("SELECT record_id, team_id FROM record_access WHERE kind = :kind AND record_id IN (:ids) AND team_id IN (:teams)",
                    Map.of("kind", collection, "ids", records.subList(i, Math.min(records.size(), i + CHUNK)), "teams", teams),
                    rs -> {
                        out.computeIfAbsent(rs.getObject("record_id", UUID.class), k -> new HashSet<>()).add(rs.getObject("team_id", UUID.class));
                    });
        }
        return out;
    }

    /** Events ({@code id, event, kind, record, at, payload}) and their deliveries ({@code id, webhook, event, record, at}). */
    void enqueue(List<Map<String, Object>> events, List<Map<String, Object>> deliveries) {
        jdbc.batchUpdate(INSERT_EVENT, batch(events));
        jdbc.batchUpdate(INSERT_DELIVERY, batch(deliveries));
    }

    // ---- the delivery log

    /** Newest first, {@code size} at most. */
    List<Map<String, Object>> deliveries(UUID webhook, int size) {
        return jdbc.query(DELIVERY + " WHERE d.webhook_id = :w ORDER BY d.seq DESC LIMIT :size", Map.of("w", webhook, "size", size),
                (rs, i) -> delivery(rs));
    }

    Map<String, Object> delivery(UUID id) {
        return jdbc.query(DELIVERY + " WHERE d.id = :id", Map.of("id", id), (rs, i) -> delivery(rs)).get(0);
    }

    Optional<UUID> eventOf(UUID delivery, UUID webhook) {
        return jdbc.queryForList("SELECT event_id FROM webhook_delivery WHERE id = :d AND webhook_id = :w",
                Map.of("d", delivery, "w", webhook), UUID.class).stream().findFirst();
    }

    /** A new pending delivery of a recorded event to a webhook. */
    void redeliver(UUID id, UUID webhook, UUID event, OffsetDateTime now) {
        jdbc.update("INSERT INTO webhook_delivery (id, webhook_id, event_id, record_id, status, attempts, next_attempt_at, created_at) "
                + "SELECT :id, :w, e.id, e.record_id, 'pending', 0, :now, :now FROM webhook_event e WHERE e.id = :e",
                Map.of("id", id, "w", webhook, "e", event, "now", now));
    }

    // ---- the worker

    /**
     * Claims up to {@code limit} due deliveries (skipping those another node holds, and those
     * waiting for an earlier pending one of the same webhook and record), moves their next attempt
     * to {@code lease} and returns them with what sending takes. Call inside a transaction.
     */
    List<DeliveryWorker.Claimed> claim(OffsetDateTime now, OffsetDateTime lease, int limit) {
        List<Long> seqs = jdbc.queryForList("SELECT d.seq FROM webhook_delivery d WHERE d.status = 'pending' AND d.next_attempt_at <= :now"
                + " AND NOT EXISTS (SELECT 1 FROM webhook_delivery e WHERE e.webhook_id = d.webhook_id AND e.record_id = d.record_id"
                + " AND e.status = 'pending' AND e.seq < d.seq)"
                + " ORDER BY d.seq LIMIT :limit FOR UPDATE SKIP LOCKED", Map.of("now", now, "limit", limit), Long.class);
        if (seqs.isEmpty()) return List.of();
        jdbc.update("UPDATE webhook_delivery SET attempts = attempts + 1, next_attempt_at = :lease WHERE seq IN (:seqs)",
                Map.of("lease", lease, "seqs", seqs));
        return jdbc.query("SELECT d.seq, d.id, d.webhook_id, d.attempts, d.created_at, w.team_id, w.url, w.secret, e.event, e.payload"
                        + " FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id JOIN webhook_event e ON e.id = d.event_id"
                        + " WHERE d.seq IN (:seqs) ORDER BY d.seq", Map.of("seqs", seqs),
                (rs, i) -> new DeliveryWorker.Claimed(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getString("url"), rs.getString("secret"), rs.getString("event"), rs.getString("payload"),
                        rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class)));
    }

    void succeeded(long seq, Integer code, OffsetDateTime now) {
        jdbc.update("UPDATE webhook_delivery SET status = 'succeeded', last_status_code = :code, last_error = NULL, finished_at = :now"
                + " WHERE seq = :seq AND status = 'pending'", outcome(seq, code, null, now));
    }

    void failed(long seq, Integer code, String error, OffsetDateTime now) {
        jdbc.update("UPDATE webhook_delivery SET status = 'failed', last_status_code = :code, last_error = :error, finished_at = :now"
                + " WHERE seq = :seq AND status = 'pending'", outcome(seq, code, error, now));
    }

    void retryAt(long seq, Integer code, String error, OffsetDateTime next) {
        jdbc.update("UPDATE webhook_delivery SET last_status_code = :code, last_error = :error, next_attempt_at = :now"
                + " WHERE seq = :seq AND status = 'pending'", outcome(seq, code, error, next));
    }

    private static Map<String, Object> outcome(long seq, Integer code, String error, OffsetDateTime at) {
        Map<String, Object> p = new HashMap<>();
        p.put("seq", seq);
        p.put("code", code);
        p.put("error", error);
        p.put("now", at);
        return p;
    }

    // ---- rows

    private static Map<String, Object> params(Webhooks.Hook h) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", h.name());
        p.put("url", h.url());
        p.put("secret", h.secret());
        p.put("collections", wrap(h.collections()));
        p.put("actions", wrap(h.actions()));
        p.put("enabled", h.enabled());
        return p;
    }

    private static String wrap(List<String> values) {
        return "," + String.join(",", values) + ",";
    }

    private static List<String> unwrap(String wrapped) {
        return Arrays.stream(wrapped.split(",")).filter(s -> !s.isEmpty()).toList();
    }

    private static Webhooks.Hook hook(ResultSet rs) throws SQLException {
        return new Webhooks.Hook(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getString("name"), rs.getString("url"),
                rs.getString("secret"), unwrap(rs.getString("collections")), unwrap(rs.getString("actions")), rs.getBoolean("enabled"),
                rs.getLong("version"), rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static Map<String, Object> delivery(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delivery_id", rs.getObject("id", UUID.class).toString());
        m.put("event", rs.getString("event"));
        UUID record = rs.getObject("record_id", UUID.class);
        m.put("record_id", record == null ? null : record.toString());
        String status = rs.getString("status");
        m.put("status", status);
        m.put("attempts", rs.getInt("attempts"));
        int code = rs.getInt("last_status_code");
        m.put("last_status_code", rs.wasNull() ? null : code);
        m.put("last_error", rs.getString("last_error"));
        m.put("next_attempt_at", "pending".equals(status) ? Renderer.time(rs.getObject("next_attempt_at", OffsetDateTime.class)) : null);
        m.put("created_at", Renderer.time(rs.getObject("created_at", OffsetDateTime.class)));
        m.put("finished_at", Renderer.time(rs.getObject("finished_at", OffsetDateTime.class)));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static SqlParameterSource[] batch(List<Map<String, Object>> rows) {
        return SqlParameterSourceUtils.createBatch(rows.toArray(new Map[0]));
    }
}
