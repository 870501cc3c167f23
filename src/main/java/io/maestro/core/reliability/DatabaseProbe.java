package io.maestro.core.reliability;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * Whether the database answers, checked a few times a second on a connection of its own (not one
 * of the pool's: with every pooled connection busy or the pool waiting on a dead server, asking
 * the pool would take as long as its timeout). Health reads the last answer, so it answers at
 * once, and says DOWN when the last successful check is older than {@link #STALE_MILLIS}.
 */
@Component("database")
public class DatabaseProbe implements HealthIndicator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);
    static final long INTERVAL_MILLIS = 250;
    static final long STALE_MILLIS = 1500;

    private final String url;
    private final Properties credentials = new Properties();
    private final Thread thread;
    private volatile long lastSuccess = System.nanoTime();
    private volatile boolean reachable = true;
    private volatile boolean running = true;
    private Connection connection;

    public DatabaseProbe(DataSource dataSource) {
        HikariDataSource hikari = hikari(dataSource);
        this.url = hikari == null ? null : hikari.getJdbcUrl();
        if (hikari != null) {
            if (hikari.getUsername() != null) credentials.setProperty("user", hikari.getUsername());
            if (hikari.getPassword() != null) credentials.setProperty("password", hikari.getPassword());
        }
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            // seconds: a server that stopped answering is noticed in one check
            credentials.setProperty("connectTimeout", "1");
            credentials.setProperty("socketTimeout", "1");
            credentials.setProperty("loginTimeout", "1");
        }
        this.thread = new Thread(this::run, "database-probe");
        thread.setDaemon(true);
        if (url != null) thread.start();
    }

    private static HikariDataSource hikari(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (java.sql.SQLException e) {
            return null;
        }
    }

    /** False while the database does not answer (the last check failed or none succeeded lately). */
    public boolean reachable() {
        return url == null || (reachable && System.nanoTime() - lastSuccess < STALE_MILLIS * 1_000_000);
    }

    @Override
    public Health health() {
        return reachable() ? Health.up().build() : Health.down().build();
    }

    private void run() {
        while (running) {
            boolean ok = check();
            if (ok != reachable) {
                if (ok) log.warn("The database answers again");
                else log.warn("The database does not answer; health says DOWN until it does");
            }
            if (ok) lastSuccess = System.nanoTime();
            reachable = ok;
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean check() {
        try {
            if (connection == null) connection = DriverManager.getConnection(url, credentials);
            try (Statement s = connection.createStatement()) {
                s.setQueryTimeout(1);
                s.execute("SELECT 1");
            }
            return true;
        } catch (Exception e) {
            closeConnection();
            return false;
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) connection.close();
        } catch (Exception ignored) {
            // it is being dropped because it broke
        }
        connection = null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
