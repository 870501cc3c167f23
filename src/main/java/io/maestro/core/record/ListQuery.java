package io.maestro.core.record;


import java.util.List;

/** A parsed list request: conditions, search text, sort and page. */
public record ListQuery(List<Condition> conditions, String q, List<Sort> sort, int page, int size) {
    public static final int MAX_SIZE = 1000;
    public static final int DEFAULT_SIZE = 50;

    public enum ConditionKind { COLUMN, RELATION, TAG, SERVICE }

    /** {@code column} is a column name, a relation field, or a tag key, depending on the kind. */
    public record Condition(ConditionKind kind, String column, List<Object> values, boolean ignoreCase) {
    }

    public record Sort(String column, boolean descending) {
    }
}
