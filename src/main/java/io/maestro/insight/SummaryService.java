package io.maestro.insight;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.ListQuery;
import io.maestro.core.record.ListQueryParser;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.Scope;
import io.maestro.core.schema.Field;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /{collection}/summary?group_by=&<list filters>}: how many records of a list there
 * are per value of up to three fields. The filters are parsed by the list's own parser and the
 * counts come from one GROUP BY with the list's own WHERE (access included), so a group's count
 * and the list's total for the same filters agree.
 */
@Service
public class SummaryService {
    public static final int MAX_GROUPS = 3;

    private final ListQueryParser parser;
    private final RecordStore store;

    public SummaryService(ListQueryParser parser, RecordStore store) {
        this.parser = parser;
        this.store = store;
    }

    /** A group field: its column, or the value every record has while the column does not exist yet. */
    record GroupField(String name, String column) {
    }

    public record Summary(List<String> groupBy, List<Map<String, Object>> groups, long total) {
    }

    /** The group fields of {@code spec} (comma-separated), else 400 naming {@code parameter}. */
    List<GroupField> groupFields(Kind kind, List<String> names, String parameter) {
        if (names.size() > MAX_GROUPS) throw ProblemException.badField(parameter, "at most " + MAX_GROUPS + " fields");
        List<GroupField> out = new ArrayList<>();
        for (String name : names) {
            if (out.stream().anyMatch(g -> g.name().equals(name))) throw ProblemException.badField(parameter, "names '" + name + "' twice");
            out.add(groupField(kind, name, parameter));
        }
        return out;
    }

    private GroupField groupField(Kind kind, String name, String parameter) {
        if (name.equals("team_id") && !kind.global()) return new GroupField(name, "team_id");
        var column = store.column(kind, name);
        if (column.isPresent() && !column.get().field().isJson() && column.get().field().type != Field.Type.TEXT) {
            return new GroupField(name, column.get().name());
        }
        throw ProblemException.badField(parameter, "cannot group " + kind.collection() + " by '" + name + "'; allowed: " + String.join(", ", groupable(kind)));
    }

    /** Every field a kind's records can be grouped by. */
    public List<String> groupable(Kind kind) {
        List<String> out = new ArrayList<>();
        for (RecordStore.Column c : store.columns(kind)) {
            if (!c.field().isJson() && c.field().type != Field.Type.TEXT) out.add(c.path());
        }
        if (!kind.global()) out.add("team_id");
        return out;
    }

    static List<String> names(String spec) {
        if (spec == null || spec.isBlank()) return List.of();
        return Arrays.stream(spec.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The summary of a list request's parameters ({@code group_by} and the list's filters, {@code as_of}). */
    @Transactional(readOnly = true)
    public Summary summarize(Kind kind, Map<String, String[]> params, Caller caller) {
        Map<String, String[]> filters = new LinkedHashMap<>(params);
        String[] spec = filters.remove("group_by");
        List<String> names = new ArrayList<>();
        if (spec != null) for (String s : spec) names.addAll(names(s));
        List<GroupField> fields = groupFields(kind, names, "group_by");
        String[] at = filters.get("as_of");
        OffsetDateTime asOf = at == null || at.length == 0 ? null : AsOf.instant("as_of", at[0]);
        ListQuery query = parser.parse(kind, filters);
        return summarize(kind, query, fields, asOf, Scope.of(caller));
    }

    Summary summarize(Kind kind, ListQuery query, List<GroupField> fields, OffsetDateTime asOf, Scope scope) {
        List<String> columns = fields.stream().map(GroupField::column).toList();
        List<Map<String, Object>> groups = new ArrayList<>();
        long total = 0;
        for (List<Object> row : store.groupCounts(kind, query, columns, scope, asOf)) {
            Map<String, Object> group = new LinkedHashMap<>();
            int c = 0;
            for (GroupField f : fields) {
                group.put(f.name(), json(row.get(c++)));
            }
            long n = (Long) row.get(row.size() - 1);
            group.put("count", n);
            total += n;
            groups.add(group);
        }
        groups.sort(Comparator.<Map<String, Object>>comparingLong(g -> -((Long) g.get("count")))
                .thenComparing(g -> g.values().stream().map(v -> Objects.toString(v, "\uffff")).toList().toString()));
        return new Summary(fields.stream().map(GroupField::name).toList(), groups, total);
    }

    /** A column's value as JSON shows it (ids as text). */
    private static Object json(Object v) {
        return v instanceof java.util.UUID u ? u.toString() : v;
    }
}
