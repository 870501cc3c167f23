package io.maestro.core;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.DatabaseMetaData;

/** The few SQL spellings that differ between PostgreSQL and H2. */
@Component
public class Dialect {
    private final boolean postgres;

    public Dialect(DataSource dataSource) throws Exception {
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        this.postgres = product != null && product.toLowerCase().contains("postgres");
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** Placeholder for a JSON value: PostgreSQL stores jsonb, H2 text. */
    public String jsonParam(String name) {
        return postgres ? "CAST(:" + name + " AS jsonb)" : ":" + name;
    }

    /** Reads a JSON column as text. */
    public String jsonText(String column) {
        return postgres ? column + "::text" : column;
    }

    /** A LIKE pattern matching lower-cased {@code text} anywhere (against a lower-cased column), wildcards escaped. */
    public String lowerContainsPattern(String text) {
        String escaped = text.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
