package io.maestro.integrations.webhook;

import io.maestro.core.access.SealedColumn;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Webhook secrets are re-sealed with the inventory's secrets when the key rotates. */
@Configuration(proxyBeanMethods = false)
class WebhookSecrets {
    @Bean
    SealedColumn webhookSecret() {
        return new SealedColumn("webhook", "secret", "webhooks");
    }
}
