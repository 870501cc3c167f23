package io.maestro.core;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, lets the driver turn JDBC batches of inserts into multi-row inserts (bulk
 * imports, history): several times fewer round trips. Set here rather than in the URL so that
 * a user's SPRING_DATASOURCE_URL gets it too; H2 would refuse the unknown property.
 */
@Component
public class PostgresTuning implements BeanPostProcessor {
    @Override
    public Object postProcessBeforeInitialization(Object bean, String name) {
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null && ds.getJdbcUrl().startsWith("jdbc:postgresql:")) {
            ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return bean;
    }
}
