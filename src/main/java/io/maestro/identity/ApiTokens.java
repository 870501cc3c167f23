package io.maestro.identity;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.record.Renderer;
import org.springframework.stereotype.Service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Personal API tokens: {@code mae_} + 32 random bytes (base64url), shown once at creation and
 * stored only as their SHA-256 (a token has 256 bits of entropy, so a fast hash is enough and
 * lets every request find its token with one indexed lookup). Scope read or write; optional expiry.
 */
@Service
public class ApiTokens {
    static final String PREFIX = "mae_";
    /** The shape of every token this class issues; anything else is refused before any lookup. */
    static final Pattern SHAPE = Pattern.compile("mae_[A-Za-z0-9_-]{43}");
    private static final Set<String> KEYS = Set.of("name", "expires_at", "scope");
    private static final int MAX_ACTIVE = 100;

    private final ApiTokenStore rows;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(ApiTokenStore rows) {
        this.rows = rows;
    }

    /** The user a valid token acts for, with its scope. */
    public record Holder(UUID tokenId, String tokenName, String username, boolean globalAdmin, boolean readOnly) {
    }

    /** Why a presented token was refused (answered as 401). */
    public static class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Looked up on every request, never remembered: a token revoked on one node must be refused by
     * the very next request on every node (ClusterTest), which a cache could only do by asking the
     * database each time anyway.
     */
    public Holder authenticate(String token) throws Refused {
        if (token == null || !SHAPE.matcher(token).matches()) throw new Refused("The bearer token is malformed");
        ApiTokenStore.Presented row = rows.byHash(hash(token)).orElseThrow(() -> new Refused("Unknown token"));
        OffsetDateTime now = now();
        if (row.revoked() != null) throw new Refused("This token was revoked");
        if (row.disabled()) throw new Refused("The user of this token is disabled");
        if (row.expires() != null && !row.expires().isAfter(now)) throw new Refused("This token has expired");
        // last use is worth knowing, not worth a write on every request
        if (row.lastUsed() == null || row.lastUsed().isBefore(now.minus(Duration.ofMinutes(1)))) {
            rows.used(row.id(), now);
        }
        return new Holder(row.id(), row.name(), row.username(), row.admin(), "read".equals(row.scope()));
    }

    /** Creates a token for {@code userId}; the returned map is the only place its secret ever appears. */
    public Map<String, Object> create(UUID userId, Object body) {
        if (!(body instanceof Map<?, ?> in)) throw ProblemException.badField("body", "must be a JSON object {name, expires_at, scope}");
        List<FieldError> errors = new ArrayList<>();
        in.keySet().stream().map(String::valueOf).filter(k -> !KEYS.contains(k)).forEach(k -> errors.add(new FieldError(k, "unknown field")));
        String name = in.get("name") instanceof String s ? s.strip() : null;
        if (in.get("name") != null && !(in.get("name") instanceof String)) errors.add(new FieldError("name", "must be a string"));
        else if (name == null || name.isEmpty()) errors.add(new FieldError("name", "is required"));
        else if (name.length() > 100 || name.chars().anyMatch(c -> c < 0x20)) {
            errors.add(new FieldError("name", "must be at most 100 characters, without control characters"));
        }
        String scope = "read";
        Object s = in.get("scope");
        if (s != null) {
            if (!(s instanceof String sc) || !(sc.equals("read") || sc.equals("write"))) errors.add(new FieldError("scope", "must be read or write"));
            else scope = sc;
        }
        OffsetDateTime expires = null;
        Object e = in.get("expires_at");
        if (e != null) {
            expires = parseTime(e);
            if (expires == null) errors.add(new FieldError("expires_at", "must be an ISO-8601 date-time (2027-01-31T00:00:00Z) or date"));
            else if (!expires.isAfter(now())) errors.add(new FieldError("expires_at", "must be in the future"));
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("The token request is invalid", errors);
        long active = rows.countActive(userId);
        if (active >= MAX_ACTIVE) throw ProblemException.conflict("You have " + active + " tokens; revoke some first");

        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        OffsetDateTime now = now();
        rows.insert(id, userId, name, hash(token), scope, expires, now);
        Map<String, Object> out = find(userId, id).orElseThrow();
        out.put("token", token);
        return out;
    }

    public List<Map<String, Object>> list(UUID userId) {
        return rows.live(userId).stream().map(ApiTokens::doc).toList();
    }

    public Optional<Map<String, Object>> find(UUID userId, UUID id) {
        return rows.live(userId, id).map(ApiTokens::doc);
    }

    /** Revokes a token of {@code userId} (any user's when {@code anyUser}); false when there is no such live token. */
    public boolean revoke(UUID userId, UUID id, boolean anyUser) {
        return rows.revoke(userId, id, anyUser, now());
    }

    private static Map<String, Object> doc(ApiTokenStore.Token t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id().toString());
        m.put("name", t.name());
        m.put("scope", t.scope());
        m.put("expires_at", Renderer.time(t.expires()));
        m.put("expired", t.expires() != null && !t.expires().isAfter(now()));
        m.put("created_at", Renderer.time(t.created()));
        m.put("last_used_at", Renderer.time(t.lastUsed()));
        return m;
    }

    static OffsetDateTime parseTime(Object v) {
        if (!(v instanceof String s)) return null;
        try {
            return OffsetDateTime.parse(s.strip()).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s.strip()).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
