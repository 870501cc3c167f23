package io.maestro.identity;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Single sign-on settings (MAESTRO_SSO_*, see README). SSO is on when an issuer is set; local
 * users (password form and HTTP Basic) stay on unless MAESTRO_LOCAL_LOGIN is false. API tokens
 * work either way, also for SSO users.
 */
@Component
public class SsoSettings {
    static final String REGISTRATION = "sso";

    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final String name;
    private final String usernameClaim;
    private final String groupsClaim;
    private final Pattern teamGroup;
    private final String adminGroup;
    private final boolean localLogin;

    public SsoSettings(@Value("${maestro.sso.issuer:}") String issuer,
                       @Value("${maestro.sso.client-id:}") String clientId,
                       @Value("${maestro.sso.client-secret:}") String clientSecret,
                       @Value("${maestro.sso.name:single sign-on}") String name,
                       @Value("${maestro.sso.username-claim:preferred_username}") String usernameClaim,
                       @Value("${maestro.sso.groups-claim:groups}") String groupsClaim,
                       @Value("${maestro.sso.team-group:maestro-(?<team>.+)-(?<role>admin|member)}") String teamGroup,
                       @Value("${maestro.sso.admin-group:}") String adminGroup,
                       @Value("${maestro.local-login:true}") boolean localLogin) {
        this.issuer = issuer == null ? "" : issuer.strip();
        this.clientId = clientId == null ? "" : clientId.strip();
        this.clientSecret = clientSecret == null ? "" : clientSecret;
        this.name = name;
        this.usernameClaim = usernameClaim;
        this.groupsClaim = groupsClaim;
        try {
            this.teamGroup = Pattern.compile(teamGroup);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("MAESTRO_SSO_TEAM_GROUP is not a regular expression: " + e.getMessage());
        }
        if (!teamGroup.contains("(?<team>")) {
            throw new IllegalArgumentException("MAESTRO_SSO_TEAM_GROUP must have a group named team, e.g. maestro-(?<team>.+)-(?<role>admin|member)");
        }
        this.adminGroup = adminGroup == null ? "" : adminGroup.strip();
        this.localLogin = localLogin;
        if (enabled() && this.clientId.isEmpty()) throw new IllegalArgumentException("MAESTRO_SSO_CLIENT_ID is required with MAESTRO_SSO_ISSUER");
        if (!enabled() && !localLogin) throw new IllegalArgumentException("MAESTRO_LOCAL_LOGIN=false needs single sign-on (MAESTRO_SSO_ISSUER)");
    }

    public boolean enabled() {
        return !issuer.isEmpty();
    }

    /** The provider's name on the login page: "Sign in with {name}". */
    public String name() {
        return name;
    }

    public boolean localLogin() {
        return localLogin;
    }

    String issuer() {
        return issuer;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    String usernameClaim() {
        return usernameClaim;
    }

    String groupsClaim() {
        return groupsClaim;
    }

    Pattern teamGroup() {
        return teamGroup;
    }

    String adminGroup() {
        return adminGroup;
    }
}
