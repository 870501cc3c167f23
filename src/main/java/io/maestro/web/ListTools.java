package io.maestro.web;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.api.BulkFormats;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.BulkService;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.core.schema.Field;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The everyday jobs of a list page: export what the filter shows, import a file (a dry run
 * first, then for real), and edit or delete many records at once. Every write goes through the
 * record and bulk services with the signed-in caller: the same validation, access, warnings and
 * history as the API's {@code /bulk} and single writes.
 */
@Controller
@RequestMapping("/{collection:(?!css$|js$|img$)[a-z]+}")
public class ListTools {
    /** "All N matching" acts on at most this many records (a filter, not the whole inventory, is the intent). */
    static final int MAX_SELECTION = 10_000;
    private static final int PAGE = 1000;
    private static final Set<String> NOT_FILTERS = Set.of("page", "size", "cursor", ColumnChoice.PARAM);
    private static final Set<String> RECORD_COLUMNS = Set.of("id", "team_id", "created_at", "updated_at", "version", "warnings");

    private final Pages pages;
    private final RecordService records;
    private final BulkService bulk;
    private final CallerProvider callers;
    private final Kinds kinds;
    private final Directory directory;
    private final OptionsService options;
    private final long importMaxBytes;
    private final io.maestro.core.access.AccessPolicy access;

    public ListTools(Pages pages, RecordService records, BulkService bulk, CallerProvider callers, Kinds kinds, Directory directory,
                     OptionsService options, io.maestro.core.access.AccessPolicy access,
                     @Value("${maestro.import.max-bytes:52428800}") long importMaxBytes) {
        this.access = access;
        this.pages = pages;
        this.records = records;
        this.bulk = bulk;
        this.callers = callers;
        this.kinds = kinds;
        this.directory = directory;
        this.options = options;
        this.importMaxBytes = importMaxBytes;
    }

    // ---- export

    /** The records the list's filter shows (all pages, in its sort), as the API's export formats. */
    @GetMapping("/export")
    public void export(@PathVariable("collection") String collection, @RequestParam(value = "format", defaultValue = "csv") String format,
                       HttpServletRequest request, HttpServletResponse response) throws IOException {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        Caller caller = callers.current();
        boolean csv = switch (format) {
            case "csv" -> true;
            case "ndjson" -> false;
            default -> throw ProblemException.badField("format", "must be csv or ndjson");
        };
        Map<String, String[]> params = filterParams(request.getParameterMap());
        params.remove("format");
        // the first page before the headers: a bad filter is an error page, not a broken download
        RecordService.Listing first = records.list(kind, withPage(params, null, 0), caller);
        response.setCharacterEncoding("UTF-8");
        response.setContentType(csv ? "text/csv" : "application/x-ndjson");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + collection + (csv ? ".csv" : ".ndjson") + "\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        List<String> header = BulkFormats.csvHeader(kind);
        CSVPrinter printer = csv ? new CSVPrinter(out, CSVFormat.RFC4180) : null;
        if (printer != null) printer.printRecord(header);
        each(kind, params, caller, first, doc -> {
            if (printer != null) BulkFormats.printCsv(printer, header, doc);
            else out.write(Json.write(doc) + "\n");
        });
        out.flush();
    }

    private interface DocConsumer {
        void accept(Map<String, Object> doc) throws IOException;
    }

    /** Every record of a filter, a page of 1,000 at a time: by cursor, or by page number for a historical list (which has none). */
    private void each(Kind kind, Map<String, String[]> params, Caller caller, RecordService.Listing first, DocConsumer consumer) throws IOException {
        RecordService.Listing page = first;
        int number = 0;
        while (true) {
            for (Map<String, Object> doc : page.items()) consumer.accept(doc);
            if (page.items().size() < PAGE) return;
            if (page.next() != null) page = records.list(kind, withPage(params, page.next(), 0), caller);
            else if (params.containsKey("as_of")) page = records.list(kind, withPage(params, null, ++number), caller);
            else return;
        }
    }

    private static Map<String, String[]> withPage(Map<String, String[]> params, String cursor, int page) {
        Map<String, String[]> p = new LinkedHashMap<>(params);
        p.put("size", new String[]{String.valueOf(PAGE)});
        // the first page counts (the selection's limit); the pages after it need no total
        if (cursor != null || page > 0) p.put("total", new String[]{"false"});
        else p.remove("total");
        if (cursor != null) p.put("cursor", new String[]{cursor});
        else if (page > 0) p.put("page", new String[]{String.valueOf(page)});
        return p;
    }

    /** The list's filters (and sort) without paging and empty values, {@code as_of} as the services take it. */
    static Map<String, String[]> filterParams(Map<String, String[]> raw) {
        Map<String, String[]> out = filterParamsRaw(raw);
        TimeTravel.normalise(out);
        return out;
    }

    /** The list's filters (and sort) without paging and empty values, as given. */
    static Map<String, String[]> filterParamsRaw(Map<String, String[]> raw) {
        Map<String, String[]> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (NOT_FILTERS.contains(k) || k.startsWith("_")) return;
            String[] kept = java.util.Arrays.stream(v).filter(s -> s != null && !s.isBlank()).toArray(String[]::new);
            if (kept.length > 0) out.put(k, kept);
        });
        return out;
    }

    // ---- columns

    /** The column chooser of a list: every column it can show; the list's filters ride along. */
    @GetMapping("/columns")
    public String columns(@PathVariable("collection") String collection, HttpServletRequest request, Model model) {
        KindView base = pages.view(collection);
        KindView shown = ColumnChoice.apply(base, request.getParameterValues(ColumnChoice.PARAM));
        Map<String, String[]> params = filterParamsRaw(request.getParameterMap());
        model.addAttribute("view", base);
        model.addAttribute("columnChoices", ColumnChoice.choices(shown, base));
        model.addAttribute("hiddenParams", params);
        String query = ListPageExtras.filterQuery(request.getParameterMap());
        StringBuilder back = new StringBuilder("/" + collection + (query.isEmpty() ? "" : "?" + query));
        String[] cols = request.getParameterValues(ColumnChoice.PARAM);
        if (cols != null) {
            for (String c : cols) back.append(back.indexOf("?") < 0 ? "?" : "&").append("col=").append(java.net.URLEncoder.encode(c, StandardCharsets.UTF_8));
        }
        model.addAttribute("backHref", back.toString());
        return "columns";
    }

    // ---- import

    @GetMapping("/import")
    public String importPage(@PathVariable("collection") String collection, Model model) {
        KindView view = pages.view(collection);
        requireWrite(view.kind(), callers.current());
        model.addAttribute("view", view);
        model.addAttribute("columns", BulkFormats.csvHeader(view.kind()));
        model.addAttribute("maxMegabytes", importMaxBytes / (1024 * 1024));
        model.addAttribute("maxBytes", importMaxBytes);
        return "import";
    }

    /** What an import found or did, for the page. */
    public record ImportReport(boolean dryRun, long created, long updated, long unchanged, long failedCount,
                               List<BadRow> failed, long warningCount, String message) {
        public boolean writes() {
            return created + updated > 0;
        }
    }

    /** A row that cannot be imported: its number in the file (1 = first record) and every field error. */
    public record BadRow(long number, List<Map<String, Object>> errors, String existingHref) {
    }

    /**
     * A file sent as it is (the browser posts its bytes with the type of its extension): with
     * {@code dry_run=true} validated in one transaction that is rolled back, else stored. Answers a
     * fragment of the import page; a file that is not one of this kind's is refused before any row.
     */
    @PostMapping("/import")
    public String importFile(@PathVariable("collection") String collection, @RequestParam(value = "dry_run", defaultValue = "true") boolean dryRun,
                             HttpServletRequest request, HttpServletResponse response, Model model) throws IOException {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        Caller caller = callers.current();
        requireWrite(kind, caller);
        model.addAttribute("view", view);
        try {
            model.addAttribute("report", runImport(kind, request, dryRun, caller));
        } catch (ProblemException e) {
            response.setStatus(e.status());
            model.addAttribute("refused", refusal(kind, e));
        }
        return "import :: result";
    }

    private ImportReport runImport(Kind kind, HttpServletRequest request, boolean dryRun, Caller caller) throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase();
        if (!(type.startsWith("text/csv") || type.startsWith("application/x-ndjson") || type.startsWith("application/json"))) {
            throw ProblemException.badField("file", "Choose a .csv, .ndjson or .json file (this one is " + (type.isEmpty() ? "of no known type" : type) + ")");
        }
        if (request.getContentLengthLong() > importMaxBytes) throw tooLarge();
        BufferedInputStream in = new BufferedInputStream(request.getInputStream(), 65536);
        in.mark(65536);
        byte[] head = in.readNBytes(65536);
        in.reset();
        if (head.length == 0 || new String(head, StandardCharsets.UTF_8).isBlank()) {
            throw ProblemException.badField("file", "The file is empty: nothing to import");
        }
        if (binary(head)) throw ProblemException.badField("file", "This is not a text file: export a CSV or NDJSON file and choose that");
        if (type.startsWith("text/csv")) {
            List<String> unknown = unknownColumns(kind, head);
            if (!unknown.isEmpty()) {
                throw ProblemException.badRequest("unknown CSV columns", unknown.stream()
                        .map(c -> new io.maestro.core.FieldError(c, "unknown CSV column for " + kind.collection())).toList());
            }
        } else {
            String other = otherKindOfFirstRow(kind, head, type.startsWith("application/x-ndjson"));
            if (other != null) throw otherKind(kind, other);
        }
        BulkService.RowSource rows = BulkFormats.source(request.getContentType(), in, kind, importMaxBytes);
        BulkService.Outcome o = bulk.run(kind, rows, false, dryRun, false, caller);
        if (o.created() + o.updated() + o.unchanged() + o.failedCount() == 0) {
            throw ProblemException.badField("file", "The file holds no rows: nothing to import");
        }
        List<BadRow> bad = new ArrayList<>();
        for (Map<String, Object> f : o.failed()) {
            long number = ((Number) f.get("index")).longValue() + 1;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> errors = (List<Map<String, Object>>) f.get("errors");
            Object existing = f.get("existing_id");
            bad.add(new BadRow(number, errors, existing == null ? null : "/" + kind.collection() + "/" + existing));
        }
        return new ImportReport(dryRun, o.created(), o.updated(), o.unchanged(), o.failedCount(), bad, o.warnings().size(), null);
    }

    /** Every column of the header row this kind does not have (the bulk reader stops at the first). */
    private static List<String> unknownColumns(Kind kind, byte[] head) {
        Set<String> known = new LinkedHashSet<>(BulkFormats.csvHeader(kind));
        try (var parser = CSVFormat.RFC4180.parse(new java.io.StringReader(new String(head, StandardCharsets.UTF_8)))) {
            var first = parser.iterator();
            if (!first.hasNext()) return List.of();
            List<String> out = new ArrayList<>();
            for (String column : first.next()) if (!column.isBlank() && !known.contains(column.strip())) out.add(column.strip());
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of(); // the bulk reader says what is wrong with it
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(413, "Payload too large", "The file is larger than " + importMaxBytes / (1024 * 1024)
                + " MB, the most one import takes: split it, or load it with the API's /bulk");
    }

    /** NUL bytes or bytes that are not UTF-8 (a cut in the middle of a character at the end is allowed). */
    private static boolean binary(byte[] head) {
        for (byte b : head) if (b == 0) return true;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, Math.max(0, head.length - 4)));
            return false;
        } catch (CharacterCodingException e) {
            return true;
        }
    }

    /** The collection whose fields the first JSON record has, when this kind does not have them all. */
    private String otherKindOfFirstRow(Kind kind, byte[] head, boolean ndjson) {
        String text = new String(head, StandardCharsets.UTF_8).strip();
        Set<String> keys = new LinkedHashSet<>();
        try {
            String first = ndjson ? text.lines().filter(l -> !l.isBlank()).findFirst().orElse("") : null;
            Object row = ndjson ? Json.parse(first.getBytes(StandardCharsets.UTF_8)) : null;
            if (!ndjson && text.startsWith("[")) {
                // the first element of an array, read from the start of the file
                tools.jackson.core.JsonParser p = Json.mapper().createParser(head);
                if (p.nextToken() == tools.jackson.core.JsonToken.START_ARRAY && p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) {
                    row = Json.mapper().readerFor(Object.class).readValue(p);
                }
            }
            if (row instanceof Map<?, ?> m) m.keySet().forEach(k -> keys.add(String.valueOf(k)));
        } catch (RuntimeException e) {
            return null; // the bulk reader reports what is wrong with it
        }
        return otherKind(kind, keys);
    }

    private String otherKind(Kind kind, Set<String> keys) {
        keys.removeAll(RECORD_COLUMNS);
        if (keys.isEmpty() || fieldNames(kind).containsAll(keys)) return null;
        for (Kind k : kinds.all()) {
            if (k != kind && fieldNames(k).containsAll(keys)) return k.collection();
        }
        return null;
    }

    private static Set<String> fieldNames(Kind kind) {
        Set<String> names = new LinkedHashSet<>();
        kind.fields().forEach(f -> names.add(f.name));
        return names;
    }

    private ProblemException otherKind(Kind kind, String other) {
        String label = pages.view(other).plural();
        return ProblemException.badField("file", "This file holds " + label.toLowerCase() + ", not " + kind.label().toLowerCase()
                + "s: import it from the " + label + " list").with("other_collection", other);
    }

    /** A refused file, said plainly: which columns do not belong, and whose they look like. */
    private String refusal(Kind kind, ProblemException e) {
        if (e.status() == 413) return e.getMessage().startsWith("The file") ? e.getMessage() : tooLarge().getMessage();
        List<String> unknown = e.errors().stream().filter(fe -> fe.message().startsWith("unknown CSV column")).map(io.maestro.core.FieldError::field).toList();
        if (!unknown.isEmpty()) {
            String other = null;
            for (Kind k : kinds.all()) {
                if (k == kind) continue;
                Set<String> columns = new LinkedHashSet<>(BulkFormats.csvHeader(k));
                if (columns.containsAll(unknown)) {
                    other = k.collection();
                    break;
                }
            }
            String msg = "The file has " + (unknown.size() == 1 ? "a column " : "columns ") + kind.label().toLowerCase() + "s do not have: "
                    + String.join(", ", unknown) + ".";
            return other != null ? msg + " It looks like a file of " + pages.view(other).plural().toLowerCase()
                    + ": import it from the " + pages.view(other).plural() + " list." : msg + " Use the columns of an export (listed below).";
        }
        if (!e.errors().isEmpty()) return e.errors().get(0).message().startsWith("The ") || e.errors().get(0).message().startsWith("This ")
                || e.errors().get(0).message().startsWith("Choose ") ? e.errors().get(0).message() : e.getMessage();
        return e.getMessage();
    }

    // ---- selections

    /** The records a bulk action (or the impact of a selection) applies to: the ticked ids, or every record the list's filter matches. */
    List<UUID> selection(Kind kind, Map<String, String[]> form, Caller caller) {
        List<UUID> ids = new ArrayList<>();
        if ("true".equals(RecordPages.first(form, "all"))) {
            Map<String, String[]> params = filterParams(query(RecordPages.first(form, "filter")));
            if (params.containsKey("as_of")) throw ProblemException.badField("as_of", "A historical list is read-only");
            RecordService.Listing first = records.list(kind, withPage(params, null, 0), caller);
            if (first.total() > MAX_SELECTION) {
                throw ProblemException.badField("all", "The filter matches " + first.total() + " records; narrow it to at most " + MAX_SELECTION);
            }
            try {
                each(kind, params, caller, first, doc -> ids.add(UUID.fromString(String.valueOf(doc.get("id")))));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            String[] picked = form.getOrDefault("id", new String[0]);
            if (picked.length > MAX_SELECTION) throw ProblemException.badField("id", "at most " + MAX_SELECTION + " records at once");
            for (String s : new LinkedHashSet<>(List.of(picked))) ids.add(kind.id(s));
        }
        if (ids.isEmpty()) throw ProblemException.badField("id", "Select at least one " + kind.label().toLowerCase());
        return ids;
    }

    private static Map<String, String[]> query(String queryString) {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (queryString == null || queryString.isBlank()) return out;
        UriComponentsBuilder.fromUriString("/?" + queryString).build().getQueryParams().forEach((k, v) -> out.put(decode(k),
                v.stream().map(s -> s == null ? "" : decode(s)).toArray(String[]::new)));
        return out;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    // ---- bulk edit

    /**
     * One field the bulk edit form can set: option and yes/no fields as selects (with "keep" and
     * "(clear)"), the others as text with a "clear" box; {@code error} is what the check found.
     */
    public record BulkField(String path, String label, String param, List<Node.Opt> options, String value, String error,
                            String inputMode, boolean clearable, boolean cleared) {
    }

    /** What one record of a bulk action came to. */
    public record RowResult(String id, String name, String href, boolean ok, String outcome) {
    }

    /** A change of many records: the merge patch of the chosen fields, and the tags to add and remove. */
    private record Edit(Map<String, Object> patch, List<String> addTags, List<String> removeTags) {
        boolean isEmpty() {
            return patch.isEmpty() && addTags.isEmpty() && removeTags.isEmpty();
        }
    }

    @PostMapping("/bulk-edit")
    public String bulkEdit(@PathVariable("collection") String collection, HttpServletRequest request, Model model,
                           HttpServletResponse response) {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        Caller caller = callers.current();
        requireWrite(kind, caller);
        Map<String, String[]> form = request.getParameterMap();
        List<UUID> ids;
        try {
            ids = selection(kind, form, caller);
        } catch (ProblemException e) {
            return back(view, e, model, response);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        Edit edit = new Edit(patchOf(kind, form, caller, errors), tags(RecordPages.first(form, "tags_add"), "tags_add", errors, true),
                tags(RecordPages.first(form, "tags_remove"), "tags_remove", errors, false));
        boolean apply = "true".equals(RecordPages.first(form, "apply"));
        if (apply && errors.isEmpty() && edit.isEmpty()) errors.put("_form", "Choose at least one change");
        if (!apply || !errors.isEmpty()) {
            if (!errors.isEmpty()) response.setStatus(400);
            editForm(model, view, ids, form, errors, List.of(), caller);
            return "bulk-edit";
        }
        // the bulk pipeline (the API's /bulk), all or nothing: one record that the change does not suit stores none
        Map<UUID, Long> before = new LinkedHashMap<>();
        BulkService.Outcome o = bulk.run(kind, new EditedRows(kind, ids, edit, caller, before), true, false, false, caller);
        Map<UUID, String> names = records.names(kind, ids, caller);
        if (o.failedCount() > 0) {
            List<RowResult> refused = new ArrayList<>();
            for (Map<String, Object> f : o.failed()) {
                UUID id = ids.get(((Number) f.get("index")).intValue());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> fieldErrors = (List<Map<String, Object>>) f.get("errors");
                for (Map<String, Object> fe : fieldErrors) {
                    // at the field too, when it is one the form set (access or a section's rule is said per record only)
                    String param = "set." + fe.get("field");
                    String set = RecordPages.first(form, param);
                    if ((set != null && !set.isBlank()) || RecordPages.first(form, "clear." + fe.get("field")) != null) {
                        errors.putIfAbsent(param, String.valueOf(fe.get("message")));
                    }
                }
                refused.add(new RowResult(id.toString(), names.getOrDefault(id, id.toString()), "/" + collection + "/" + id, false,
                        String.join("; ", fieldErrors.stream().map(fe -> Labels.field(collection, String.valueOf(fe.get("field"))) + ": " + fe.get("message")).toList())));
            }
            errors.put("_form", o.failedCount() + " of " + count(ids.size(), view) + " cannot take this change (see each below)");
            response.setStatus(400);
            editForm(model, view, ids, form, errors, refused, caller);
            return "bulk-edit";
        }
        Map<UUID, Map<String, Object>> after = records.getAll(kind, ids, caller);
        List<RowResult> results = new ArrayList<>();
        for (UUID id : ids) {
            Object version = after.getOrDefault(id, Map.of()).get("version");
            boolean same = version instanceof Number n && before.get(id) != null && n.longValue() == before.get(id);
            results.add(new RowResult(id.toString(), names.getOrDefault(id, id.toString()), "/" + collection + "/" + id, true, same ? "Unchanged" : "Saved"));
        }
        resultPage(model, view, "Bulk edit of " + count(ids.size(), view), results, form);
        return "bulk-result";
    }

    /**
     * The selected records as the bulk pipeline takes them, a chunk at a time: each as a read
     * renders it with the edit applied (an id no longer readable is sent as it is and reported).
     * Notes each record's version before, so the result can say which ones changed.
     */
    private final class EditedRows implements BulkService.RowSource {
        private final Kind kind;
        private final List<UUID> ids;
        private final Edit edit;
        private final Caller caller;
        private final Map<UUID, Long> versions;
        private int next;

        EditedRows(Kind kind, List<UUID> ids, Edit edit, Caller caller, Map<UUID, Long> versions) {
            this.kind = kind;
            this.ids = ids;
            this.edit = edit;
            this.caller = caller;
            this.versions = versions;
        }

        @Override
        public List<Object> next(int max) {
            List<UUID> chunk = ids.subList(next, Math.min(ids.size(), next + max));
            next += chunk.size();
            Map<UUID, Map<String, Object>> docs = records.getAll(kind, chunk, caller);
            List<Object> rows = new ArrayList<>();
            for (UUID id : chunk) {
                Map<String, Object> doc = docs.get(id);
                if (doc == null) {
                    rows.add(Map.of("id", id.toString()));
                    continue;
                }
                if (doc.get("version") instanceof Number n) versions.put(id, n.longValue());
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) io.maestro.core.record.MergePatch.apply(doc, edit.patch());
                if (!edit.addTags().isEmpty() || !edit.removeTags().isEmpty()) row.put("tags", newTags(doc.get("tags"), edit.addTags(), edit.removeTags()));
                rows.add(row);
            }
            return rows;
        }
    }

    private void editForm(Model model, KindView view, List<UUID> ids, Map<String, String[]> form, Map<String, String> errors,
                          List<RowResult> refused, Caller caller) {
        model.addAttribute("view", view);
        model.addAttribute("ids", ids);
        model.addAttribute("countText", count(ids.size(), view));
        model.addAttribute("fields", bulkFields(view.kind(), form, errors, caller));
        model.addAttribute("hasTags", view.kind().fields().stream().anyMatch(f -> f.type == Field.Type.TAGS));
        model.addAttribute("tagsAdd", RecordPages.first(form, "tags_add"));
        model.addAttribute("tagsRemove", RecordPages.first(form, "tags_remove"));
        model.addAttribute("errors", errors);
        model.addAttribute("refused", refused);
        model.addAttribute("back", backHref(view, form));
        model.addAttribute("sample", sampleNames(view.kind(), ids, caller));
    }

    /** Up to ten names of the records, so the confirmation says which records, not only how many. */
    private List<String> sampleNames(Kind kind, List<UUID> ids, Caller caller) {
        Map<UUID, String> names = records.names(kind, ids.subList(0, Math.min(10, ids.size())), caller);
        return ids.subList(0, Math.min(10, ids.size())).stream().map(id -> names.getOrDefault(id, id.toString())).toList();
    }

    private static String count(int n, KindView view) {
        return n + " " + (n == 1 ? view.label().toLowerCase() : view.plural().toLowerCase());
    }

    /** The fields a bulk edit offers: every scalar field a person may set on many records at once, and the team. */
    private List<BulkField> bulkFields(Kind kind, Map<String, String[]> form, Map<String, String> errors, Caller caller) {
        List<BulkField> out = new ArrayList<>();
        for (Map.Entry<String, Field> e : editable(kind).entrySet()) {
            String path = e.getKey();
            Field f = e.getValue();
            String param = "set." + path;
            String value = RecordPages.first(form, param);
            List<Node.Opt> opts = null;
            if (f.type == Field.Type.OPTION) {
                opts = new ArrayList<>();
                for (var o : pages.optionsOf(f.optionList())) opts.add(new Node.Opt(o.value(), o.label(), o.value().equals(value), null));
            } else if (f.type == Field.Type.BOOLEAN) {
                opts = List.of(new Node.Opt("true", "Yes", "true".equals(value), null), new Node.Opt("false", "No", "false".equals(value), null));
            }
            String mode = f.type == Field.Type.INTEGER ? "numeric" : f.type == Field.Type.NUMBER ? "decimal" : null;
            boolean clearable = opts == null && !f.isRequired();
            out.add(new BulkField(path, bulkLabel(kind, path), param, opts, value,
                    errors.get(param) != null ? errors.get(param) : errors.get("clear." + path), mode, clearable,
                    RecordPages.first(form, "clear." + path) != null));
        }
        if (!kind.global()) {
            Map<UUID, String> teams = directory.teamsFor(caller);
            if (teams.size() > 1) {
                String value = RecordPages.first(form, "set.team_id");
                List<Node.Opt> opts = new ArrayList<>();
                teams.forEach((id, name) -> opts.add(new Node.Opt(id.toString(), name, id.toString().equals(value), null)));
                out.add(new BulkField("team_id", "Team", "set.team_id", opts, value, errors.get("set.team_id"), null, false, false));
            }
        }
        return out;
    }

    /** A nested field says whose it is ("OS distribution", "Datacenter zone"): the form shows them all in one list. */
    private static String bulkLabel(Kind kind, String path) {
        String label = Labels.field(kind.collection(), path);
        int dot = path.indexOf('.');
        // a label of its own ("OS" for os.base) says it already; one of any field so named ("Version") does not
        if (dot < 0 || !label.equals(Labels.field(kind.collection(), path.substring(dot + 1)))) return label;
        String parent = Labels.field(kind.collection(), path.substring(0, dot));
        boolean acronym = label.length() > 1 && Character.isUpperCase(label.charAt(1));
        return parent + " " + (acronym ? label : Character.toLowerCase(label.charAt(0)) + label.substring(1));
    }

    private static final Set<Field.Type> BULK_TYPES = Set.of(Field.Type.STRING, Field.Type.TEXT, Field.Type.INTEGER, Field.Type.NUMBER,
            Field.Type.BOOLEAN, Field.Type.OPTION, Field.Type.URL, Field.Type.CATALOG);

    /**
     * Scalar fields a bulk edit may set, by dotted path: the top-level ones and those of top-level
     * objects (os.dist, datacenter.zone), of the kinds above. Not a record's name or identity
     * (names, hostnames, addresses, the fields of a unique rule: one value for many records would
     * clash), not references, secrets or where a record comes from.
     */
    private static Map<String, Field> editable(Kind kind) {
        Set<String> unique = new LinkedHashSet<>();
        kind.uniqueRules().forEach(r -> unique.addAll(r.paths()));
        Map<String, Field> out = new LinkedHashMap<>();
        for (Field f : kind.fields()) {
            if (f.isProvenance()) continue;
            if (f.type == Field.Type.OBJECT) {
                for (Field c : f.children().values()) {
                    String path = f.name + "." + c.name;
                    if (BULK_TYPES.contains(c.type) && !c.isProvenance() && !unique.contains(path)) out.put(path, c);
                }
            } else if (BULK_TYPES.contains(f.type) && !f.name.equals("name") && !unique.contains(f.name)) {
                out.put(f.name, f);
            }
        }
        return out;
    }

    static final String CLEAR = "__clear__";

    /**
     * The merge patch of the chosen fields, typed as the record form types them (the service says
     * what is wrong with a value); an option value that is not one of its list's, or a field both
     * set and cleared, is an error at the field before anything runs.
     */
    private Map<String, Object> patchOf(Kind kind, Map<String, String[]> form, Caller caller, Map<String, String> errors) {
        Map<String, Object> patch = new LinkedHashMap<>();
        editable(kind).forEach((path, f) -> {
            String v = RecordPages.first(form, "set." + path);
            boolean clear = RecordPages.first(form, "clear." + path) != null || CLEAR.equals(v);
            boolean given = v != null && !v.isBlank() && !CLEAR.equals(v);
            if (clear && given) {
                errors.put("set." + path, "set a value or clear it, not both");
                return;
            }
            if (clear) {
                put(patch, path, null);
                return;
            }
            if (!given) return;
            Object value = FormInput.scalar(f, v.strip());
            if (f.type == Field.Type.OPTION) {
                var canonical = options.canonical(f.optionList(), v.strip());
                if (canonical.isEmpty()) {
                    errors.put("set." + path, "'" + v.strip() + "' is not one of: " + options.allowedValues(f.optionList()));
                    return;
                }
                value = canonical.get();
            }
            put(patch, path, value);
        });
        String team = RecordPages.first(form, "set.team_id");
        if (team != null && !team.isBlank() && !kind.global()) {
            boolean known = directory.teamsFor(caller).keySet().stream().anyMatch(t -> t.toString().equals(team.strip()));
            if (!known) errors.put("set.team_id", "is not a team you may put records in");
            else patch.put("team_id", team.strip());
        }
        return patch;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = out;
        for (int i = 0; i < parts.length - 1; i++) m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        m.put(parts[parts.length - 1], value);
    }

    /** {@code key:value, other:value} (or one per line); for removal a bare {@code key} removes every tag with it. */
    private static List<String> tags(String text, String param, Map<String, String> errors, boolean needValue) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split("[,\\n]")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            if (needValue && (t.indexOf(':') <= 0)) {
                errors.put(param, "'" + t + "' is not key:value");
                continue;
            }
            out.add(t);
        }
        return out;
    }

    /** The tags a record has ({@code current}, as read) with those of {@code remove} taken away and those of {@code add} added. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> newTags(Object current, List<String> add, List<String> remove) {
        List<Map<String, Object>> tags = new ArrayList<>();
        if (current instanceof List<?> l) l.forEach(t -> tags.add(new LinkedHashMap<>((Map<String, Object>) t)));
        for (String r : remove) {
            int colon = r.indexOf(':');
            String key = colon < 0 ? r : r.substring(0, colon).strip();
            String value = colon < 0 ? null : r.substring(colon + 1).strip();
            tags.removeIf(t -> key.equals(t.get("key")) && (value == null || value.equals(String.valueOf(t.get("value")))));
        }
        for (String a : add) {
            int colon = a.indexOf(':');
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("key", a.substring(0, colon).strip());
            tag.put("value", a.substring(colon + 1).strip());
            if (tags.stream().noneMatch(t -> tag.get("key").equals(t.get("key")) && tag.get("value").equals(String.valueOf(t.get("value"))))) tags.add(tag);
        }
        return tags;
    }

    // ---- bulk delete

    @PostMapping("/bulk-delete")
    public String bulkDelete(@PathVariable("collection") String collection, HttpServletRequest request, Model model,
                             HttpServletResponse response) {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        Caller caller = callers.current();
        requireWrite(kind, caller);
        Map<String, String[]> form = request.getParameterMap();
        List<UUID> ids;
        try {
            ids = selection(kind, form, caller);
        } catch (ProblemException e) {
            return back(view, e, model, response);
        }
        if (!"true".equals(RecordPages.first(form, "confirm"))) {
            model.addAttribute("view", view);
            model.addAttribute("ids", ids);
            model.addAttribute("countText", count(ids.size(), view));
            model.addAttribute("sample", sampleNames(kind, ids, caller));
            model.addAttribute("back", backHref(view, form));
            return "bulk-delete";
        }
        boolean detach = "true".equals(RecordPages.first(form, "detach"));
        Map<UUID, String> names = records.names(kind, ids, caller);
        List<RowResult> results = new ArrayList<>();
        for (UUID id : ids) {
            String name = names.getOrDefault(id, id.toString());
            try {
                records.delete(kind, id, null, detach, caller);
                results.add(new RowResult(id.toString(), name, null, true, "Deleted"));
            } catch (ProblemException e) {
                results.add(new RowResult(id.toString(), name, "/" + collection + "/" + id, false, message(e)));
            }
        }
        resultPage(model, view, "Bulk delete of " + count(ids.size(), view), results, form);
        return "bulk-result";
    }

    private void resultPage(Model model, KindView view, String title, List<RowResult> results, Map<String, String[]> form) {
        long ok = results.stream().filter(RowResult::ok).count();
        model.addAttribute("view", view);
        model.addAttribute("title", title);
        model.addAttribute("results", results);
        model.addAttribute("okCount", ok);
        model.addAttribute("failedCount", results.size() - ok);
        model.addAttribute("back", backHref(view, form));
    }

    /** A refused selection goes back to the list with the reason. */
    private String back(KindView view, ProblemException e, Model model, HttpServletResponse response) {
        response.setStatus(e.status());
        model.addAttribute("view", view);
        model.addAttribute("title", view.plural());
        model.addAttribute("results", List.of());
        model.addAttribute("refused", e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message());
        model.addAttribute("back", "/" + view.collection());
        return "bulk-result";
    }

    private static String backHref(KindView view, Map<String, String[]> form) {
        String filter = RecordPages.first(form, "filter");
        return "/" + view.collection() + (filter == null || filter.isBlank() ? "" : "?" + filter);
    }

    private static String message(ProblemException e) {
        if (e.errors().isEmpty()) return e.getMessage();
        return String.join("; ", e.errors().stream().map(fe -> fe.field() + ": " + fe.message()).toList());
    }

    private void requireWrite(Kind kind, Caller caller) {
        if (!access.mayWriteKind(kind, caller)) {
            throw ProblemException.forbidden(kind.global() ? "Only global admins change the " + kind.collection() + " catalog" : "You may only read");
        }
    }
}
