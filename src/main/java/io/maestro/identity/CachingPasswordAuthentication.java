package io.maestro.identity;

import io.maestro.core.cluster.ClusterVersion;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic sends the password with every request, and bcrypt is slow on purpose (~0.1-0.3 s).
 * A successful check is remembered for a minute, keyed by a SHA-256 of the credentials, and only
 * while the cluster's identity counter is unchanged (a password change, a deleted user or any
 * membership change on any node ends it within {@link ClusterVersion}'s recheck time); failed
 * checks are never remembered. It is the one provider of both HTTP Basic and the login form, so
 * the {@link LoginThrottle} guards both: each real check first takes a place in the throttle's
 * count (refused when the client has used up its attempts), and gives it back when the password
 * was right. A remembered success skips the throttle (it proves the password is known; the
 * throttle is against guessing), and a failure forgets that username's remembered successes here.
 * <p>
 * Parallel requests with the same credentials (a script's burst when the entry expires) share one
 * check; nothing else is shared, so a flood of guesses never holds up another user's login.
 */
@Component
public class CachingPasswordAuthentication implements AuthenticationProvider {
    private static final long TTL_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 10_000;

    private final DaoAuthenticationProvider delegate;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Authentication>> checking = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;
    private final ClusterVersion versions;
    private final boolean localLogin;

    private record Entry(String username, Authentication result, long expires, long version) {
    }

    public CachingPasswordAuthentication(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle, ClusterVersion versions,
                                         SsoSettings sso) {
        this.localLogin = sso.localLogin();
        this.throttle = throttle;
        this.versions = versions;
        this.delegate = new DaoAuthenticationProvider(users);
        this.delegate.setPasswordEncoder(encoder);
        // a disabled account is told only to whoever knows its password: checked after it, not before
        this.delegate.setPreAuthenticationChecks(user -> { });
        this.delegate.setPostAuthenticationChecks(user -> {
            if (!user.isEnabled()) throw new AccountDisabled();
        });
    }

    /** The right password of a user a global admin disabled. */
    public static final class AccountDisabled extends org.springframework.security.authentication.DisabledException {
        AccountDisabled() {
            super("This account is disabled; ask a global admin to enable it");
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        // MAESTRO_LOCAL_LOGIN=false: passwords (form and HTTP Basic) are refused; SSO and API tokens remain
        if (!localLogin) throw new org.springframework.security.authentication.DisabledException("Local sign-in is switched off; use single sign-on or an API token");
        String username = authentication.getName();
        String key = key(username, String.valueOf(authentication.getCredentials()));
        long version = versions.current(CurrentCaller.IDENTITY);
        Entry hit = cache.get(key);
        if (hit != null && hit.expires > System.currentTimeMillis() && hit.version == version) return hit.result;
        CompletableFuture<Authentication> mine = new CompletableFuture<>();
        CompletableFuture<Authentication> running = checking.putIfAbsent(key, mine);
        if (running != null) return await(running);
        try {
            Authentication result = check(authentication, username, address(authentication));
            if (cache.size() > MAX_ENTRIES) cache.clear();
            cache.put(key, new Entry(username, result, System.currentTimeMillis() + TTL_MILLIS, version));
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            checking.remove(key, mine);
        }
    }

    private Authentication check(Authentication authentication, String username, String address) {
        long attempt = throttle.begin(username, address);
        boolean failed = false;
        try {
            return delegate.authenticate(authentication);
        } catch (BadCredentialsException e) {
            failed = true; // the attempt stays counted
            cache.values().removeIf(entry -> entry.username.equals(username));
            throw e;
        } finally {
            if (!failed) throttle.succeeded(attempt);
        }
    }

    private static Authentication await(CompletableFuture<Authentication> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** The client's address as the servlet container saw it (behind a proxy: see server.forward-headers-strategy). */
    private static String address(Authentication authentication) {
        if (authentication.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null) {
            return web.getRemoteAddress();
        }
        return LoginThrottle.requestAddress();
    }

    public void forgetAll() {
        cache.clear();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String key(String user, String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((user + "\u0000" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
