package io.maestro.core.record;

import io.maestro.core.Dialect;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Inserts many rows into one table: on PostgreSQL with {@code COPY ... FROM STDIN} on the
 * transaction's connection (bulk imports write a record, its version and its change entry per
 * row, and COPY skips the per-row statement work a multi-row INSERT still does), elsewhere as
 * a JDBC batch. Small batches (single writes) stay plain INSERTs.
 */
@Component
public class BatchInsert {
    /** Below this many rows an INSERT batch is as quick and simpler to read in a log. */
    static final int COPY_FROM = 50;

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final Dialect dialect;

    public BatchInsert(JdbcTemplate jdbc, DataSource dataSource, Dialect dialect) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Inserts {@code rows} (values in the order of {@code columns}; JSON columns given as JSON
     * text) into {@code table}; columns left out take their defaults.
     */
    public void insert(String table, List<String> columns, Set<String> jsonColumns, List<Object[]> rows) {
        if (rows.isEmpty()) return;
        if (dialect.isPostgres() && rows.size() >= COPY_FROM) {
            copy(table, columns, rows);
            return;
        }
        List<String> marks = new ArrayList<>();
        for (String c : columns) marks.add(jsonColumns.contains(c) && dialect.isPostgres() ? "CAST(? AS jsonb)" : "?");
        jdbc.batchUpdate("INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + String.join(", ", marks) + ")", rows);
    }

    /** CSV as COPY reads it: unquoted empty for NULL, every other value quoted, times in ISO-8601. */
    private void copy(String table, List<String> columns, List<Object[]> rows) {
        StringBuilder csv = new StringBuilder(rows.size() * 256);
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.POSTGRESQL_CSV)) {
            for (Object[] row : rows) printer.printRecord(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Connection con = DataSourceUtils.getConnection(dataSource);
        try {
            con.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + String.join(", ", columns)
                    + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        } catch (SQLException e) {
            throw jdbc.getExceptionTranslator().translate("COPY " + table, null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }
}
