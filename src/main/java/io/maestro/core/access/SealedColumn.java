package io.maestro.core.access;

/**
 * A text column outside the inventory kinds that holds one value sealed by the {@link SecretCodec}
 * (a webhook secret, a connection's credentials). A feature declares it as a bean so that a key
 * rotation re-seals it with the kinds' secrets; otherwise it would stop opening once the old key
 * is removed. Sealed for {@code (collection, id, column)}, {@code id} being the row's {@code id}.
 */
public record SealedColumn(String table, String column, String collection) {
}
