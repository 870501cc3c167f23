package io.maestro.core.access;

/** Encrypts write-only secrets before they are stored (implemented by identity). */
public interface SecretCodec {
    String seal(String plaintext);

    String open(String sealed);

    /** Whether an old key is configured besides the current one (a key rotation is under way). */
    default boolean rotating() {
        return false;
    }

    /** {@code sealed} encrypted under the current key if it was sealed under the old one, else null. */
    default String reseal(String sealed) {
        return null;
    }
}
