package io.maestro.integrations.webhook;

import io.maestro.core.Json;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordChangeListener;
import io.maestro.core.record.Renderer;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The transactional outbox: for every change, in the change's own transaction, one
 * {@code webhook_event} and one {@code webhook_delivery} per enabled webhook that subscribes to
 * the collection and action and whose team may read the record (it owns it, or it is shared
 * with the team; catalog entries are read by all). A change that rolls back leaves nothing; a
 * committed one is in the table for the worker, whatever happens to this process next. After the
 * commit the worker is woken so deliveries leave at once rather than at its next poll.
 */
@Component
public class WebhookOutbox implements RecordChangeListener {
    private static final int CHUNK = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final DeliveryWorker worker;

    public WebhookOutbox(NamedParameterJdbcTemplate jdbc, DeliveryWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    private record Subscriber(UUID id, UUID teamId, String actions) {
    }

    @Override
    public void changed(Kind kind, List<Event> events, String actor, OffsetDateTime at) {
        if (events.isEmpty()) return;
        List<Subscriber> hooks = jdbc.query("SELECT id, team_id, actions FROM webhook WHERE enabled = TRUE AND collections LIKE :c",
                Map.of("c", "%," + kind.collection() + ",%"), (rs, i) -> new Subscriber(rs.getObject("id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getString("actions")));
        if (hooks.isEmpty()) return;
        Map<UUID, Set<UUID>> sharedWith = kind.global() ? Map.of() : shares(kind, events, hooks);
        List<Map<String, Object>> eventRows = new ArrayList<>();
        List<Map<String, Object>> deliveryRows = new ArrayList<>();
        for (Event e : events) {
            UUID eventId = null;
            for (Subscriber h : hooks) {
                if (!h.actions().contains("," + e.action() + ",")) continue;
                boolean readable = kind.global() || h.teamId().equals(e.teamId()) || sharedWith.getOrDefault(e.id(), Set.of()).contains(h.teamId());
                if (!readable) continue;
                if (eventId == null) {
                    eventId = UUID.randomUUID();
                    eventRows.add(eventRow(eventId, kind, e, actor, at));
                }
                Map<String, Object> d = new HashMap<>();
                d.put("id", UUID.randomUUID());
                d.put("webhook", h.id());
                d.put("event", eventId);
                d.put("record", e.id());
                d.put("at", at);
                deliveryRows.add(d);
            }
        }
        if (deliveryRows.isEmpty()) return;
        jdbc.batchUpdate("INSERT INTO webhook_event (id, event, kind, record_id, at, payload) VALUES (:id, :event, :kind, :record, :at, :payload)",
                batch(eventRows));
        jdbc.batchUpdate("INSERT INTO webhook_delivery (id, webhook_id, event_id, record_id, status, attempts, next_attempt_at, created_at) "
                + "VALUES (:id, :webhook, :event, :record, 'pending', 0, :at, :at)", batch(deliveryRows));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.wake();
                }
            });
        }
    }

    /** The teams each changed record is shared with, among the webhooks' teams (one query per thousand records). */
    private Map<UUID, Set<UUID>> shares(Kind kind, List<Event> events, List<Subscriber> hooks) {
        Map<UUID, Set<UUID>> out = new HashMap<>();
        Set<UUID> teams = new HashSet<>();
        hooks.forEach(h -> teams.add(h.teamId()));
        List<UUID> ids = events.stream().filter(e -> hooks.stream().anyMatch(h -> !h.teamId().equals(e.teamId()))).map(Event::id).distinct().toList();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            jdbc.query("SELECT record_id, team_id FROM record_access WHERE kind = :kind AND record_id IN (:ids) AND team_id IN (:teams)",
                    Map.of("kind", kind.collection(), "ids", ids.subList(i, Math.min(ids.size(), i + CHUNK)), "teams", teams),
                    rs -> {
                        out.computeIfAbsent(rs.getObject("record_id", UUID.class), k -> new HashSet<>()).add(rs.getObject("team_id", UUID.class));
                    });
        }
        return out;
    }

    private static Map<String, Object> eventRow(UUID id, Kind kind, Event e, String actor, OffsetDateTime at) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", kind.collection() + "." + e.action());
        payload.put("at", Renderer.time(at));
        payload.put("actor", actor);
        payload.put("collection", kind.collection());
        payload.put("record_id", e.id().toString());
        payload.put("version", e.version());
        payload.put("changes", e.changes() == null ? List.of() : e.changes());
        payload.put("record", e.record());
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("event", kind.collection() + "." + e.action());
        row.put("kind", kind.collection());
        row.put("record", e.id());
        row.put("at", at);
        row.put("payload", Json.write(payload));
        return row;
    }

    private static SqlParameterSource[] batch(List<Map<String, Object>> rows) {
        return SqlParameterSourceUtils.createBatch(rows.toArray(new Map[0]));
    }
}
