package io.maestro.identity;

import io.maestro.core.cluster.ClusterVersion;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a signed-in OIDC user (ID token already verified by Spring Security: signature against
 * the provider's keys, issuer, audience, expiry, nonce) into a Maestro user. The user is found by
 * the provider's issuer and subject, and created at the first login under the username claim
 * (refused when a local account already has that name: an SSO login never takes over a local
 * account). At every login their teams become exactly those the groups claim names through
 * MAESTRO_SSO_TEAM_GROUP (group {@code maestro-payments-admin}: team payments, role admin; the
 * team is created when missing), and, when MAESTRO_SSO_ADMIN_GROUP is set, global admin follows
 * membership of that group.
 */
@Component
public class SsoUsers extends OidcUserService {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

    private final SsoSettings settings;
    private final SsoUserStore store;
    private final TransactionTemplate tx;
    private final ClusterVersion versions;
    private final CurrentCaller callers;

    public SsoUsers(SsoSettings settings, SsoUserStore store, PlatformTransactionManager transactions, ClusterVersion versions,
                    CurrentCaller callers) {
        this.settings = settings;
        this.store = store;
        this.tx = new TransactionTemplate(transactions);
        this.versions = versions;
        this.callers = callers;
    }

    /** The signed-in principal: named by the Maestro username, so every page and API call sees the local user. */
    static final class SsoUser extends DefaultOidcUser {
        private static final long serialVersionUID = 1L;
        private final String username;

        SsoUser(Collection<SimpleGrantedAuthority> authorities, OidcUser oidc, String username) {
            super(authorities, oidc.getIdToken(), oidc.getUserInfo());
            this.username = username;
        }

        @Override
        public String getName() {
            return username;
        }
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser oidc = super.loadUser(request);
        String issuer = String.valueOf(oidc.getIssuer());
        String subject = oidc.getSubject();
        if (subject == null || subject.isBlank()) throw refused("invalid_id_token", "The ID token names no subject");
        List<String> groups = groups(oidc.getClaims().get(settings.groupsClaim()));
        Map<String, String> teams = teams(groups);
        Boolean admin = settings.adminGroup().isEmpty() ? null : groups.contains(settings.adminGroup());
        String email = oidc.getEmail();
        record Result(String username, boolean admin) {
        }
        Result result = tx.execute(status -> {
            UUID id;
            String username;
            var linked = store.find(issuer, subject);
            if (linked.isPresent()) {
                if (linked.get().disabled()) throw refused("account_disabled", "The Maestro user " + linked.get().username() + " is disabled");
                id = linked.get().id();
                username = linked.get().username();
                store.update(id, email, admin);
            } else {
                username = oidc.getClaimAsString(settings.usernameClaim());
                if (username == null || !USERNAME.matcher(username).matches()) throw refused("invalid_username",
                        "The provider's " + settings.usernameClaim() + " claim is not a usable username");
                if (store.usernameTaken(username)) throw refused("username_taken", "A local user named " + username + " already exists");
                id = store.create(username, email, Boolean.TRUE.equals(admin), issuer, subject);
            }
            Map<UUID, String> roles = new LinkedHashMap<>();
            teams.forEach((team, role) -> roles.merge(store.team(team), role, (a, b) -> a.equals("admin") ? a : b));
            store.setMemberships(id, roles);
            versions.bump(CurrentCaller.IDENTITY); // other nodes re-read this user's teams
            return new Result(username, Boolean.TRUE.equals(admin) || store.globalAdmin(id));
        });
        callers.forgetAll();
        return new SsoUser(List.of(new SimpleGrantedAuthority(result.admin() ? "ROLE_ADMIN" : "ROLE_USER")), oidc, result.username());
    }

    private static List<String> groups(Object claim) {
        if (claim instanceof Collection<?> c) return c.stream().map(String::valueOf).map(g -> g.startsWith("/") ? g.substring(1) : g).toList();
        if (claim instanceof String s && !s.isBlank()) return List.of(s);
        return List.of();
    }

    /** Team name → role from the groups that match the pattern; admin wins when a team is named twice. */
    private Map<String, String> teams(List<String> groups) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String g : groups) {
            Matcher m = settings.teamGroup().matcher(g);
            if (!m.matches()) continue;
            String team = m.group("team").strip();
            if (team.isEmpty() || team.length() > 100 || team.chars().anyMatch(ch -> ch < 0x20)) continue;
            String role = settings.teamGroup().pattern().contains("(?<role>") && "admin".equalsIgnoreCase(m.group("role")) ? "admin" : "member";
            out.merge(team, role, (a, b) -> a.equals("admin") ? a : b);
        }
        return out;
    }

    private static OAuth2AuthenticationException refused(String code, String why) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, why, null), why);
    }
}
