package io.maestro.core.access;

import java.util.List;
import java.util.UUID;

/**
 * Encrypts write-only secrets before they are stored (implemented by identity). Each sealed value
 * is bound to where it is stored: the kind, the column ({@code auth}) and, when known at sealing,
 * the record id; it opens only there, so a ciphertext copied to another record or field is useless.
 */
public interface SecretCodec {
    /** {@code recordId} null: bound to kind and column only (bulk rows, whose ids come later); the start-up pass binds them to their record. */
    String seal(String plaintext, String collection, UUID recordId, String column);

    String open(String sealed, String collection, UUID recordId, String column);

    /** Whether an old key is configured besides the current one (a key rotation is under way). */
    default boolean rotating() {
        return false;
    }

    /**
     * {@code sealed} encrypted again under the current key and bound to its record, when it is
     * not already (an old key, the first format without binding, or bound to the column only); else null.
     */
    default String reseal(String sealed, String collection, UUID recordId, String column) {
        return null;
    }

    /** Text found in a stored column that holds a value {@link #reseal} would change (SQL LIKE patterns). */
    default List<String> stalePatterns() {
        return List.of();
    }
}
