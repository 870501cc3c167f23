package io.maestro.core.record;

import io.maestro.core.Json;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * GET by id in one statement: each statement is a round trip, and a read took five of them
 * (bench, GET by id). The record, its parts ({@link RecordParts}), what the caller may read of
 * the records it points at, its counts, the fields a source owns, the records linking to it and
 * the other records of its team holding a duplicate-warned value come as typed rows of one
 * {@code UNION ALL}, in the columns of {@link RecordParts} (the same SQL on H2 and PostgreSQL):
 *
 * <pre>
 *   part      rec        grp          pos        id1        s1        s2        s3
 *   RECORD    id         -            -          -          -         -         -      (the row carries t.*)
 *   REFERRER  id         -            -          src_id     name      src_kind  field
 *   DUPLICATE id         rule index   rank       other id   -         -         -
 *   COUNT     id         count name   count      -          -         -         -
 *   READABLE  id         collection   -          target id  -         -         -
 *   OWNED     id         field        -          -          field     owner     observed
 * </pre>
 *
 * Values the other parts compare with (a duplicate's hostname, the team) are read from the
 * record's own row in scalar subqueries, so nothing waits for a first answer.
 */
@Repository
public class RecordReadStore {
    private static final int RECORD = -1, REFERRER = 3, DUPLICATE = 4, COUNT = 5, READABLE = 6, OWNED = 7;
    private static final String TEXT = "VARCHAR(1000000)", ID = "CAST(:id AS UUID)";

    private final NamedParameterJdbcTemplate jdbc;
    private final RecordStore store;
    private final Kinds kinds;

    public RecordReadStore(NamedParameterJdbcTemplate jdbc, RecordStore store, Kinds kinds) {
        this.jdbc = jdbc;
        this.store = store;
        this.kinds = kinds;
    }

    /**
     * One record as a read shows it, before rendering. {@code readable} holds the ids it points at
     * that the scope may read (null when the scope reads everything); {@code duplicates} the other
     * records per duplicate rule, oldest first, as {@link RecordStore#duplicates} answers them.
     */
    public record Read(Row row, RecordParts.Parts parts, Set<UUID> readable, Map<String, Long> counts,
                       Map<String, FieldOwners.Owned> owned, List<RecordStore.Referrer> referrers,
                       Map<Kind.DuplicateRule, List<UUID>> duplicates) {
    }

    /** A kind's read as callers of one scope shape send it, with the parameters that do not depend on the caller. */
    private record Statement(String sql, Map<String, Object> constants) {
    }

    /** By kind and {@link Scope#shape()}: the text is fixed once the kinds are (a kind's referrer sources too, see
     * {@link Renderer#referrerSources}); only the id and the caller vary. */
    private final Map<String, Statement> statements = new java.util.concurrent.ConcurrentHashMap<>();

    /** The record {@code id} of {@code kind} if {@code scope} may read it, with the records of {@code sources} linking to it. */
    public java.util.Optional<Read> read(Kind kind, UUID id, Scope scope, Renderer.ReferrerSources sources) {
        Statement statement = statements.computeIfAbsent(kind.collection() + "/" + scope.shape(), k -> statement(kind, scope, sources));
        String sql = statement.sql();
        Map<String, Object> params = new HashMap<>(statement.constants());
        params.put("id", id);
        params.put("ids", List.of(id));
        scope.bind(params);
        List<Kind.DuplicateRule> rules = kind.duplicateRules();
        Row[] row = new Row[1];
        RecordParts.Parts parts = RecordParts.empty();
        Set<UUID> readable = scope.unrestrictedAccess() ? null : new HashSet<>();
        Map<String, Long> counts = new HashMap<>();
        Map<String, FieldOwners.Owned> owned = new LinkedHashMap<>();
        List<RecordStore.Referrer> referrers = new ArrayList<>();
        Map<Integer, List<UUID>> duplicates = new HashMap<>();
        jdbc.query(sql, params, rs -> {
            if (RecordParts.collect(rs, parts)) return;
            switch (rs.getInt("part")) {
                case RECORD -> row[0] = store.row(kind, rs);
                case REFERRER -> referrers.add(new RecordStore.Referrer(rs.getString("s2"), rs.getObject("id1", UUID.class),
                        rs.getString("s1"), rs.getString("s3")));
                case DUPLICATE -> duplicates.computeIfAbsent(Integer.parseInt(rs.getString("grp")), k -> new ArrayList<>())
                        .add(rs.getObject("id1", UUID.class));
                case COUNT -> counts.put(rs.getString("grp"), rs.getLong("pos"));
                case READABLE -> readable.add(rs.getObject("id1", UUID.class));
                default -> {
                    String observed = rs.getString("s3");
                    owned.put(rs.getString("s1"), new FieldOwners.Owned(rs.getString("s1"), rs.getString("s2"),
                            observed == null ? null : Json.parse(observed)));
                }
            }
        });
        if (row[0] == null) return java.util.Optional.empty();
        Map<Kind.DuplicateRule, List<UUID>> byRule = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) if (duplicates.containsKey(i)) byRule.put(rules.get(i), duplicates.get(i));
        return java.util.Optional.of(new Read(row[0], parts, readable, counts, owned, referrers, byRule));
    }

    /** The one statement of {@link #read}, built as {@code scope}'s shape needs it. */
    private Statement statement(Kind kind, Scope scope, Renderer.ReferrerSources sources) {
        Map<String, Object> params = new HashMap<>();
        String self = "(SELECT %s FROM " + kind.table() + " m WHERE m.id = :id)";
        List<String> branches = new ArrayList<>();
        branches.add("SELECT " + RECORD + " AS part, t.id AS rec, CAST('' AS VARCHAR(255)) AS grp, 0 AS pos, CAST(NULL AS UUID) AS id1, "
                + "CAST(NULL AS UUID) AS id2, CAST(NULL AS " + TEXT + ") AS s1, CAST(NULL AS " + TEXT + ") AS s2, CAST(NULL AS " + TEXT + ") AS s3, "
                + "CAST(NULL AS " + TEXT + ") AS s4 FROM " + kind.table() + " t WHERE t.id = :id AND " + scope.predicate(kind, "t", params));
        branches.addAll(RecordParts.branches(kind));
        // ref() columns (a volume's server_id) point at it like relation rows do
        for (Map.Entry<Kind, RecordStore.Column> e : sources.columns()) {
            Kind src = e.getKey();
            String p = "ref_" + src.collection() + "_" + e.getValue().name();
            params.put(p, src.collection());
            params.put(p + "_field", e.getValue().path());
            branches.add("SELECT " + REFERRER + ", " + ID + ", '', 0, y.id, NULL, y.name, CAST(:" + p + " AS " + TEXT + "), CAST(:" + p + "_field AS "
                    + TEXT + "), NULL FROM " + src.table() + " y WHERE y." + e.getValue().name() + " = :id AND " + scope.predicate(src, "y", params));
        }
        for (Kind src : sources.kinds()) {
            params.put("src_" + src.collection(), src.collection());
            branches.add("SELECT " + REFERRER + ", " + ID + ", '', 0, r.src_id, NULL, t.name, r.src_kind, r.field, NULL FROM relation r JOIN "
                    + src.table() + " t ON t.id = r.src_id WHERE r.dst_id = :id AND r.src_kind = :src_" + src.collection()
                    + " AND " + scope.predicate(src, "t", params));
        }
        List<Kind.DuplicateRule> rules = kind.duplicateRules();
        for (int i = 0; i < rules.size(); i++) {
            String column = Field.column(rules.get(i).field());
            String col = rules.get(i).ignoreCase() ? "LOWER(%s." + column + ")" : "%s." + column;
            branches.add("(SELECT " + DUPLICATE + ", " + ID + ", '" + i + "', ROW_NUMBER() OVER (ORDER BY t.created_at, t.id), t.id, NULL, NULL, NULL, NULL, NULL"
                    + " FROM " + kind.table() + " t WHERE " + col.formatted("t") + " = " + self.formatted(col.formatted("m"))
                    + " AND t.team_id = " + self.formatted("m.team_id") + " AND t.id <> :id AND " + scope.predicate(kind, "t", params)
                    + " ORDER BY t.created_at, t.id LIMIT 100)");
        }
        for (Kind.Count c : kind.counts()) {
            Kind counted = kinds.get(c.kind());
            branches.add("SELECT " + COUNT + ", " + ID + ", '" + c.name() + "', CAST(COUNT(*) AS INT), NULL, NULL, NULL, NULL, NULL, NULL FROM "
                    + counted.table() + " t WHERE t." + c.column() + " = :id AND " + scope.predicate(counted, "t", params));
        }
        if (!scope.unrestrictedAccess()) {
            targets(kind).forEach((target, candidates) -> branches.add("SELECT " + READABLE + ", " + ID + ", '" + target.collection()
                    + "', 0, t.id, NULL, NULL, NULL, NULL, NULL FROM " + target.table() + " t WHERE t.id IN ("
                    + String.join(" UNION ALL ", candidates) + ") AND " + scope.predicate(target, "t", params)));
        }
        branches.add("SELECT " + OWNED + ", record_id, field, 0, NULL, NULL, field, owner, observed, NULL FROM record_field_owner WHERE record_id = :id");

        String sql = "SELECT p.*, t.* FROM (" + String.join(" UNION ALL ", branches) + ") p LEFT JOIN " + kind.table()
                + " t ON p.part = " + RECORD + " AND t.id = p.rec ORDER BY p.part, p.grp, p.pos, p.s1, p.id1, p.s3";
        // set again on every read: the record and the caller
        params.keySet().removeAll(List.of("id", "ids", "scope_user", "scope_teams"));
        return new Statement(sql, Map.copyOf(params));
    }

    /**
     * The SELECTs of the ids a record may point at, by the kind they point into: its links, its
     * reference columns, the sources of its automatic service entries (those {@code Renderer}
     * hides when the caller may not read them).
     */
    private Map<Kind, Set<String>> targets(Kind kind) {
        Map<Kind, Set<String>> out = new LinkedHashMap<>();
        for (Field f : kind.fields()) {
            if (f.type != Type.REFS) continue;
            for (String target : f.refKinds()) {
                kinds.find(target).ifPresent(k -> out.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(
                        "SELECT l.dst_id FROM relation l WHERE l.src_id = :id AND l.dst_kind = '" + k.collection() + "'"));
            }
        }
        for (RecordStore.Column c : store.columns(kind)) {
            if (c.field().type != Type.REF) continue;
            for (String target : c.field().refKinds()) {
                kinds.find(target).ifPresent(k -> out.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(
                        "SELECT m." + c.name() + " FROM " + kind.table() + " m WHERE m.id = :id"));
            }
        }
        if (kind.fields().stream().anyMatch(f -> f.type == Type.SERVICES)) {
            kinds.all().stream().filter(k -> k.autoService() != null).forEach(k -> out.computeIfAbsent(k, x -> new LinkedHashSet<>())
                    .add("SELECT ss.source_id FROM server_service ss WHERE ss.server_id = :id"));
        }
        return out;
    }
}
