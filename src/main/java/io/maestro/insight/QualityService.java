package io.maestro.insight;

import io.maestro.core.Dialect;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import io.maestro.core.schema.Field;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Can these records be trusted: how complete they are against {@link Expectations}, how many
 * share a value that should be unique in a team (the duplicate warnings' own lookup), how many
 * are stale or drifted (the provenance columns, sources.md), how many belong to nothing, and which are the worst.
 * Two statements per kind (the counts, the worst records) plus one per duplicate rule, all scoped
 * to what the caller may read.
 */
@Service
public class QualityService {
    public static final int WORST = 10;
    private static final int DUPLICATE_GROUPS = 100_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final Kinds kinds;
    private final RecordStore store;
    private final Dialect dialect;

    public QualityService(NamedParameterJdbcTemplate jdbc, Kinds kinds, RecordStore store, Dialect dialect) {
        this.jdbc = jdbc;
        this.kinds = kinds;
        this.store = store;
        this.dialect = dialect;
    }

    /** The collections quality is measured for (those with expected fields), in the guide's order. */
    public List<Kind> measured() {
        return kinds.all().stream().filter(k -> !Expectations.of(k.collection()).isEmpty()).toList();
    }

    /** The kind named by a {@code collection} parameter, else 400 naming it. */
    public Kind kind(String collection) {
        Kind kind = kinds.find(collection).orElse(null);
        if (kind == null || Expectations.of(collection).isEmpty()) {
            throw ProblemException.badField("collection", "must be one of " + String.join(", ", measured().stream().map(Kind::collection).toList()));
        }
        return kind;
    }

    /** Quality of a kind's records the caller may read, of one team when {@code team} is set. */
    @Transactional(readOnly = true)
    public Map<String, Object> of(Kind kind, UUID team, Caller caller) {
        Map<String, Object> params = new HashMap<>();
        String where = "1=1";
        if (team != null) {
            params.put("team", team);
            where = "t.team_id = :team";
        }
        return measure(kind, where, params, team, Scope.of(caller));
    }

    /** Quality of a system's members (applications, databases, load balancers in it); 404 when the caller may not read it. */
    @Transactional(readOnly = true)
    public Map<String, Object> ofSystem(UUID system, Caller caller) {
        Scope scope = Scope.of(caller);
        Kind systems = kinds.get("systems");
        String name = store.names(systems, List.of(system), scope).get(system);
        if (name == null) throw ProblemException.notFound(systems.label());
        List<Map<String, Object>> collections = new ArrayList<>();
        List<Map<String, Object>> worst = new ArrayList<>();
        long records = 0;
        double filled = 0;
        double expected = 0;
        for (Kind kind : measured()) {
            if (kind.fields().stream().noneMatch(f -> f.type == Field.Type.REFS && f.name.equals("system_ids"))) continue;
            Map<String, Object> params = new HashMap<>();
            params.put("system", system);
            Map<String, Object> q = measure(kind, "t.id IN (SELECT m.src_id FROM relation m WHERE m.field = 'system_ids' AND m.dst_id = :system)",
                    params, null, scope);
            collections.add(q);
            long n = ((Number) q.get("records")).longValue();
            records += n;
            int fields = Expectations.of(kind.collection()).size();
            if (q.get("score") instanceof Double s) {
                filled += s * n * fields;
                expected += (double) n * fields;
            }
            @SuppressWarnings("unchecked") List<Map<String, Object>> w = (List<Map<String, Object>>) q.get("worst");
            for (Map<String, Object> r : w) {
                Map<String, Object> withKind = new LinkedHashMap<>();
                withKind.put("collection", kind.collection());
                withKind.putAll(r);
                worst.add(withKind);
            }
        }
        worst.sort(java.util.Comparator.comparingDouble(r -> ((Number) r.get("score")).doubleValue()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", Map.of("id", system.toString(), "name", name));
        out.put("records", records);
        out.put("score", expected == 0 ? null : round(filled / expected));
        out.put("collections", collections);
        out.put("worst", worst.subList(0, Math.min(WORST, worst.size())));
        return out;
    }

    private Map<String, Object> measure(Kind kind, String condition, Map<String, Object> params, UUID team, Scope scope) {
        List<String> fields = Expectations.of(kind.collection());
        String where = condition + " AND " + scope.predicate(kind, "t", params);
        List<String> filled = fields.stream().map(f -> filled(kind, f)).toList();
        List<String> select = new ArrayList<>();
        select.add("COUNT(*) AS records");
        for (int i = 0; i < filled.size(); i++) select.add("SUM(CASE WHEN " + filled.get(i) + " THEN 1 ELSE 0 END) AS f" + i);
        String orphan = orphan(kind);
        select.add("SUM(CASE WHEN t.stale = TRUE THEN 1 ELSE 0 END) AS stale");
        select.add("SUM(CASE WHEN t.drift = TRUE THEN 1 ELSE 0 END) AS drift");
        select.add(orphan == null ? "0 AS orphans" : "SUM(CASE WHEN " + orphan + " THEN 1 ELSE 0 END) AS orphans");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("collection", kind.collection());
        jdbc.query("SELECT " + String.join(", ", select) + " FROM " + kind.table() + " t WHERE " + where, params, rs -> {
            long records = rs.getLong("records");
            out.put("records", records);
            List<Map<String, Object>> shares = new ArrayList<>();
            long sum = 0;
            for (int i = 0; i < fields.size(); i++) {
                long n = rs.getLong("f" + i);
                sum += n;
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("field", fields.get(i));
                f.put("filled", n);
                f.put("share", records == 0 ? null : round((double) n / records));
                shares.add(f);
            }
            out.put("score", records == 0 ? null : round((double) sum / ((double) records * fields.size())));
            out.put("fields", shares);
            out.put("duplicates", null);
            out.put("stale", rs.getLong("stale"));
            out.put("drift", rs.getLong("drift"));
            out.put("orphans", rs.getLong("orphans"));
        });
        out.put("duplicates", duplicates(kind, team, scope, condition.equals("1=1") || team != null));
        // the records missing most: one statement, ordered by how many expected fields they fill
        String flags = String.join(" + ", filled.stream().map(f -> "CASE WHEN " + f + " THEN 1 ELSE 0 END").toList());
        List<String> flagColumns = new ArrayList<>();
        for (int i = 0; i < filled.size(); i++) flagColumns.add("CASE WHEN " + filled.get(i) + " THEN 1 ELSE 0 END AS f" + i);
        params.put("worst", WORST);
        List<Map<String, Object>> worst = new ArrayList<>();
        jdbc.query("SELECT t.id, t.name, " + String.join(", ", flagColumns) + " FROM " + kind.table() + " t WHERE " + where
                + " AND " + flags + " < " + fields.size() + " ORDER BY " + flags + ", LOWER(t.name), t.id LIMIT :worst", params, rs -> {
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) if (rs.getInt("f" + i) == 0) missing.add(fields.get(i));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", rs.getObject("id", UUID.class).toString());
            r.put("name", rs.getString("name"));
            r.put("score", round((double) (fields.size() - missing.size()) / fields.size()));
            r.put("missing", missing);
            worst.add(r);
        });
        out.put("worst", worst);
        return out;
    }

    /**
     * Per duplicate rule, how many values are held by more than one readable record of a team (the
     * dashboard's duplicate groups). Measured for a whole kind or team; within a system's members
     * it would need the lookup restricted to them, so it is left out (empty) there.
     */
    private Map<String, Object> duplicates(Kind kind, UUID team, Scope scope, boolean measured) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!measured) return out;
        for (Kind.DuplicateRule rule : kind.duplicateRules()) {
            long groups = store.repeatedValues(kind, Field.column(rule.field()), rule.ignoreCase(), scope, DUPLICATE_GROUPS).stream()
                    .filter(g -> team == null || team.equals(g.getKey())).count();
            out.put(rule.code(), groups);
        }
        return out;
    }

    /** SQL true when record {@code t} has {@code field} filled: a column with a value, a JSON list with items, a relation with a link. */
    private String filled(Kind kind, String field) {
        var relation = kind.fields().stream().filter(f -> f.type == Field.Type.REFS && f.name.equals(field)).findFirst();
        if (relation.isPresent()) {
            return "EXISTS (SELECT 1 FROM relation r WHERE r.src_id = t.id AND r.field = '" + relation.get().name + "')";
        }
        RecordStore.Column column = store.column(kind, field)
                .orElseThrow(() -> new IllegalStateException("Expectations name " + field + ", which " + kind.collection() + " does not have"));
        if (column.field().isJson()) {
            return "(t." + column.name() + " IS NOT NULL AND " + dialect.jsonText("t." + column.name()) + " NOT IN ('[]', '{}', 'null', ''))";
        }
        if (column.field().type == Field.Type.STRING || column.field().type == Field.Type.TEXT) {
            return "(t." + column.name() + " IS NOT NULL AND t." + column.name() + " <> '')";
        }
        return "t." + column.name() + " IS NOT NULL";
    }

    /** SQL true for a record that belongs to nothing (insight.md), or null for kinds where that does not apply. */
    private static String orphan(Kind kind) {
        return switch (kind.collection()) {
            case "servers" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.dst_id = t.id AND o.field = 'server_ids')";
            case "applications" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.src_id = t.id AND o.field = 'system_ids')";
            case "systems" -> "NOT EXISTS (SELECT 1 FROM relation o WHERE o.src_id = t.id AND o.field = 'client_ids')";
            default -> null;
        };
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
