package io.maestro.core.record;

import io.maestro.core.ProblemException;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reads ISO-8601 instants of query parameters ({@code as_of}, {@code since}, {@code until}), and
 * writes the SQL that picks the history rows (versions, links) valid at an instant.
 */
public final class AsOf {
    private AsOf() {
    }

    static OffsetDateTime parse(Map<String, String[]> params) {
        String[] v = params.get("as_of");
        return v == null || v.length == 0 ? null : instant("as_of", v[0]);
    }

    /** {@code 2026-11-24T14:00:00Z}, with any offset, or a date meaning its midnight UTC; else 400 naming the parameter. */
    public static OffsetDateTime instant(String parameter, String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw ProblemException.badField(parameter, "must be an ISO-8601 date-time such as 2026-11-24T14:00:00Z");
            }
        }
    }

    /** The rows of a history table ({@code valid_from}, {@code valid_to}) valid at {@code asOf}. */
    public static String validAt(String alias, OffsetDateTime asOf) {
        String at = sqlInstant(asOf);
        return alias + ".valid_from <= " + at + " AND (" + alias + ".valid_to IS NULL OR " + alias + ".valid_to > " + at + ")";
    }

    /**
     * An instant written into the SQL rather than bound: PostgreSQL then plans with the actual time
     * (a recent one: few ended versions, read through the valid_to index) instead of switching to a
     * generic plan after a few executions that reads the whole validity index (measured 2.2x the
     * live list at 1M servers against 1.1x). Safe: the text is formatted here from a parsed time.
     */
    public static String sqlInstant(OffsetDateTime t) {
        return "TIMESTAMP WITH TIME ZONE '" + SQL_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC)) + "'";
    }

    private static final java.time.format.DateTimeFormatter SQL_INSTANT = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /**
     * "{@code table alias WHERE }", to be followed by conditions: the table as it is, or with
     * {@code asOf} its history table ({@code <table>_version}) limited to the rows valid then.
     */
    public static String from(String table, String alias, OffsetDateTime asOf) {
        return asOf == null ? table + " " + alias + " WHERE " : table + "_version " + alias + " WHERE " + validAt(alias, asOf) + " AND ";
    }
}
