package io.maestro.integrations.webhook;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Scope;
import io.maestro.core.record.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the outbox. Each poll claims due deliveries in a short transaction
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}: with several nodes on one database each delivery is
 * claimed by one), moves their next attempt a lease ahead and commits; then sends them, a few at a
 * time on their own threads, so one slow receiver holds up no other (a few claimed per thread, the
 * lease long enough for each to wait its turn). A delivery waits while an
 * earlier one of the same webhook and record is pending, so a record's deliveries arrive in
 * order. A 2xx within the timeout is success; anything else is retried after the next of the
 * retry delays (the last repeats) until give-up-after has passed since the change, then failed.
 * A node that dies mid-send leaves the delivery pending; it is sent again when the lease ends
 * (at least once: receivers deduplicate on X-Maestro-Delivery).
 */
@Component
public class DeliveryWorker implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Deliveries claimed per sender thread at a time: fewer claims, each one's lease long enough to wait its turn. */
    private static final int QUEUED_PER_THREAD = 8;

    private final WebhookStore store;
    private final TransactionTemplate tx;
    private final Webhooks webhooks;
    private final Visibility visibility;
    private final Duration pollInterval;
    private final List<Duration> retryDelays;
    private final Duration giveUpAfter;
    private final Duration timeout;
    private final Duration lease;
    private final int threads;
    private final boolean enabled;
    private final HttpClient http;
    private volatile Semaphore free;
    private final AtomicBoolean polling = new AtomicBoolean();
    private ScheduledExecutorService poller;
    private ExecutorService senders;

    public DeliveryWorker(WebhookStore store, PlatformTransactionManager transactions, Webhooks webhooks, Visibility visibility,
                          @Value("${maestro.webhooks.poll-interval:5s}") Duration pollInterval,
                          @Value("${maestro.webhooks.retry-delays:10s,30s,2m,10m,1h,3h,6h}") List<Duration> retryDelays,
                          @Value("${maestro.webhooks.give-up-after:25h}") Duration giveUpAfter,
                          @Value("${maestro.webhooks.timeout:10s}") Duration timeout,
                          @Value("${maestro.webhooks.threads:4}") int threads,
                          @Value("${maestro.webhooks.worker:true}") boolean enabled) {
        this.store = store;
        this.tx = new TransactionTemplate(transactions);
        this.webhooks = webhooks;
        this.visibility = visibility;
        this.pollInterval = pollInterval;
        this.retryDelays = List.copyOf(retryDelays);
        this.giveUpAfter = giveUpAfter;
        this.timeout = timeout;
        this.threads = Math.max(1, threads);
        this.lease = timeout.multipliedBy(QUEUED_PER_THREAD + 2);
        this.enabled = enabled;
        this.free = new Semaphore(capacity());
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private int capacity() {
        return threads * QUEUED_PER_THREAD;
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (!enabled || poller != null) return;
        free = new Semaphore(capacity()); // sends cut short by a stop never gave theirs back
        poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-poller"));
        senders = Executors.newFixedThreadPool(threads, r -> daemon(r, "webhook-sender"));
        poller.scheduleWithFixedDelay(this::pollSafely, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Polls now (after a commit that wrote deliveries), besides the regular polls. */
    void wake() {
        ScheduledExecutorService p = poller;
        if (p != null && !p.isShutdown()) {
            try {
                p.execute(this::pollSafely);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // shutting down
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void pollSafely() {
        if (!polling.compareAndSet(false, true)) return;
        try {
            int n;
            do {
                n = poll();
            } while (n > 0 && free.availablePermits() > 0);
        } catch (RuntimeException e) {
            log.warn("Webhook delivery poll failed: {}", e.toString());
        } finally {
            polling.set(false);
        }
    }

    /** A claimed delivery with what sending it takes. */
    record Claimed(long seq, UUID id, UUID webhookId, UUID teamId, String url, String secret, String event, String payload, int attempts,
                   OffsetDateTime createdAt) {
    }

    /** Claims as many due deliveries as the senders have room for (in flight or queued) and hands them over; returns how many. */
    int poll() {
        Semaphore free = this.free;
        int room = free.availablePermits();
        if (room == 0) return 0;
        List<Claimed> claimed = tx.execute(s -> claim(room));
        for (Claimed c : claimed) {
            free.acquireUninterruptibly();
            senders.execute(() -> {
                try {
                    send(c);
                } catch (RuntimeException e) {
                    log.warn("Webhook delivery {} failed unexpectedly: {}", c.id(), e.toString());
                } finally {
                    free.release();
                    if (free.availablePermits() >= capacity() / 2) wake();
                }
            });
        }
        return claimed.size();
    }

    private List<Claimed> claim(int limit) {
        OffsetDateTime now = Webhooks.now();
        return store.claim(now, now.plus(lease), limit);
    }

    private void send(Claimed c) {
        byte[] body = body(c).getBytes(StandardCharsets.UTF_8);
        Integer status = null;
        String error = null;
        try {
            String refused = webhooks.refusal(URI.create(c.url()), true);
            if (refused != null) {
                finish(c, null, "not sent: the url " + refused);
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.url())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Maestro-Webhooks")
                    .header("X-Maestro-Event", c.event())
                    .header("X-Maestro-Delivery", c.id().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            String secret = webhooks.openSecret(c.webhookId(), c.secret());
            if (secret != null) request.header("X-Maestro-Signature", "sha256=" + hmac(secret, body));
            CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
            try {
                status = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
                if (status < 200 || status > 299) error = "answered " + status;
            } catch (TimeoutException e) {
                answer.cancel(true);
                error = "no answer within " + timeout.toSeconds() + " s";
            }
        } catch (java.util.concurrent.ExecutionException e) {
            error = describe(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            error = describe(e);
        }
        finish(c, status, error);
    }

    private static String describe(Throwable e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return m.length() > 1000 ? m.substring(0, 1000) : m;
    }

    private void finish(Claimed c, Integer status, String error) {
        OffsetDateTime now = Webhooks.now();
        if (error == null) store.succeeded(c.seq(), status, now);
        else if (!now.isBefore(c.createdAt().plus(giveUpAfter))) store.failed(c.seq(), status, error, now);
        else store.retryAt(c.seq(), status, error, now.plus(retryDelays.get(Math.min(Math.max(c.attempts(), 1), retryDelays.size()) - 1)));
    }

    /**
     * The body: delivery_id first, then the event as recorded, with what the webhook's team may
     * not read now left out of {@code record} and {@code changes} (links to other teams' records).
     */
    @SuppressWarnings("unchecked")
    private String body(Claimed c) {
        Map<String, Object> payload = (Map<String, Object>) Json.parse(c.payload());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("delivery_id", c.id().toString());
        out.putAll(payload);
        if (payload.get("record") instanceof Map<?, ?> || payload.get("changes") instanceof List<?>) {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("record", payload.get("record"));
            part.put("changes", payload.get("changes"));
            Map<String, Object> masked = visibility.mask(List.of(part), teamScope(c.teamId())).get(0);
            if (masked.get("record") instanceof Map<?, ?> r && payload.get("record") instanceof Map<?, ?> original) {
                ((Map<String, Object>) r).put("id", original.get("id")); // the record itself is readable to the team
            }
            out.put("record", masked.get("record"));
            out.put("changes", masked.get("changes"));
        }
        return Json.write(out);
    }

    /** What a member of the team reads, and no more: no user, no global admin rights. */
    static Scope teamScope(UUID team) {
        return Scope.of(new Caller(new UUID(0, 0), "webhook", false, List.of(team), List.of(), team, "webhook", true));
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void destroy() {
        if (poller != null) poller.shutdownNow();
        if (senders != null) senders.shutdownNow();
        poller = null;
    }
}
