package io.maestro.support;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Test-only: wraps the application's DataSource so a test can count the SQL statements a request
 * executes (every Connection.prepareStatement / createStatement / prepareCall while recording).
 * Pins list queries against N+1 regressions.
 */
@TestConfiguration(proxyBeanMethods = false)
public class SqlStatementCounter {
    private static final Set<String> STATEMENT_METHODS = Set.of("prepareStatement", "createStatement", "prepareCall");
    private static final List<String> RECORDED = Collections.synchronizedList(new ArrayList<>());
    private static volatile boolean recording;
    private static volatile Thread recorder;

    private static boolean isRequest(Thread t) {
        return t == recorder || t.getName().startsWith("http-nio");
    }

    @Bean
    static BeanPostProcessor countingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource ds && !(bean instanceof Counting) ? new Counting(ds) : bean;
            }
        };
    }

    /**
     * Runs {@code action} and returns the SQL of every statement it executed, in order, less the
     * cluster's change counter: it is re-read when due (ClusterVersion, at most every 200 ms), so
     * whether a request reads it depends on the time, not on what the request does.
     */
    public static List<String> record(Runnable action) {
        synchronized (RECORDED) {
            RECORDED.clear();
        }
        recorder = Thread.currentThread();
        recording = true;
        try {
            action.run();
        } finally {
            recording = false;
        }
        synchronized (RECORDED) {
            return RECORDED.stream().filter(sql -> !sql.contains("FROM cluster_version")).toList();
        }
    }

    static final class Counting extends DelegatingDataSource {
        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return wrap(super.getConnection(username, password));
        }

        private static Connection wrap(Connection c) {
            return (Connection) Proxy.newProxyInstance(SqlStatementCounter.class.getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        // only requests' statements (Tomcat's threads) and the recorded action's own: background workers
                        // (webhook delivery, job heartbeats and sweeps, schedules) run whenever they are due
                        if (recording && STATEMENT_METHODS.contains(method.getName()) && isRequest(Thread.currentThread())) {
                            RECORDED.add(args != null && args.length > 0 && args[0] instanceof String sql ? sql : method.getName());
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
