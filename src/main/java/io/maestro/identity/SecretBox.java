package io.maestro.identity;

import io.maestro.core.access.SecretCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * AES-256-GCM for write-only secrets (server login methods). The key comes from
 * {@code MAESTRO_SECRET_KEY}, or is generated once into {@code <data dir>/secret.key} readable by
 * its owner only. Sealed values look like {@code v1:<base64(iv|ciphertext)>}. To rotate, the old
 * key goes into {@code MAESTRO_SECRET_KEY_PREVIOUS}: values open with either key, and
 * {@link io.maestro.core.record.SecretRotation} re-seals every stored one under the new key at start.
 */
@Component
public class SecretBox implements SecretCodec {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String PREFIX = "v1:";
    private final SecretKeySpec key;
    private final SecretKeySpec previous;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(@Value("${maestro.secret-key:}") String configured, @Value("${maestro.secret-key-previous:}") String previous,
                     @Value("${maestro.data-dir}") String dataDir) throws IOException {
        this.key = new SecretKeySpec(keyBytes(configured, Path.of(dataDir)), "AES");
        this.previous = previous == null || previous.isBlank() ? null : new SecretKeySpec(sha256(previous.strip()), "AES");
    }

    private byte[] keyBytes(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) return sha256(configured.strip());
        Path file = dataDir.resolve("secret.key");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            Path tmp = Files.createTempFile(dataDir, "secret", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.warn("Cannot restrict permissions of {} on this file system", file);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh));
            try {
                Files.move(tmp, file);
                log.info("Generated the secret key {} - back it up with the database (see README)", file.toAbsolutePath());
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
            }
        }
        return sha256(Files.readString(file).strip());
    }

    private static byte[] sha256(String material) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String seal(String plaintext) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a secret", e);
        }
    }

    @Override
    public String open(String sealed) {
        try {
            return open(sealed, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            if (previous != null) {
                try {
                    return open(sealed, previous);
                } catch (GeneralSecurityException | IllegalArgumentException ignored) {
                    // neither key: fall through
                }
            }
            throw new IllegalStateException("Cannot decrypt a secret: wrong MAESTRO_SECRET_KEY?", e);
        }
    }

    @Override
    public boolean rotating() {
        return previous != null;
    }

    @Override
    public String reseal(String sealed) {
        try {
            open(sealed, key);
            return null; // already under the current key
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return seal(open(sealed));
        }
    }

    private static String open(String sealed, SecretKeySpec with) throws GeneralSecurityException {
        if (!sealed.startsWith(PREFIX)) throw new IllegalArgumentException("not a sealed value");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(128, raw, 0, 12));
        return new String(cipher.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8);
    }
}
