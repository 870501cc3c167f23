package io.maestro.core.api;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.record.BulkService.RowError;
import io.maestro.core.record.BulkService.RowSource;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The formats of bulk input and export: a JSON array or NDJSON read element by element, and CSV
 * with dotted headers for nested fields ({@code os.base}) and JSON in the cells of lists. Every
 * reader streams: memory does not grow with the size of the body. Public for the list page's
 * import and filtered export, which read and write the same formats.
 */
public final class BulkFormats {
    /** Fields a CSV export carries that are not input (dropped on import). */
    private static final List<String> READ_ONLY = List.of("created_at", "updated_at", "version");

    /** Reads one array element; the parser stays on the array (trailing tokens are the next elements). */
    private static final tools.jackson.databind.ObjectReader ELEMENT = Json.mapper().readerFor(Object.class)
            .without(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private BulkFormats() {
    }

    public static RowSource source(String contentType, InputStream body, Kind kind, long maxBytes) {
        InputStream in = limited(body, maxBytes, "maestro.bulk.max-bytes");
        String type = contentType == null ? "application/json" : contentType.toLowerCase();
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson") || type.startsWith("application/jsonl")) {
            return ndjson(reader(in));
        }
        if (type.startsWith("text/csv")) return csv(reader(in), kind);
        if (type.startsWith("application/json")) return jsonArray(in);
        throw new ProblemException(415, "Unsupported media type", "Send application/json (an array), application/x-ndjson or text/csv");
    }

    /** UTF-8 that refuses malformed bytes, so a binary body is a 400 rather than garbage rows. */
    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    private static ProblemException unreadable(String why) {
        return ProblemException.badRequest("The request body cannot be read: " + why, List.of(new FieldError("body", why)));
    }

    private static RowSource jsonArray(InputStream in) {
        JsonParser parser;
        try {
            parser = Json.mapper().createParser(in);
            if (parser.nextToken() != JsonToken.START_ARRAY) throw unreadable("must be a JSON array of records");
        } catch (JacksonException e) {
            throw unreadable("malformed JSON");
        }
        int[] before = {0};
        boolean[] done = {false};
        return max -> {
            List<Object> rows = new ArrayList<>();
            try {
                while (!done[0] && rows.size() < max) {
                    JsonToken t = parser.nextToken();
                    if (t == JsonToken.END_ARRAY) {
                        if (parser.nextToken() != null) throw unreadable("content after the array");
                        done[0] = true;
                        break;
                    }
                    if (t == null) throw unreadable("the array is not closed (truncated body?)");
                    rows.add(ELEMENT.readValue(parser));
                }
            } catch (JacksonException e) {
                throw unreadable("malformed JSON at element " + (before[0] + rows.size()) + " (truncated body?)");
            }
            before[0] += rows.size();
            return rows;
        };
    }

    private static RowSource ndjson(BufferedReader reader) {
        return max -> {
            List<Object> rows = new ArrayList<>();
            try {
                String line;
                while (rows.size() < max && (line = reader.readLine()) != null) {
                    if (line.isBlank()) continue;
                    if (line.indexOf('\u0000') >= 0) throw unreadable("binary content");
                    try {
                        rows.add(Json.parse(line));
                    } catch (JacksonException e) {
                        rows.add(new RowError("body", "malformed JSON line"));
                    }
                }
            } catch (CharacterCodingException e) {
                throw unreadable("not UTF-8 text");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return rows;
        };
    }

    private static RowSource csv(Reader reader, Kind kind) {
        CSVParser parser;
        try {
            parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable("not a CSV file with a header row");
        }
        Map<String, Field> fields = fieldsByPath(kind);
        for (String header : parser.getHeaderNames()) {
            if (!fields.containsKey(header) && !header.equals("id") && !header.equals("team_id") && !READ_ONLY.contains(header)) {
                throw ProblemException.badField(header, "unknown CSV column for " + kind.collection());
            }
        }
        Iterator<CSVRecord> records = parser.iterator();
        return max -> {
            List<Object> rows = new ArrayList<>();
            try {
                while (rows.size() < max && records.hasNext()) rows.add(row(records.next(), fields));
            } catch (UncheckedIOException | IllegalStateException e) {
                throw unreadable("malformed CSV" + (e.getCause() instanceof CharacterCodingException ? " (not UTF-8)" : ""));
            }
            return rows;
        };
    }

    /** One CSV line as the JSON object the API takes: typed by the schema, nested by dotted header. */
    private static Object row(CSVRecord record, Map<String, Field> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> cell : record.toMap().entrySet()) {
            String header = cell.getKey();
            String text = cell.getValue();
            if (text == null || text.isEmpty() || READ_ONLY.contains(header)) continue;
            Field f = fields.get(header);
            if (f != null && f.provenance() != Field.Provenance.NONE) continue; // exported, never read back from people (sources.md)
            Object value;
            try {
                value = f == null ? text : switch (f.type) {
                    case INTEGER -> Long.parseLong(text);
                    case NUMBER -> new java.math.BigDecimal(text);
                    case BOOLEAN -> {
                        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) throw new IllegalArgumentException();
                        yield Boolean.parseBoolean(text);
                    }
                    case LIST, FREEFORM, ANY, REFS, TAGS, SERVICES -> Json.parse(text);
                    default -> text;
                };
            } catch (RuntimeException e) {
                return new RowError(header, "cannot read '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
            }
            put(out, header, value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> out, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = out;
        for (int i = 0; i < parts.length - 1; i++) m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        m.put(parts[parts.length - 1], value);
    }

    /** CSV columns: every field by dotted path, then the record's own columns. */
    public static List<String> csvHeader(Kind kind) {
        List<String> header = new ArrayList<>();
        header.add("id");
        header.addAll(fieldsByPath(kind).keySet());
        if (!kind.global()) header.add("team_id");
        header.addAll(READ_ONLY);
        return header;
    }

    public static void printCsv(CSVPrinter printer, List<String> header, Map<String, Object> doc) throws IOException {
        List<String> cells = new ArrayList<>(header.size());
        for (String path : header) {
            Object v = doc;
            for (String part : path.split("\\.")) v = v instanceof Map<?, ?> m ? m.get(part) : null;
            cells.add(v == null ? "" : v instanceof List<?> || v instanceof Map<?, ?> ? Json.write(v) : v.toString());
        }
        printer.printRecord(cells);
    }

    private static Map<String, Field> fieldsByPath(Kind kind) {
        Map<String, Field> out = new LinkedHashMap<>();
        collect("", kind.fields(), out);
        return out;
    }

    private static void collect(String prefix, Iterable<Field> fields, Map<String, Field> out) {
        for (Field f : fields) {
            if (f.type == Field.Type.OBJECT) collect(prefix + f.name + ".", f.children().values(), out);
            else out.put(prefix + f.name, f);
        }
    }

    /** {@code in}, refused with a 413 naming {@code setting} once more than {@code max} bytes are read (a body streamed, whatever its Content-Length). */
    public static InputStream limited(InputStream in, long max, String setting) {
        return new Limited(in, max, setting);
    }

    /** Stops reading past {@code max} bytes with a 413. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private final String setting;
        private long count;

        Limited(InputStream in, long max, String setting) {
            super(in);
            this.max = max;
            this.setting = setting;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(long n) {
            count += n;
            if (count > max) throw new ProblemException(413, "Payload too large", "The body is larger than " + max + " bytes (" + setting + ")");
        }
    }
}
