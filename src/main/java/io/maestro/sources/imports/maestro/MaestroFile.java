package io.maestro.sources.imports.maestro;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.schema.Field;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Reconciler;
import io.maestro.sources.imports.ImportFormat;
import io.maestro.sources.imports.Imports;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code format=maestro} (sources.md, File imports): Maestro's own all-kinds export
 * ({@code GET /api/v1/export}, told by its {@code maestro_export} member) or an upstream Maestro
 * Server file (top-level arrays {@code servers}, {@code applications} ... with upstream field
 * names: {@link UpstreamMaestro}). Records are keyed by their id in the file and matched as
 * {@link Reconciler.Match#RECORD} says: a restore by a global admin keeps ids; anyone's re-import
 * of the same file finds the records it made.
 */
@Component
public class MaestroFile implements ImportFormat {
    private final Kinds kinds;
    private final UpstreamMaestro upstream = new UpstreamMaestro();

    MaestroFile(Kinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public String name() {
        return "maestro";
    }

    @Override
    public Reconciler.Match match() {
        return Reconciler.Match.RECORD;
    }

    @Override
    public Read read(Object file, UUID datacenterId) {
        if (!(file instanceof Map<?, ?> raw)) throw notAnObject();
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) raw;
        return root.containsKey(MaestroExport.HEADER) ? export(root, datacenterId) : upstream.read(root, datacenterId);
    }

    /**
     * Maestro's export (its {@code maestro_export} member first, as the export writes it) is read a
     * record at a time: memory holds one record, however large the file. Any other file (an upstream
     * one, or an export whose members were reordered) is read whole.
     */
    @Override
    public void read(InputStream in, UUID datacenterId, Sink sink) throws IOException {
        try (JsonParser p = Json.mapper().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) throw ProblemException.badRequest("The request body is empty", List.of(new FieldError("body", "is required")));
            if (t != JsonToken.START_OBJECT) throw notAnObject();
            Map<String, Object> root = new LinkedHashMap<>();
            boolean streamed = p.nextToken() == JsonToken.PROPERTY_NAME && MaestroExport.HEADER.equals(p.currentName());
            if (streamed) {
                p.nextToken();
                header(Json.readValue(p, MaestroExport.HEADER));
                while (p.nextToken() == JsonToken.PROPERTY_NAME) collection(p, datacenterId, sink);
            } else {
                while (p.currentToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    root.put(name, Json.readValue(p, name));
                    p.nextToken();
                }
            }
            // the parser refuses a file that breaks off (an unclosed object or array) by itself
            if (p.nextToken() != null) throw ProblemException.badField("body", "has content after the JSON object");
            if (!streamed) emit(read(root, datacenterId), sink);
        } catch (JacksonException e) {
            throw Json.unreadable(e);
        }
    }

    private static ProblemException notAnObject() {
        return ProblemException.badField("body", "must be a JSON object with an array of records per collection"
                + " (Maestro's GET /api/v1/export, or an upstream Maestro Server file)");
    }

    private static void emit(Read read, Sink sink) {
        read.observations.forEach((collection, list) -> list.forEach(o -> sink.add(collection, o)));
        read.problems.forEach(sink::problem);
        sink.skipped(read.skipped);
    }

    private static void header(Object value) {
        if (!(value instanceof Map<?, ?> header)) {
            throw ProblemException.badField(MaestroExport.HEADER, "must be an object {version, exported_at, ...}");
        }
        if (!Integer.valueOf(MaestroExport.FORMAT_VERSION).equals(header.get("version"))) {
            throw ProblemException.badField(MaestroExport.HEADER + ".version",
                    "must be " + MaestroExport.FORMAT_VERSION + " (this file is " + header.get("version") + ")");
        }
    }

    private Kind kind(String collection) {
        Kind kind = Imports.ORDER.contains(collection) ? kinds.find(collection).orElse(null) : null;
        if (kind == null) throw ProblemException.badField(collection, "is no collection of an export; it holds " + String.join(", ", Imports.ORDER));
        return kind;
    }

    /** One collection of a streamed export, the parser on its name: its records one at a time. */
    private void collection(JsonParser p, UUID datacenterId, Sink sink) {
        String collection = p.currentName();
        Kind kind = kind(collection);
        if (p.nextToken() != JsonToken.START_ARRAY) throw ProblemException.badField(collection, "must be an array of records");
        Read problems = new Read();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            String where = collection + "[" + i + "]";
            Object doc = Json.readValue(p, where);
            Observation o = doc instanceof Map<?, ?> ? observation(kind, doc, where, datacenterId, problems) : notARecord(where, problems);
            if (o != null) sink.add(collection, o);
            problems.problems.forEach(sink::problem);
            problems.problems.clear();
            sink.skipped(problems.skipped);
            problems.skipped = 0;
        }
    }

    private static Observation notARecord(String where, Read read) {
        read.problems.add(new Problem(where, null, "must be a JSON object (a record): skipped"));
        read.skipped++;
        return null;
    }

    @SuppressWarnings("unchecked")
    private Observation observation(Kind kind, Object doc, String where, UUID datacenterId, Read read) {
        return record(kind, (Map<String, Object>) doc, where, datacenterId, read);
    }

    /** Maestro's own export read whole (its members in any order): every collection it names, its records as reads show them. */
    private Read export(Map<String, Object> root, UUID datacenterId) {
        header(root.get(MaestroExport.HEADER));
        Read read = new Read();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String collection = e.getKey();
            if (collection.equals(MaestroExport.HEADER)) continue;
            Kind kind = kind(collection);
            if (!(e.getValue() instanceof List<?> records)) throw ProblemException.badField(collection, "must be an array of records");
            for (int i = 0; i < records.size(); i++) {
                String where = collection + "[" + i + "]";
                Observation o = records.get(i) instanceof Map<?, ?> ? observation(kind, records.get(i), where, datacenterId, read) : notARecord(where, read);
                if (o != null) read.add(collection, o);
            }
        }
        return read;
    }

    /**
     * One exported record as an observation: its fields as a person would write them, its links to
     * other records (by their ids in the file) as links the reconciler resolves, its id and
     * external_id as identity. Catalog entries are keyed by name (everything refers to them so).
     */
    private Observation record(Kind kind, Map<String, Object> doc, String where, UUID datacenterId, Read read) {
        Object id = doc.get("id");
        if (!(id instanceof String s) || io.maestro.core.record.Validator.parseUuid(s) == null) {
            read.problems.add(new Problem(where, "id", "must be the record's id (a UUID): skipped"));
            read.skipped++;
            return null;
        }
        String key = s.toLowerCase();
        if (kind.global()) {
            if (!(doc.get("name") instanceof String name) || name.isBlank()) {
                read.problems.add(new Problem(where, "name", "is required: skipped"));
                read.skipped++;
                return null;
            }
            key = name.strip();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", s.toLowerCase());
        if (doc.containsKey("external_id")) values.put("external_id", doc.get("external_id"));
        List<Observation.Link> links = new ArrayList<>();
        Set<String> known = new HashSet<>(kinds.ignoredOnWrite(kind));
        known.add("team_id");
        for (Field f : kind.fields()) {
            known.add(f.name);
            if (f.isProvenance() || !doc.containsKey(f.name)) continue; // where the record came from is the import now
            Object v = doc.get(f.name);
            switch (f.type) {
                case REFS -> {
                    List<String> targets = recordKinds(f);
                    if (targets.isEmpty() || v == null) {
                        values.put(f.name, v);
                        continue;
                    }
                    Observation.Link link = refs(f, targets, v, key, read);
                    if (link != null) links.add(link);
                }
                case OBJECT -> values.put(f.name, object(f, v, links, datacenterId));
                case SERVICES -> values.put(f.name, v instanceof List<?> l ? manualServices(l) : v);
                case LIST -> values.put(f.name, withoutSecrets(f, v));
                default -> values.put(f.name, v);
            }
        }
        // a field the file has that no kind knows: left to the write, which names it per record
        doc.forEach((name, v) -> {
            if (!known.contains(name)) values.put(name, v);
        });
        return new Observation(key, values, links);
    }

    /** The record kinds a reference may point at (not teams or users, which are no records of a file). */
    private List<String> recordKinds(Field f) {
        return f.refKinds().stream().filter(k -> kinds.find(k).isPresent()).toList();
    }

    /** A list of ids (or of {target_id, attribute}) as a link by the file's ids. */
    private static Observation.Link refs(Field f, List<String> targets, Object v, String key, Read read) {
        if (!(v instanceof List<?> items)) {
            read.problems.add(new Problem(key, f.name, "must be an array; left out"));
            return null;
        }
        List<String> ids = new ArrayList<>();
        List<String> attributes = f.linkAttribute() == null ? null : new ArrayList<>();
        for (Object item : items) {
            Object target = f.linkAttribute() != null && item instanceof Map<?, ?> m ? m.get("target_id") : item;
            if (!(target instanceof String t)) {
                read.problems.add(new Problem(key, f.name, "holds " + (target == null ? "an entry without an id" : "'" + target + "', not an id") + "; left out"));
                continue;
            }
            ids.add(t.toLowerCase());
            if (attributes != null) attributes.add(((Map<?, ?>) item).get(f.linkAttribute()) instanceof String a ? a : null);
        }
        return new Observation.Link(f.name, targets, ids, attributes);
    }

    /** An object field; its reference to another record ({@code datacenter.id}) becomes a link, or the import's datacenter when it has none. */
    private Object object(Field f, Object v, List<Observation.Link> links, UUID datacenterId) {
        if (!(v instanceof Map<?, ?> m)) {
            if (v == null && datacenterId != null && f.children().get("id") != null && f.children().get("id").refKinds().contains("datacenters")) {
                return Map.of("id", datacenterId.toString());
            }
            return v;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k), x));
        for (Field c : f.children().values()) {
            if (c.type != Field.Type.REF || recordKinds(c).isEmpty()) continue;
            Object target = out.remove(c.name);
            if (target instanceof String t) links.add(new Observation.Link(f.name + "." + c.name, recordKinds(c), List.of(t.toLowerCase()), null));
            else if (target == null && datacenterId != null && recordKinds(c).contains("datacenters")) out.put(c.name, datacenterId.toString());
        }
        return out;
    }

    /** Service entries people made ({@code auto} ones come back with the databases and load balancers that made them), by name. */
    static List<Object> manualServices(List<?> entries) {
        List<Object> out = new ArrayList<>();
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> m)) {
                out.add(e);
                continue;
            }
            if ("auto".equals(m.get("origin"))) continue;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", m.get("name"));
            if (m.get("version") != null) entry.put("version", m.get("version"));
            if (m.get("status") != null) entry.put("status", m.get("status"));
            out.add(entry);
        }
        return out;
    }

    /** Login entries as a file has them: reads never show a secret, only {@code has_secret}, which is not input. */
    private static Object withoutSecrets(Field f, Object v) {
        if (!(v instanceof List<?> items) || f.item() == null || f.item().type != Field.Type.OBJECT
                || f.item().children().values().stream().noneMatch(c -> c.type == Field.Type.SECRET)) {
            return v;
        }
        return items.stream().map(i -> {
            if (!(i instanceof Map<?, ?> m)) return i;
            Map<Object, Object> entry = new LinkedHashMap<>(m);
            entry.remove("has_secret");
            return (Object) entry;
        }).toList();
    }
}
