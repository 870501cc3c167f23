package io.maestro.core.access;

/** Encrypts write-only secrets before they are stored (implemented by identity). */
public interface SecretCodec {
    String seal(String plaintext);

    String open(String sealed);
}
