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
 * A remembered success skips the throttle's query (it proves the password is known; the lock
 * is against guessing), and a failure forgets that username's remembered successes, so a
 * username locked here is refused at once even with the right password.
 */
@Component
public class CachingPasswordAuthentication implements AuthenticationProvider {
    private static final long TTL_MILLIS = 60_000;
    private static final int MAX_ENTRIES = 10_000;

    private final DaoAuthenticationProvider delegate;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Object[] checking = java.util.stream.IntStream.range(0, 16).mapToObj(i -> new Object()).toArray();
    private final LoginThrottle throttle;

    private record Entry(String username, Authentication result, long expires) {
    }

    public CachingPasswordAuthentication(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
        this.throttle = throttle;
        this.delegate = new DaoAuthenticationProvider(users);
        this.delegate.setPasswordEncoder(encoder);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        String key = key(username, String.valueOf(authentication.getCredentials()));
        Entry hit = cache.get(key);
        if (hit != null && hit.expires > System.currentTimeMillis()) return hit.result;
        // a script's parallel requests all miss when the entry expires: one checks, the others wait for it
        synchronized (checking[Math.floorMod(key.hashCode(), checking.length)]) {
            long now = System.currentTimeMillis();
            hit = cache.get(key);
            if (hit != null && hit.expires > now) return hit.result;
            throttle.check(username);
            Authentication result;
            try {
                result = delegate.authenticate(authentication);
            } catch (BadCredentialsException e) {
                cache.values().removeIf(entry -> entry.username.equals(username));
                throttle.failed(username);
                throw e;
            }
            if (cache.size() > MAX_ENTRIES) cache.clear();
            cache.put(key, new Entry(username, result, now + TTL_MILLIS));
            return result;
        }
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
