package io.maestro.core.reliability;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;

/** Transactions that take turns on H2, and replays of those that failed for a transient reason. */
@Configuration(proxyBeanMethods = false)
public class ReliabilityConfig {

    @Bean
    SerialisedH2Writes transactionManager(DataSource dataSource,
                                          @Value("${spring.datasource.url:}") String url,
                                          @Value("${maestro.h2-write-wait-millis:30000}") long waitMillis) {
        return new SerialisedH2Writes(dataSource, url.startsWith("jdbc:h2:"), waitMillis);
    }

    /** Around every @Transactional method, outside its transaction (so before the transaction advisor). */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor replayTransientFailures(ObjectProvider<DatabaseProbe> probe, @Value("${maestro.transaction-attempts:4}") int attempts) {
        ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(Transactional.class, true))
                .union(AnnotationMatchingPointcut.forMethodAnnotation(Transactional.class));
        DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, new ReplayTransientFailures(attempts, () -> probe.getObject().reachable()));
        advisor.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return advisor;
    }
}
