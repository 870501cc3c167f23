package io.maestro.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.maestro.core.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small OpenID Connect provider on loopback for the tests of ID tokens that must be refused,
 * which a real provider never issues: it serves a discovery document and its JWKS (one RSA key),
 * answers the authorization endpoint at once with a code (no login page: the user is
 * {@link #subject}), checks the token request as a provider must (client secret, code, the
 * redirect URI of the authorization, the PKCE verifier) and answers with an ID token made as
 * {@link #next} says. Everything else is real: Maestro reads the discovery document and the JWKS
 * over HTTP and verifies the token with its own code.
 */
public final class LocalIssuer implements AutoCloseable {
    public static final String CLIENT_ID = "maestro-local";
    public static final String CLIENT_SECRET = "local-issuer-client-secret";

    /** How the next ID token is made. */
    public enum IdToken {
        /** as a provider issues it: signed with the advertised key, current, for this sign-in */
        VALID,
        /** names the advertised key but is signed with another one */
        SIGNED_BY_ANOTHER_KEY,
        /** expired ten minutes ago (beyond any allowed clock skew) */
        EXPIRED,
        /** signed by the advertised key, then a claim changed (the groups: a global admin's) */
        TAMPERED,
        /** from another provider (its "iss" is not the configured issuer) */
        OTHER_ISSUER,
        /** issued to another sign-in (its nonce is not this browser's): a token replayed */
        OTHER_NONCE
    }

    private final HttpServer server;
    private final RSAKey key;
    private final RSAKey otherKey;
    private final Map<String, Authorization> codes = new ConcurrentHashMap<>();
    /** what the next token request is answered with */
    public volatile IdToken next = IdToken.VALID;
    public volatile String subject = "local-subject-1";
    public volatile String username = "lena";
    public volatile List<String> groups = List.of("maestro-localteam-admin");

    private record Authorization(String redirectUri, String nonce, String codeChallenge) {
    }

    private LocalIssuer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("signing-key").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("signing-key").generate(); // same key id, other key material
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/.well-known/openid-configuration", ex -> json(ex, 200, discovery()));
        server.createContext("/jwks", ex -> json(ex, 200, new JWKSet(key.toPublicJWK()).toJSONObject()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    public static LocalIssuer start() {
        try {
            return new LocalIssuer();
        } catch (Exception e) {
            throw new IllegalStateException("the local OIDC issuer did not start: " + e, e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Map<String, Object> discovery() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer());
        d.put("authorization_endpoint", issuer() + "/authorize");
        d.put("token_endpoint", issuer() + "/token");
        d.put("jwks_uri", issuer() + "/jwks");
        d.put("response_types_supported", List.of("code"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("code_challenge_methods_supported", List.of("S256"));
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        return d; // no userinfo endpoint: the ID token is all Maestro reads
    }

    /** Signs the user in at once: back to the redirect URI with a code and the state. */
    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method")) || q.get("redirect_uri") == null) {
            json(ex, 400, Map.of("error", "invalid_request"));
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Authorization(q.get("redirect_uri"), q.get("nonce"), q.get("code_challenge")));
        String to = q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Location", to);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            json(ex, 401, Map.of("error", "invalid_client"));
            return;
        }
        Authorization a = f.get("code") == null ? null : codes.remove(f.get("code")); // a code is used once
        if (a == null || !"authorization_code".equals(f.get("grant_type")) || !a.redirectUri().equals(f.get("redirect_uri"))
                || f.get("code_verifier") == null || !a.codeChallenge().equals(s256(f.get("code_verifier")))) {
            json(ex, 400, Map.of("error", "invalid_grant"));
            return;
        }
        try {
            json(ex, 200, Map.of("access_token", UUID.randomUUID().toString(), "token_type", "Bearer", "expires_in", 300,
                    "scope", "openid profile email", "id_token", idToken(next, a.nonce())));
        } catch (Exception e) {
            json(ex, 500, Map.of("error", "server_error", "error_description", String.valueOf(e)));
        }
    }

    private String idToken(IdToken how, String nonce) throws Exception {
        Instant now = Instant.now();
        Instant issued = how == IdToken.EXPIRED ? now.minus(Duration.ofMinutes(20)) : now;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(how == IdToken.OTHER_ISSUER ? "http://127.0.0.1:1/another-provider" : issuer())
                .subject(subject).audience(CLIENT_ID).claim("azp", CLIENT_ID)
                .issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(Duration.ofMinutes(10))))
                .claim("nonce", how == IdToken.OTHER_NONCE ? "the-nonce-of-another-sign-in" : nonce)
                .claim("preferred_username", username).claim("email", username + "@example.com").claim("groups", groups);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new RSASSASigner(how == IdToken.SIGNED_BY_ANOTHER_KEY ? otherKey : key));
        String token = jwt.serialize();
        if (how != IdToken.TAMPERED) return token;
        String[] parts = token.split("\\.");
        Map<String, Object> payload = new LinkedHashMap<>(jwt.getJWTClaimsSet().toJSONObject());
        payload.put("groups", List.of("maestro-admins"));
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void json(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** The authorization URL's query parameters (the test reads redirect_uri from Maestro's redirect). */
    public static Map<String, String> query(String url) {
        return form(URI.create(url).getRawQuery());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
