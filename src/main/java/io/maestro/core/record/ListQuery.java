package io.maestro.core.record;


import java.util.List;

/**
 * A parsed list request: conditions, search text, sort, and page or keyset cursor ({@code after}: the
 * last row's sort values and id); {@code total} false skips the COUNT (the answer has no total).
 */
public record ListQuery(List<Condition> conditions, String q, List<Sort> sort, int page, int size, List<Object> after, boolean total) {
    public static final int MAX_SIZE = 1000;
    public static final int DEFAULT_SIZE = 50;

    /** BEFORE: the column's value is less than the one value (last_seen_before). */
    public enum ConditionKind { COLUMN, RELATION, TAG, SERVICE, BEFORE }

    /** {@code column} is a column name, a relation field, or a tag key, depending on the kind. */
    public record Condition(ConditionKind kind, String column, List<Object> values, boolean ignoreCase) {
    }

    /** {@code type} converts cursor values back to column values. */
    public record Sort(String column, boolean descending, Class<?> type) {
        /**
         * What the list orders by: text case-insensitively (people expect "alpha" before "Zeta"),
         * the same on H2 and PostgreSQL; ties are broken by id.
         */
        public String expression(String alias) {
            return type == String.class ? "LOWER(" + alias + "." + column + ")" : alias + "." + column;
        }
    }
}
