package io.maestro.integrations.webhook;

import io.maestro.core.Ids;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/webhooks}: team-owned subscriptions to changes, their delivery log, redelivery and ping. */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "webhooks", description = "Signed HTTP POSTs for every change a team may read, from a transactional outbox")
public class WebhookController {
    private final Webhooks webhooks;
    private final Deliveries deliveries;
    private final CallerProvider callers;

    public WebhookController(Webhooks webhooks, Deliveries deliveries, CallerProvider callers) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.callers = callers;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Webhooks of the caller's teams (all for global admins)")
    public Map<String, Object> list() {
        List<Map<String, Object>> items = webhooks.list(callers.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        return body;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Creates a webhook (team admins): name, url, secret, collections, actions, enabled, team_id")
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        Map<String, Object> doc = webhooks.create(Json.parse(body), callers.current());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(doc.get("id")).toUri())
                .eTag(etag(doc)).body(doc);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
        Map<String, Object> doc = webhooks.get(id(id), callers.current());
        return ResponseEntity.ok().eTag(etag(doc)).body(doc);
    }

    @PutMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> replace(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Map<String, Object> doc = webhooks.update(id(id), Json.parse(body), false, ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(doc)).body(doc);
    }

    @PatchMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Map<String, Object> doc = webhooks.update(id(id), Json.parse(body), true, ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(doc)).body(doc);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        webhooks.delete(id(id), callers.current());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping(path = "/{id}/deliveries", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The webhook's deliveries, newest first (size 1-1000, default 50)")
    public Map<String, Object> deliveries(@PathVariable("id") String id, @RequestParam(value = "size", required = false) String size) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", deliveries.list(id(id), size(size), callers.current()));
        return body;
    }

    @PostMapping(path = "/{id}/deliveries/{delivery}/redeliver", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sends a delivery's event again, as a new delivery")
    public ResponseEntity<Map<String, Object>> redeliver(@PathVariable("id") String id, @PathVariable("delivery") String delivery) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.redeliver(id(id), Ids.parse(delivery, "Delivery"), callers.current()));
    }

    @PostMapping(path = "/{id}/ping", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sends a ping event to the webhook")
    public ResponseEntity<Map<String, Object>> ping(@PathVariable("id") String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(deliveries.ping(id(id), callers.current()));
    }

    private static UUID id(String text) {
        return Ids.parse(text, "Webhook");
    }

    private static int size(String text) {
        if (text == null || text.isBlank()) return 50;
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= 1000) return n;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ProblemException.badField("size", "must be between 1 and 1000");
    }

    private static String etag(Map<String, Object> doc) {
        return "\"" + doc.get("version") + "\"";
    }

    private static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) return null;
        try {
            return Long.parseLong(header.strip().replace("W/", "").replace("\"", ""));
        } catch (NumberFormatException e) {
            return -1L;
        }
    }
}
