package io.maestro.identity;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic sends the password with every request, and bcrypt is slow on purpose (~0.1-0.3 s).
 * A successful check is remembered for a minute, keyed by a SHA-256 of the credentials, so
 * scripts are not throttled by hashing; failed checks are never cached, and any password
 * change clears the cache. It is the one provider of both HTTP Basic and the login form, so the
 * {@link LoginThrottle} guards both: a locked username is refused before any password check.
 */
@Component
public class CachingPasswordAuthentication implements AuthenticationProvider {
    private static final long TTL_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 10_000;

    private final DaoAuthenticationProvider delegate;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;

    private record Entry(Authentication result, long expires) {
    }

    public CachingPasswordAuthentication(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
        this.throttle = throttle;
        this.delegate = new DaoAuthenticationProvider(users);
        this.delegate.setPasswordEncoder(encoder);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        throttle.check(authentication.getName());
        String key = key(authentication.getName(), String.valueOf(authentication.getCredentials()));
        Entry hit = cache.get(key);
        long now = System.currentTimeMillis();
        if (hit != null && hit.expires > now) return hit.result;
        Authentication result;
        try {
            result = delegate.authenticate(authentication);
        } catch (BadCredentialsException e) {
            throttle.failed(authentication.getName());
            throw e;
        }
        if (cache.size() > MAX_ENTRIES) cache.clear();
        cache.put(key, new Entry(result, now + TTL_MILLIS));
        return result;
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
