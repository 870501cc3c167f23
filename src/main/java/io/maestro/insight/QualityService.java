package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
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

    private final InsightStore rows;
    private final Kinds kinds;
    private final RecordStore store;

    QualityService(InsightStore rows, Kinds kinds, RecordStore store) {
        this.rows = rows;
        this.kinds = kinds;
        this.store = store;
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
        return measure(kind, new InsightStore.Selection(team, null), Scope.of(caller));
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
            Map<String, Object> q = measure(kind, new InsightStore.Selection(null, system), scope);
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

    private Map<String, Object> measure(Kind kind, InsightStore.Selection selection, Scope scope) {
        List<String> fields = Expectations.of(kind.collection());
        InsightStore.Counts counts = rows.counts(kind, fields, selection, scope);
        long records = counts.records();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("collection", kind.collection());
        out.put("records", records);
        List<Map<String, Object>> shares = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < fields.size(); i++) {
            long n = counts.filled().get(i);
            sum += n;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("field", fields.get(i));
            f.put("filled", n);
            f.put("share", records == 0 ? null : round((double) n / records));
            shares.add(f);
        }
        out.put("score", records == 0 ? null : round((double) sum / ((double) records * fields.size())));
        out.put("fields", shares);
        out.put("duplicates", duplicates(kind, selection.team(), scope, selection.system() == null));
        out.put("stale", counts.stale());
        out.put("drift", counts.drift());
        out.put("orphans", counts.orphans());
        // the records missing most: one statement, ordered by how many expected fields they fill
        List<Map<String, Object>> worst = new ArrayList<>();
        for (InsightStore.Missing m : rows.missingMost(kind, fields, selection, scope, WORST)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", m.id().toString());
            r.put("name", m.name());
            r.put("score", round((double) (fields.size() - m.missing().size()) / fields.size()));
            r.put("missing", m.missing());
            worst.add(r);
        }
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

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
