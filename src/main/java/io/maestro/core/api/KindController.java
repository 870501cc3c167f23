package io.maestro.core.api;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side of every kind: list, create, read, replace, merge-patch, delete. A kind's
 * controller only names its path and kind; this class does the rest.
 */
public abstract class KindController {
    private final Kind kind;
    private final RecordService records;
    private final CallerProvider callers;

    protected KindController(Kind kind, ApiSupport support) {
        this.kind = kind;
        this.records = support.records();
        this.callers = support.callers();
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> list(HttpServletRequest request) {
        RecordService.Listing page = records.list(kind, request.getParameterMap(), callers.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("total", page.total());
        body.put("page", page.page());
        body.put("size", page.size());
        return body;
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        requireJson(contentType, false);
        RecordService.Written w = records.create(kind, Json.parse(body), callers.current());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(w.record().get("id")).toUri())
                .eTag(etag(w.version())).body(w.record());
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> get(@PathVariable("id") String id) {
        Map<String, Object> doc = records.get(kind, uuid(id), callers.current());
        return ResponseEntity.ok().eTag(etag(((Number) doc.get("version")).longValue())).body(doc);
    }

    @PutMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> replace(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                       @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireJson(contentType, false);
        UUID uuid = uuid(id);
        RecordService.Written w = records.replace(kind, uuid, Json.parse(body), ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(w.version())).body(w.record());
    }

    @PatchMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireJson(contentType, true);
        UUID uuid = uuid(id);
        RecordService.Written w = records.patch(kind, uuid, Json.parse(body), ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(w.version())).body(w.record());
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @RequestParam(value = "detach", defaultValue = "false") boolean detach) {
        records.delete(kind, uuid(id), ifMatch(ifMatch), detach, callers.current());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    protected Kind kind() {
        return kind;
    }

    /** An id that is not a UUID names no record: 404, like any unknown id. */
    protected UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(kind.label());
        }
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** {@code "3"}, {@code W/"3"} or {@code 3}; {@code *} matches any version. */
    static Long ifMatch(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) return null;
        String v = header.strip();
        if (v.startsWith("W/")) v = v.substring(2);
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1L; // matches no version: 412
        }
    }

    static void requireJson(String contentType, boolean patch) {
        if (contentType == null) return;
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
            if (json) return;
        } catch (Exception ignored) {
            // falls through to 415
        }
        throw new ProblemException(415, "Unsupported media type",
                patch ? "Send application/merge-patch+json or application/json" : "Send application/json");
    }
}
