package io.maestro.integrations.webhook;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A webhook's delivery log, redelivery and ping. */
@Service
public class Deliveries {
    private final NamedParameterJdbcTemplate jdbc;
    private final Webhooks webhooks;
    private final DeliveryWorker worker;

    public Deliveries(NamedParameterJdbcTemplate jdbc, Webhooks webhooks, DeliveryWorker worker) {
        this.jdbc = jdbc;
        this.webhooks = webhooks;
        this.worker = worker;
    }

    private static final String SELECT = "SELECT d.id, d.record_id, d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at,"
            + " d.created_at, d.finished_at, e.event FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id";

    /** Newest first, {@code size} at most (1-1000, default 50). */
    public List<Map<String, Object>> list(UUID webhook, int size, Caller caller) {
        webhooks.readable(webhook, caller);
        return jdbc.query(SELECT + " WHERE d.webhook_id = :w ORDER BY d.seq DESC LIMIT :size", Map.of("w", webhook, "size", size),
                (rs, i) -> {
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
                });
    }

    /** A new delivery of the same event to the same webhook, sent as soon as the worker is free; its id is new. */
    @Transactional
    public Map<String, Object> redeliver(UUID webhook, UUID delivery, Caller caller) {
        webhooks.administered(webhook, caller);
        List<UUID> event = jdbc.queryForList("SELECT event_id FROM webhook_delivery WHERE id = :d AND webhook_id = :w",
                Map.of("d", delivery, "w", webhook), UUID.class);
        if (event.isEmpty()) throw ProblemException.notFound("Delivery");
        UUID id = UUID.randomUUID();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("w", webhook);
        p.put("e", event.get(0));
        p.put("now", Webhooks.now());
        jdbc.update("INSERT INTO webhook_delivery (id, webhook_id, event_id, record_id, status, attempts, next_attempt_at, created_at) "
                + "SELECT :id, :w, e.id, e.record_id, 'pending', 0, :now, :now FROM webhook_event e WHERE e.id = :e", p);
        wakeAfterCommit();
        return one(id);
    }

    /** A {@code ping} event for this webhook only. */
    @Transactional
    public Map<String, Object> ping(UUID webhook, Caller caller) {
        Webhooks.Hook h = webhooks.administered(webhook, caller);
        OffsetDateTime now = Webhooks.now();
        UUID event = UUID.randomUUID();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "ping");
        payload.put("at", Renderer.time(now));
        payload.put("actor", caller.actor());
        payload.put("webhook_id", h.id().toString());
        payload.put("webhook_name", h.name());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("e", event);
        p.put("id", UUID.randomUUID());
        p.put("w", webhook);
        p.put("now", now);
        p.put("payload", Json.write(payload));
        jdbc.update("INSERT INTO webhook_event (id, event, kind, record_id, at, payload) VALUES (:e, 'ping', NULL, NULL, :now, :payload)", p);
        jdbc.update("INSERT INTO webhook_delivery (id, webhook_id, event_id, record_id, status, attempts, next_attempt_at, created_at) "
                + "VALUES (:id, :w, :e, NULL, 'pending', 0, :now, :now)", p);
        wakeAfterCommit();
        return one((UUID) p.get("id"));
    }

    private Map<String, Object> one(UUID id) {
        return jdbc.query(SELECT + " WHERE d.id = :id", Map.of("id", id), (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("delivery_id", id.toString());
            m.put("event", rs.getString("event"));
            UUID record = rs.getObject("record_id", UUID.class);
            m.put("record_id", record == null ? null : record.toString());
            m.put("status", rs.getString("status"));
            m.put("attempts", rs.getInt("attempts"));
            m.put("last_status_code", null);
            m.put("last_error", null);
            m.put("next_attempt_at", Renderer.time(rs.getObject("next_attempt_at", OffsetDateTime.class)));
            m.put("created_at", Renderer.time(rs.getObject("created_at", OffsetDateTime.class)));
            m.put("finished_at", null);
            return m;
        }).get(0);
    }

    private void wakeAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                worker.wake();
            }
        });
    }
}
