package io.maestro.sources;

import io.maestro.core.access.SealedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connections' secret access keys are re-sealed with the inventory's secrets when the key rotates. */
@Configuration(proxyBeanMethods = false)
class ConnectionSecrets {
    @Bean
    SealedColumn connectionSecret() {
        return new SealedColumn("source_connection", Connections.SECRET_COLUMN, Connections.COLLECTION);
    }
}
