package io.maestro.identity;

import io.maestro.core.Json;
import io.maestro.core.Problems;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import java.io.IOException;

/**
 * The API is stateless (HTTP Basic or a bearer token, no session, no CSRF); the web UI uses a
 * login form and a CSRF-protected session. Errors of the API are problem+json.
 */
@Configuration
public class SecurityConfig {

    /** bcrypt, cost 12 (about a quarter second per check); tests lower it to stay fast. */
    @Bean
    PasswordEncoder passwordEncoder(@Value("${maestro.password-hash-cost:12}") int cost) {
        return new BCryptPasswordEncoder(cost);
    }

    /**
     * No tracing spans around every security filter: nothing here collects them, and wrapping
     * each filter of each request cost a tenth of a plain read's CPU (bench, GET by id).
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    UserDetailsService users(AccountStore accounts) {
        return username -> accounts.login(username)
                .map(u -> User.withUsername(u.username()).password(u.passwordHash()).disabled(u.disabled())
                        .roles(u.globalAdmin() ? "ADMIN" : "USER").build())
                .orElseThrow(() -> new UsernameNotFoundException(username));
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens) throws Exception {
        http.securityMatcher("/api/**")
                .addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(problem(401, "Unauthorized", "Authentication is required: HTTP Basic or a bearer token")))
                .exceptionHandling(e -> e.authenticationEntryPoint(problem(401, "Unauthorized", "Authentication is required: HTTP Basic or a bearer token"))
                        .accessDeniedHandler(denied()))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                // no session to end, and nothing here asks the request for its user (CurrentCaller reads the
                // security context): two filters less on every API request (bench, GET by id)
                .logout(l -> l.disable())
                .servletApi(s -> s.disable())
                .headers(SecurityConfig::headers);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, SsoRegistrations registrations, SsoUsers ssoUsers) throws Exception {
        // the authorization code flow always with PKCE (S256), also for this confidential client
        var authorizationRequests = new org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver(
                registrations, "/oauth2/authorization");
        authorizationRequests.setAuthorizationRequestCustomizer(
                org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers.withPkce());
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info", "/v3/api-docs/**", "/v3/api-docs",
                                "/swagger-ui/**", "/swagger-ui.html", "/login", "/login/sso", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico",
                                "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").permitAll().failureHandler(new LoginFailureHandler()))
                .oauth2Login(o -> o.loginPage("/login")
                        .clientRegistrationRepository(registrations)
                        .authorizationEndpoint(e -> e.authorizationRequestResolver(authorizationRequests))
                        .userInfoEndpoint(u -> u.oidcUserService(ssoUsers))
                        .failureHandler(SecurityConfig::ssoFailed))
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                .requestCache(c -> c.requestCache(savedRequests()))
                .headers(SecurityConfig::headers);
        return http.build();
    }

    /**
     * A failed single sign-on (refused at the provider, wrong client secret, a state that matches
     * no request of this browser, an ID token that does not verify): back to the login page with
     * the OAuth error code only (never the provider's text), signed in as nobody.
     */
    private static void ssoFailed(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                                  org.springframework.security.core.AuthenticationException e) throws IOException {
        String code = e instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException o ? o.getError().getErrorCode() : "failed";
        if (code == null || !code.matches("[a-z_]{1,40}")) code = "failed";
        org.slf4j.LoggerFactory.getLogger(SecurityConfig.class).info("Single sign-on failed: {} ({})", code, e.getMessage());
        response.sendRedirect(request.getContextPath() + "/login?sso_error=" + code);
    }

    /** After signing in, back to the page asked for, without Spring's "?continue" marker in its URL. */
    private static org.springframework.security.web.savedrequest.RequestCache savedRequests() {
        var cache = new org.springframework.security.web.savedrequest.HttpSessionRequestCache();
        cache.setMatchingRequestParameterName(null);
        return cache;
    }

    /** No inline scripts anywhere (the UI's script is a file); inline styles stay allowed because Swagger UI sets them. */
    private static void headers(org.springframework.security.config.annotation.web.configurers.HeadersConfigurer<HttpSecurity> h) {
        h.contentTypeOptions(c -> { })
                .frameOptions(f -> f.deny())
                .referrerPolicy(r -> r.policy(org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                .contentSecurityPolicy(c -> c.policyDirectives("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                        + "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"));
    }

    static AuthenticationEntryPoint problem(int status, String title, String detail) {
        return (request, response, e) -> {
            if (e instanceof LoginThrottle.ThrottledException locked) {
                response.setHeader("Retry-After", String.valueOf(locked.retryAfterSeconds()));
                write(response, 429, "Too many requests", locked.getMessage(), request.getRequestURI());
                return;
            }
            if (status == 401) response.setHeader("WWW-Authenticate", "Basic realm=\"maestro\", charset=\"UTF-8\"");
            // the right password of a disabled user: say so (a wrong one is told nothing)
            write(response, status, title, e instanceof CachingPasswordAuthentication.AccountDisabled ? e.getMessage() : detail, request.getRequestURI());
        };
    }

    static AccessDeniedHandler denied() {
        return (request, response, e) -> write(response, 403, "Forbidden", "You may not do this", request.getRequestURI());
    }

    static void write(HttpServletResponse response, int status, String title, String detail, String instance) throws IOException {
        response.setStatus(status);
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.write(Problems.body(status, title, detail, null, null, instance)));
    }
}
