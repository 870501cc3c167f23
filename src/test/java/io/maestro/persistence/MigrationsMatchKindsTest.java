package io.maestro.persistence;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations against the kinds, on whichever database this pass runs (both passes together
 * cover both dialects): every kind's live table and {@code <table>_version} have exactly the columns
 * its schema stores, with types that hold them, and exactly the unique indexes its rules name
 * (a unique name, {@code uniqueRules()}); the version tables have none. A kind whose migration
 * forgets a column, a version table or an index fails here, not in a user's write.
 */
class MigrationsMatchKindsTest extends ApiTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    @Test
    void everyKindsTablesHaveExactlyTheColumnsItsSchemaStores() throws SQLException {
        boolean postgres = postgres();
        for (Kind k : kinds.all()) {
            Map<String, String> live = new TreeMap<>();
            live.putAll(Map.of("id", "uuid", "team_id", "uuid", "version", "integer", "created_at", "timestamp", "updated_at", "timestamp"));
            for (Map.Entry<String, Field> c : Field.columnFields(k.fields())) live.put(Field.column(c.getKey()), family(c.getValue(), postgres));
            Map<String, String> version = new TreeMap<>(live);
            version.putAll(Map.of("valid_from", "timestamp", "valid_to", "timestamp", "doc", postgres ? "json" : "text"));
            // H2 has no expression indexes: a generated lower(name) column carries a unique name (V10)
            if (k.uniqueName() && !postgres) live.put("name_lower", "text");
            // q over more than the name reads one generated, lower-cased column (V21)
            if (!k.searchColumns().isEmpty()) live.put("search_text", "text");

            assertThat(columns(k.table())).as("columns of %s (kind %s)", k.table(), k.collection()).isEqualTo(live);
            assertThat(columns(k.table() + "_version")).as("columns of %s_version (kind %s)", k.table(), k.collection()).isEqualTo(version);
        }
    }

    @Test
    void everyKindsUniqueRulesAreUniqueIndexesAndNothingElseIs() throws SQLException {
        for (Kind k : kinds.all()) {
            Set<Set<String>> expected = new HashSet<>();
            if (k.uniqueName()) expected.add(Set.of("lower(name)"));
            for (Kind.UniqueRule r : k.uniqueRules()) expected.add(r.paths().stream().map(Field::column).collect(Collectors.toSet()));
            assertThat(uniqueIndexes(k.table())).as("unique indexes of %s (kind %s)", k.table(), k.collection()).isEqualTo(expected);
            assertThat(uniqueIndexes(k.table() + "_version")).as("%s_version keeps every version", k.table()).isEmpty();
        }
    }

    /** Not only the kinds: every unique index and unique column of one dialect's migrations is in the other's. */
    @Test
    void bothDialectsDeclareTheSameUniquenessRules() throws IOException {
        assertThat(uniqueness("postgresql")).isEqualTo(uniqueness("h2")).isNotEmpty();
    }

    // ---- the database's view

    private boolean postgres() throws SQLException {
        try (Connection c = jdbc.getDataSource().getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        }
    }

    /** Column name → type family, as information_schema reports them. */
    private Map<String, String> columns(String table) {
        Map<String, String> out = new TreeMap<>();
        jdbc.query("SELECT column_name, data_type FROM information_schema.columns WHERE lower(table_schema) = 'public' AND lower(table_name) = ?",
                rs -> {
                    out.put(rs.getString(1).toLowerCase(), family(rs.getString(2)));
                }, table);
        return out;
    }

    /** The column sets of the table's unique indexes other than the primary key; {@code lower(name)} for either dialect's form of it. */
    private Set<Set<String>> uniqueIndexes(String table) throws SQLException {
        Map<String, Set<String>> byIndex = new LinkedHashMap<>();
        try (Connection c = jdbc.getDataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            boolean upper = meta.storesUpperCaseIdentifiers();
            try (ResultSet rs = meta.getIndexInfo(null, upper ? "PUBLIC" : "public", upper ? table.toUpperCase() : table, true, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") == null || rs.getBoolean("NON_UNIQUE")) continue;
                    byIndex.computeIfAbsent(rs.getString("INDEX_NAME"), x -> new TreeSet<>()).add(normalise(rs.getString("COLUMN_NAME")));
                }
            }
        }
        return byIndex.values().stream().filter(cols -> !cols.equals(Set.of("id"))).collect(Collectors.toSet());
    }

    private static String normalise(String column) {
        String c = column.toLowerCase().replaceAll("\\s+", "");
        return c.equals("name_lower") || c.matches("lower\\(\\(?name\\)?(::text)?\\)") ? "lower(name)" : c;
    }

    private static String family(String dataType) {
        String t = dataType.toLowerCase();
        if (t.startsWith("timestamp")) return "timestamp";
        if (t.equals("uuid")) return "uuid";
        if (t.startsWith("json")) return "json";
        if (t.equals("boolean")) return "boolean";
        if (t.equals("integer") || t.equals("bigint") || t.equals("smallint")) return "integer";
        if (t.startsWith("double") || t.equals("real") || t.equals("numeric") || t.equals("decfloat")) return "number";
        if (t.contains("char") || t.equals("text")) return "text";
        return t;
    }

    /** The family of the column a field is stored in. */
    private static String family(Field f, boolean postgres) {
        if (f.isJson()) return postgres ? "json" : "text";
        return switch (f.type) {
            case REF, ID -> "uuid";
            case INTEGER -> "integer";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            default -> "text";
        };
    }

    // ---- the migrations' text

    private static final Pattern UNIQUE_INDEX = Pattern.compile("(?i)CREATE\\s+UNIQUE\\s+INDEX\\s+(\\w+)\\s+ON\\s+(\\w+)");
    private static final Pattern TABLE = Pattern.compile("(?is)CREATE\\s+TABLE\\s+(\\w+)\\s*\\((.*?)\\n\\);");
    private static final Pattern UNIQUE_COLUMN = Pattern.compile("(?im)^\\s*(\\w+)\\s[^\\n]*\\bUNIQUE\\b");

    /** {@code table.index} of every unique index and {@code table.column} of every UNIQUE column in one dialect's migrations. */
    private static Set<String> uniqueness(String dialect) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS.resolve(dialect))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                String sql = Files.readString(f).replaceAll("--[^\\n]*", "");
                Matcher i = UNIQUE_INDEX.matcher(sql);
                while (i.find()) out.add(i.group(2).toLowerCase() + "." + i.group(1).toLowerCase());
                Matcher t = TABLE.matcher(sql);
                while (t.find()) {
                    Matcher c = UNIQUE_COLUMN.matcher(t.group(2));
                    while (c.find()) out.add(t.group(1).toLowerCase() + "." + c.group(1).toLowerCase());
                }
            }
        }
        return out;
    }
}
