package io.maestro.insight;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.ListQueryParser;
import io.maestro.core.record.MergePatch;
import io.maestro.core.record.RecordStore;
import io.maestro.core.schema.Field;
import io.maestro.core.access.AccessStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Saved reports ({@code /api/v1/reports}): a team's named list of records of one collection,
 * with the list parameters that select them, the columns to show and the fields to group by.
 * Everything is checked on write against the collection's schema (the filters by the list's own
 * parser), so a stored report always runs; a rejected write stores nothing.
 */
@Service
public class SavedReports {
    /** Columns every record has besides its schema's. */
    private static final List<String> COMMON_COLUMNS = List.of("id", "team_id", "version", "created_at", "updated_at");
    private static final Set<String> WRITABLE = Set.of("name", "collection", "filters", "columns", "group_by", "team_id");

    private final SavedReportStore rows;
    private final AccessStore access;
    private final Kinds kinds;
    private final ListQueryParser parser;
    private final RecordStore store;
    private final SummaryService summaries;

    public SavedReports(SavedReportStore rows, AccessStore access, Kinds kinds, ListQueryParser parser, RecordStore store, SummaryService summaries) {
        this.rows = rows;
        this.access = access;
        this.kinds = kinds;
        this.parser = parser;
        this.store = store;
        this.summaries = summaries;
    }

    /** A stored report. */
    public record Report(UUID id, UUID teamId, long version, OffsetDateTime createdAt, OffsetDateTime updatedAt, String name,
                         String collection, Map<String, Object> filters, List<String> columns, List<String> groupBy) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id.toString());
            m.put("team_id", teamId.toString());
            m.put("name", name);
            m.put("collection", collection);
            m.put("filters", filters);
            m.put("columns", columns);
            m.put("group_by", groupBy);
            m.put("version", version);
            m.put("created_at", createdAt.toString());
            m.put("updated_at", updatedAt.toString());
            return m;
        }

        /** The filters as request parameters (what the list and the summary read). */
        public Map<String, String[]> parameters() {
            return SavedReports.parameters(filters);
        }
    }

    @Transactional(readOnly = true)
    public List<Report> list(Caller caller) {
        return rows.readable(caller);
    }

    @Transactional(readOnly = true)
    public Report get(UUID id, Caller caller) {
        return rows.find(id, caller).orElseThrow(() -> ProblemException.notFound("Report"));
    }

    @Transactional
    public Report create(Object body, Caller caller) {
        Map<String, Object> input = object(body);
        SavedReportStore.Values c = check(input, caller, null);
        UUID id = UUID.randomUUID();
        rows.insert(id, c, now());
        return get(id, caller);
    }

    /** Replaces a report ({@code patch}: merges the body into it first, RFC 7396). */
    @Transactional
    public Report update(UUID id, Object body, boolean patch, Caller caller) {
        Report existing = get(id, caller);
        Map<String, Object> input = object(body);
        if (patch) {
            Map<String, Object> current = existing.json();
            current.keySet().retainAll(WRITABLE);
            @SuppressWarnings("unchecked") Map<String, Object> merged = (Map<String, Object>) MergePatch.apply(current, input);
            input = merged;
        }
        SavedReportStore.Values c = check(input, caller, existing);
        rows.update(id, c, now());
        return get(id, caller);
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        get(id, caller);
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        rows.delete(id);
    }

    /** Every problem of the input at once, named by field, else the values to store. */
    private SavedReportStore.Values check(Map<String, Object> in, Caller caller, Report existing) {
        if (caller.readOnly()) throw ProblemException.forbidden("This token may only read");
        List<FieldError> errors = new ArrayList<>();
        for (String key : in.keySet()) {
            if (!WRITABLE.contains(key) && !Set.of("id", "version", "created_at", "updated_at").contains(key)) errors.add(new FieldError(key, "unknown field"));
        }
        String name = in.get("name") instanceof String s ? s.strip() : null;
        if (name == null || name.isEmpty()) errors.add(new FieldError("name", "is required"));
        else if (name.length() > 255) errors.add(new FieldError("name", "must be at most 255 characters"));
        Kind kind = null;
        Object collection = in.get("collection");
        if (!(collection instanceof String cs) || cs.isBlank()) errors.add(new FieldError("collection", "is required"));
        else {
            kind = kinds.find(cs).orElse(null);
            if (kind == null) errors.add(new FieldError("collection", "unknown collection '" + abbreviate(cs) + "'"));
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        Object rawFilters = in.get("filters");
        if (rawFilters != null && !(rawFilters instanceof Map<?, ?>)) errors.add(new FieldError("filters", "must be an object of list parameters"));
        else if (rawFilters instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof String || v instanceof Number || v instanceof Boolean
                        || v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String || x instanceof Number || x instanceof Boolean)) {
                    filters.put(String.valueOf(k), v);
                } else {
                    errors.add(new FieldError("filters." + k, "must be a text, a number, a boolean or a list of them"));
                }
            });
        }
        List<String> columns = strings(in.get("columns"), "columns", errors);
        List<String> groupBy = strings(in.get("group_by"), "group_by", errors);
        if (kind != null) {
            try {
                parser.parse(kind, parameters(filters));
            } catch (ProblemException e) {
                for (FieldError fe : e.errors()) errors.add(new FieldError("filters." + fe.field(), fe.message()));
            }
            for (String column : columns) {
                if (!column(kind, column)) errors.add(new FieldError("columns", "unknown column '" + abbreviate(column) + "' of " + kind.collection()));
            }
            try {
                summaries.groupFields(kind, groupBy, "group_by");
            } catch (ProblemException e) {
                errors.addAll(e.errors());
            }
        }
        UUID team = existing == null ? caller.defaultTeamId() : existing.teamId();
        Object requested = in.get("team_id");
        if (requested != null && (existing == null || !String.valueOf(requested).equals(existing.teamId().toString()))) {
            try {
                team = UUID.fromString(String.valueOf(requested));
                if (access.existingPrincipals("team", List.of(team)).isEmpty()) {
                    errors.add(new FieldError("team_id", "no team with id " + team));
                } else if (!caller.isMember(team)) {
                    throw ProblemException.forbidden("You are not a member of team " + team);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("team_id", "is not a valid id"));
            }
        }
        if (team == null && errors.stream().noneMatch(e -> e.field().equals("team_id"))) errors.add(new FieldError("team_id", "is required (you belong to no team)"));
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        return new SavedReportStore.Values(team, name, (String) collection, filters, columns.isEmpty() ? List.of("name") : columns, groupBy);
    }

    /** Whether a report of {@code kind} may show {@code column}: a common field, a stored field or a relation. */
    public boolean column(Kind kind, String column) {
        return COMMON_COLUMNS.contains(column) || store.column(kind, column).filter(c -> c.field().type != Field.Type.SECRET).isPresent()
                || kind.fields().stream().anyMatch(f -> (f.type == Field.Type.REFS || f.type == Field.Type.TAGS) && f.name.equals(column));
    }

    private static List<String> strings(Object value, String field, List<FieldError> errors) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof String)) {
            errors.add(new FieldError(field, "must be a list of field names"));
            return List.of();
        }
        return l.stream().map(x -> ((String) x).strip()).toList();
    }

    static Map<String, String[]> parameters(Map<String, Object> filters) {
        Map<String, String[]> out = new LinkedHashMap<>();
        filters.forEach((k, v) -> out.put(k, v instanceof List<?> l ? l.stream().map(String::valueOf).toArray(String[]::new) : new String[]{String.valueOf(v)}));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object body) {
        if (!(body instanceof Map<?, ?> m)) throw ProblemException.badField("body", "must be a JSON object");
        return new LinkedHashMap<>((Map<String, Object>) m);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
