package io.maestro.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;

/**
 * The identity provider, read from its discovery document ({@code <issuer>/.well-known/openid-configuration})
 * when first needed rather than at start: a provider that is down or misconfigured then makes the
 * SSO button answer with an error page, and never stops Maestro from starting (local users and
 * tokens keep working). A failed lookup is retried at most every {@link #RETRY_MILLIS}.
 */
@Component
public class SsoRegistrations implements ClientRegistrationRepository {
    private static final Logger log = LoggerFactory.getLogger(SsoRegistrations.class);
    private static final long RETRY_MILLIS = 10_000;

    private final SsoSettings settings;
    private volatile ClientRegistration registration;
    private volatile long failedAt;

    public SsoRegistrations(SsoSettings settings) {
        this.settings = settings;
    }

    @Override
    public ClientRegistration findByRegistrationId(String id) {
        if (!SsoSettings.REGISTRATION.equals(id) || !settings.enabled()) return null;
        ClientRegistration r = registration;
        if (r != null) return r;
        synchronized (this) {
            if (registration != null) return registration;
            if (failedAt != 0 && System.currentTimeMillis() - failedAt < RETRY_MILLIS) return null;
            try {
                // checks that the document names this very issuer (an ID token from elsewhere is refused later too)
                registration = ClientRegistrations.fromIssuerLocation(settings.issuer())
                        .registrationId(SsoSettings.REGISTRATION)
                        .clientName(settings.name())
                        .clientId(settings.clientId())
                        .clientSecret(settings.clientSecret())
                        .clientAuthenticationMethod(settings.clientSecret().isEmpty() ? ClientAuthenticationMethod.NONE
                                : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .scope("openid", "profile", "email")
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .build();
                log.info("Single sign-on through {}", settings.issuer());
                return registration;
            } catch (RuntimeException e) {
                failedAt = System.currentTimeMillis();
                log.warn("The identity provider {} cannot be used: {}", settings.issuer(), e.getMessage());
                return null;
            }
        }
    }

    /** Whether the provider can be used now (its discovery document was read). */
    public boolean available() {
        return findByRegistrationId(SsoSettings.REGISTRATION) != null;
    }
}
