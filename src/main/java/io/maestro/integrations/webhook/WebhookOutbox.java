package io.maestro.integrations.webhook;

import io.maestro.core.Json;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordChangeListener;
import io.maestro.core.record.Renderer;
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
    private final WebhookStore store;
    private final DeliveryWorker worker;

    public WebhookOutbox(WebhookStore store, DeliveryWorker worker) {
        this.store = store;
        this.worker = worker;
    }

    @Override
    public void changed(Kind kind, List<Event> events, String actor, OffsetDateTime at) {
        if (events.isEmpty()) return;
        List<WebhookStore.Subscriber> hooks = store.subscribers(kind.collection());
        if (hooks.isEmpty()) return;
        Map<UUID, Set<UUID>> sharedWith = kind.global() ? Map.of() : shares(kind, events, hooks);
        List<Map<String, Object>> eventRows = new ArrayList<>();
        List<Map<String, Object>> deliveryRows = new ArrayList<>();
        for (Event e : events) {
            UUID eventId = null;
            for (WebhookStore.Subscriber h : hooks) {
                if (!h.wants(e.action())) continue;
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
        store.enqueue(eventRows, deliveryRows);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.wake();
                }
            });
        }
    }

    /** The teams each changed record is shared with, among the webhooks' teams. */
    private Map<UUID, Set<UUID>> shares(Kind kind, List<Event> events, List<WebhookStore.Subscriber> hooks) {
        Set<UUID> teams = new HashSet<>();
        hooks.forEach(h -> teams.add(h.teamId()));
        List<UUID> ids = events.stream().filter(e -> hooks.stream().anyMatch(h -> !h.teamId().equals(e.teamId()))).map(Event::id).distinct().toList();
        return store.sharedWith(kind.collection(), ids, teams);
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
}
