package io.maestro.core.api;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.BulkService;
import io.maestro.core.record.RecordService;
import io.maestro.core.record.Sharing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side of every kind: list, create, read, replace, merge-patch, delete. A kind's
 * controller only names its path and kind; this class does the rest.
 */
public abstract class KindController {
    private static final int EXPORT_BATCH = 1000;

    private final Kind kind;
    private final RecordService records;
    private final CallerProvider callers;
    private final ApiSupport support;
    private final Sharing sharing;

    protected KindController(Kind kind, ApiSupport support) {
        this.kind = kind;
        this.records = support.records();
        this.callers = support.callers();
        this.support = support;
        this.sharing = support.sharing();
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> list(HttpServletRequest request) {
        RecordService.Listing page = records.list(kind, request.getParameterMap(), callers.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        if (page.total() != null) body.put("total", page.total());
        body.put("page", page.page());
        body.put("size", page.size());
        body.put("next", page.next() == null ? null : nextLink(request, page.next()));
        return body;
    }

    /**
     * This request's URL with the cursor of the next page instead of page/cursor, and total=false
     * unless the request asked for the total: a client walking the pages has it from the first.
     */
    private static String nextLink(HttpServletRequest request, String cursor) {
        var b = ServletUriComponentsBuilder.fromRequestUri(request);
        request.getParameterMap().forEach((name, values) -> {
            if (!name.equals("page") && !name.equals("cursor")) b.queryParam(name, (Object[]) values);
        });
        if (!request.getParameterMap().containsKey("total")) b.queryParam("total", "false");
        return b.queryParam("cursor", cursor).build().encode().toUriString().replaceFirst("^https?://[^/]+", "");
    }

    @PostMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        requireJson(contentType, false);
        RecordService.Written w = records.create(kind, Json.parse(body), callers.current());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(w.record().get("id")).toUri())
                .eTag(etag(w.version())).body(w.record());
    }

    /**
     * The most frequent request, so its body is written straight to the response with the
     * application's JSON mapper: Spring's handling of a returned body (content negotiation,
     * converter lookup, a flush that forced chunked encoding) was a sixth of a read's CPU (bench,
     * GET by id). A matching If-None-Match answers 304 and a failed If-Match 412, as Spring does
     * for a returned ResponseEntity with an ETag.
     */
    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public void get(@PathVariable("id") String id, @RequestParam(value = "as_of", required = false) String asOf,
                    HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
        java.time.OffsetDateTime at = io.maestro.core.record.AsOf.instant("as_of", asOf);
        Map<String, Object> doc = at == null ? records.get(kind, kind.id(id), callers.current())
                : records.getAsOf(kind, kind.id(id), at, callers.current());
        String etag = etag(((Number) doc.get("version")).longValue());
        if (new ServletWebRequest(request, response).checkNotModified(etag)) return;
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        support.json().writeValue(response.getOutputStream(), doc);
    }

    @PutMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> replace(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                       @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireJson(contentType, false);
        UUID uuid = kind.id(id);
        RecordService.Written w = records.replace(kind, uuid, Json.parse(body), ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(w.version())).body(w.record());
    }

    @PatchMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                                     @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        requireJson(contentType, true);
        UUID uuid = kind.id(id);
        RecordService.Written w = records.patch(kind, uuid, Json.parse(body), ifMatch(ifMatch), callers.current());
        return ResponseEntity.ok().eTag(etag(w.version())).body(w.record());
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @RequestParam(value = "detach", defaultValue = "false") boolean detach) {
        records.delete(kind, kind.id(id), ifMatch(ifMatch), detach, callers.current());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    /**
     * Upserts a JSON array, NDJSON or CSV body: {@code {created, updated, unchanged, failed:
     * [{index, errors}], warnings}}. {@code atomic=true}: all or nothing; {@code dry_run=true}:
     * validate and report only; {@code keep_ids=true} (global admins): a row whose id is unknown is
     * created with that id, so an export loads into another installation with its links intact.
     */
    @PostMapping(path = "/bulk", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> bulk(HttpServletRequest request,
                                                    @RequestParam(value = "atomic", defaultValue = "false") boolean atomic,
                                                    @RequestParam(value = "dry_run", defaultValue = "false") boolean dryRun,
                                                    @RequestParam(value = "keep_ids", defaultValue = "false") boolean keepIds) throws java.io.IOException {
        io.maestro.core.access.Caller caller = callers.current();
        // creating with chosen ids would tell others which ids exist: only for who sees every record
        if (keepIds && !caller.globalAdmin()) throw ProblemException.forbidden("keep_ids is for global admins");
        if (request.getContentLengthLong() > support.bulkMaxBytes()) {
            throw new ProblemException(413, "Payload too large", "The body is larger than " + support.bulkMaxBytes() + " bytes (maestro.bulk.max-bytes)");
        }
        BulkService.Outcome o = support.bulk().run(kind,
                BulkFormats.source(request.getContentType(), request.getInputStream(), kind, support.bulkMaxBytes()), atomic, dryRun, keepIds, caller);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("created", o.created());
        body.put("updated", o.updated());
        body.put("unchanged", o.unchanged());
        body.put("failed", o.failed());
        body.put("failed_count", o.failedCount());
        body.put("warnings", o.warnings());
        body.put("stored", o.stored());
        body.put("dry_run", dryRun);
        return ResponseEntity.ok(body);
    }

    /** Every record the caller may read, streamed in id order a batch at a time: NDJSON (default) or CSV. */
    @GetMapping("/export")
    public void export(@RequestParam(value = "format", defaultValue = "ndjson") String format, HttpServletResponse response)
            throws java.io.IOException {
        io.maestro.core.access.Caller caller = callers.current();
        boolean csv = switch (format) {
            case "csv" -> true;
            case "ndjson" -> false;
            default -> throw ProblemException.badField("format", "must be ndjson or csv");
        };
        response.setCharacterEncoding("UTF-8");
        response.setContentType(csv ? "text/csv" : "application/x-ndjson");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + kind.collection() + (csv ? ".csv" : ".ndjson") + "\"");
        java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(response.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8));
        java.util.List<String> header = BulkFormats.csvHeader(kind);
        org.apache.commons.csv.CSVPrinter printer = csv ? new org.apache.commons.csv.CSVPrinter(out, org.apache.commons.csv.CSVFormat.RFC4180) : null;
        if (printer != null) printer.printRecord(header);
        records.export(kind, caller, EXPORT_BATCH, docs -> {
            for (Map<String, Object> doc : docs) {
                if (printer != null) BulkFormats.printCsv(printer, header, doc);
                else out.write(Json.write(doc) + "\n");
            }
        });
        out.flush();
    }

    /** Whom the record is shared with: {@code [{team_id | user_id, name, level}]}. */
    @GetMapping(path = "/{id}/access", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> access(@PathVariable("id") String id) {
        return sharing.get(kind, kind.id(id), callers.current());
    }

    /** Replaces the share list with {@code [{team_id | user_id, level: read | write | admin}]}. */
    @PutMapping(path = "/{id}/access", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> replaceAccess(@PathVariable("id") String id, @RequestBody(required = false) byte[] body,
                                                   @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        requireJson(contentType, false);
        UUID uuid = kind.id(id);
        return sharing.replace(kind, uuid, Json.parse(body), callers.current());
    }

    protected Kind kind() {
        return kind;
    }

    /** An id that is not a UUID names no record: 404, like any unknown id. */
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

    /**
     * JSON in UTF-8 (RFC 8259): application/json or another +json type, not JSON Patch (whose
     * operations array means something else than a merge patch); no Content-Type is taken as JSON.
     */
    static void requireJson(String contentType, boolean patch) {
        if (contentType == null) return;
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            boolean json = type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))
                    && !type.getSubtype().equals("json-patch+json");
            Charset charset = type.getCharset();
            boolean utf8 = charset == null || charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII);
            if (json && utf8) return;
        } catch (Exception ignored) {
            // falls through to 415
        }
        throw new ProblemException(415, "Unsupported media type",
                patch ? "Send application/merge-patch+json or application/json, in UTF-8" : "Send application/json, in UTF-8");
    }
}
