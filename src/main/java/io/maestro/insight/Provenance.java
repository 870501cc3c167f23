package io.maestro.insight;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place insight reads provenance (sources.md): a record's source type, whether it is
 * stale, whether it drifted. Those columns come with the sources feature; until a kind's table has
 * them, every record reads as typed by a person ({@code manual}), not stale, without drift, so
 * stale and drift count 0 and grouping by them gives one group. When the columns exist (names
 * below), they are read as they are.
 */
@Component
public class Provenance {
    public static final String SOURCE_TYPE = "source_type";
    public static final String STALE = "stale";
    public static final String DRIFT = "drift";

    private final JdbcTemplate jdbc;
    private final Map<String, Set<String>> columns = new ConcurrentHashMap<>();

    public Provenance(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether {@code table} has {@code column} (read once per table from the database's own description of it). */
    public boolean has(String table, String column) {
        return columns.computeIfAbsent(table, t -> jdbc.query("SELECT * FROM " + t + " WHERE 1 = 0", rs -> {
            Set<String> names = new HashSet<>();
            var meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            return names;
        })).contains(column);
    }

    /** SQL true for a stale record of {@code alias}, or null when the table has no such column (none is). */
    public String staleCondition(String table, String alias) {
        return has(table, STALE) ? alias + "." + STALE + " = TRUE" : null;
    }

    /** SQL true for a record with drift, or null when the table has no such column (none has). */
    public String driftCondition(String table, String alias) {
        return has(table, DRIFT) ? "(" + alias + "." + DRIFT + " IS NOT NULL AND CAST(" + alias + "." + DRIFT + " AS VARCHAR(10000)) NOT IN ('', '[]'))" : null;
    }
}
