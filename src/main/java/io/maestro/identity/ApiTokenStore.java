package io.maestro.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of API tokens ({@code api_token}, found by the SHA-256 of the token); {@link ApiTokens} checks and decides. */
@Repository
class ApiTokenStore {
    private final JdbcClient jdbc;

    ApiTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A token as presented: its state and the user it acts for. */
    record Presented(UUID id, String name, String scope, OffsetDateTime expires, OffsetDateTime revoked, OffsetDateTime lastUsed,
                     String username, boolean admin, boolean disabled) {
    }

    /** A live token as listed (never its hash). */
    record Token(UUID id, String name, String scope, OffsetDateTime expires, OffsetDateTime created, OffsetDateTime lastUsed) {
    }

    Optional<Presented> byHash(String hash) {
        return jdbc.sql("SELECT t.id, t.name, t.scope, t.expires_at, t.revoked_at, t.last_used_at, u.username, u.global_admin, u.disabled "
                        + "FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.token_hash = :h")
                .param("h", hash)
                .query((rs, i) -> new Presented(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("scope"),
                        rs.getObject("expires_at", OffsetDateTime.class), rs.getObject("revoked_at", OffsetDateTime.class),
                        rs.getObject("last_used_at", OffsetDateTime.class), rs.getString("username"), rs.getBoolean("global_admin"),
                        rs.getBoolean("disabled")))
                .optional();
    }

    void used(UUID id, OffsetDateTime now) {
        jdbc.sql("UPDATE api_token SET last_used_at = :now WHERE id = :id").param("now", now).param("id", id).update();
    }

    long countActive(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM api_token WHERE user_id = :u AND revoked_at IS NULL").param("u", userId).query(Long.class).single();
    }

    void insert(UUID id, UUID userId, String name, String hash, String scope, OffsetDateTime expires, OffsetDateTime now) {
        jdbc.sql("INSERT INTO api_token (id, user_id, name, token_hash, scope, expires_at, created_at) "
                        + "VALUES (:id, :u, :name, :hash, :scope, :expires, :now)")
                .param("id", id).param("u", userId).param("name", name).param("hash", hash).param("scope", scope)
                .param("expires", expires).param("now", now).update();
    }

    /** The user's live tokens, oldest first. */
    List<Token> live(UUID userId) {
        return jdbc.sql(SELECT + " WHERE user_id = :u AND revoked_at IS NULL ORDER BY created_at, id").param("u", userId)
                .query((rs, i) -> token(rs)).list();
    }

    Optional<Token> live(UUID userId, UUID id) {
        return jdbc.sql(SELECT + " WHERE user_id = :u AND id = :id AND revoked_at IS NULL").param("u", userId).param("id", id)
                .query((rs, i) -> token(rs)).optional();
    }

    /** Revokes a live token of {@code userId} (any user's when {@code anyUser}); false when there is none. */
    boolean revoke(UUID userId, UUID id, boolean anyUser, OffsetDateTime now) {
        return jdbc.sql("UPDATE api_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL" + (anyUser ? "" : " AND user_id = :u"))
                .param("now", now).param("id", id).param("u", userId).update() == 1;
    }

    private static final String SELECT = "SELECT id, name, scope, expires_at, created_at, last_used_at FROM api_token";

    private static Token token(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Token(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("scope"), rs.getObject("expires_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("last_used_at", OffsetDateTime.class));
    }
}
