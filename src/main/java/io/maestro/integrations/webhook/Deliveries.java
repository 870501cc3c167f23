package io.maestro.integrations.webhook;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Renderer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A webhook's delivery log, redelivery and ping. */
@Service
public class Deliveries {
    private final WebhookStore store;
    private final Webhooks webhooks;
    private final DeliveryWorker worker;

    public Deliveries(WebhookStore store, Webhooks webhooks, DeliveryWorker worker) {
        this.store = store;
        this.webhooks = webhooks;
        this.worker = worker;
    }

    /** Newest first, {@code size} at most (1-1000, default 50). */
    public List<Map<String, Object>> list(UUID webhook, int size, Caller caller) {
        webhooks.readable(webhook, caller);
        return store.deliveries(webhook, size);
    }

    /** A new delivery of the same event to the same webhook, sent as soon as the worker is free; its id is new. */
    @Transactional
    public Map<String, Object> redeliver(UUID webhook, UUID delivery, Caller caller) {
        webhooks.administered(webhook, caller);
        UUID event = store.eventOf(delivery, webhook).orElseThrow(() -> ProblemException.notFound("Delivery"));
        UUID id = UUID.randomUUID();
        store.redeliver(id, webhook, event, Webhooks.now());
        wakeAfterCommit();
        return store.delivery(id);
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
        Map<String, Object> eventRow = new HashMap<>();
        eventRow.put("id", event);
        eventRow.put("event", "ping");
        eventRow.put("kind", null);
        eventRow.put("record", null);
        eventRow.put("at", now);
        eventRow.put("payload", Json.write(payload));
        UUID id = UUID.randomUUID();
        Map<String, Object> deliveryRow = new HashMap<>();
        deliveryRow.put("id", id);
        deliveryRow.put("webhook", webhook);
        deliveryRow.put("event", event);
        deliveryRow.put("record", null);
        deliveryRow.put("at", now);
        store.enqueue(List.of(eventRow), List.of(deliveryRow));
        wakeAfterCommit();
        return store.delivery(id);
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
