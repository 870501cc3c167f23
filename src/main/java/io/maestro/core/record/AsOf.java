package io.maestro.core.record;

import io.maestro.core.ProblemException;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Reads ISO-8601 instants of query parameters ({@code as_of}, {@code since}, {@code until}). */
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
}
