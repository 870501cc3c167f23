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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * AES-256-GCM for write-only secrets (server login methods). The key comes from
 * {@code MAESTRO_SECRET_KEY} (at least {@value #MIN_KEY_CHARS} characters, else the start fails),
 * or is generated once into {@code <data dir>/secret.key} readable by its owner only.
 * Sealed values look like {@code v2:<key id>:<r|f>:<base64(iv|ciphertext)>}: the id of the key
 * that sealed it (so an old key is chosen without trying), and the binding, as AES-GCM associated
 * data: {@code r} kind, column and record id, {@code f} kind and column only (bulk rows, bound to
 * their record at the next start). The first format, {@code v1:<base64(iv|ciphertext)>}, without
 * either, still opens and is re-sealed as v2 at start ({@link io.maestro.core.record.SecretRotation}).
 * To rotate, the old key goes into {@code MAESTRO_SECRET_KEY_PREVIOUS}: values open with either
 * key, and every stored one, current and history, is re-sealed under the new key at start.
 */
@Component
public class SecretBox implements SecretCodec {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    static final int MIN_KEY_CHARS = 32;
    private static final String V1 = "v1:";
    private static final String V2 = "v2:";
    private final SecretKeySpec key;
    private final String keyId;
    private final SecretKeySpec previous;
    private final String previousId;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(@Value("${maestro.secret-key:}") String configured, @Value("${maestro.secret-key-previous:}") String previous,
                     @Value("${maestro.data-dir}") String dataDir) throws IOException {
        if (configured != null && !configured.isBlank() && configured.strip().length() < MIN_KEY_CHARS) {
            throw new IllegalStateException("MAESTRO_SECRET_KEY is too short (" + configured.strip().length() + " characters): use at least "
                    + MIN_KEY_CHARS + " random characters, e.g. the output of `openssl rand -base64 32`");
        }
        this.key = new SecretKeySpec(keyBytes(configured, Path.of(dataDir)), "AES");
        this.keyId = id(key);
        this.previous = previous == null || previous.isBlank() ? null : new SecretKeySpec(sha256(previous.strip()), "AES");
        this.previousId = this.previous == null ? null : id(this.previous);
    }

    /** A short public name of a key: the first 8 hex digits of a hash of it (not the key, not reversible). */
    private static String id(SecretKeySpec k) {
        byte[] h = sha256("maestro-secret-key-id:" + Base64.getEncoder().encodeToString(k.getEncoded()));
        return java.util.HexFormat.of().formatHex(h, 0, 4);
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
    public String seal(String plaintext, String collection, UUID recordId, String column) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            String scope = recordId == null ? "f" : "r";
            cipher.updateAAD(binding(scope, collection, recordId, column));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return V2 + keyId + ":" + scope + ":"
                    + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot encrypt a secret", e);
        }
    }

    @Override
    public String open(String sealed, String collection, UUID recordId, String column) {
        try {
            if (sealed.startsWith(V2)) {
                String[] parts = sealed.split(":", 4);
                if (parts.length != 4) throw new IllegalArgumentException("not a sealed value");
                SecretKeySpec with = parts[1].equals(keyId) ? key : parts[1].equals(previousId) ? previous : null;
                if (with == null) throw new GeneralSecurityException("sealed with key " + parts[1] + ", which is not configured");
                return decrypt(parts[3], with, binding(parts[2], collection, recordId, column));
            }
            if (!sealed.startsWith(V1)) throw new IllegalArgumentException("not a sealed value");
            try {
                return decrypt(sealed.substring(V1.length()), key, null);
            } catch (GeneralSecurityException e) {
                if (previous == null) throw e;
                return decrypt(sealed.substring(V1.length()), previous, null);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot decrypt a secret: wrong MAESTRO_SECRET_KEY, or not stored where it was sealed for", e);
        }
    }

    @Override
    public boolean rotating() {
        return previous != null;
    }

    @Override
    public String reseal(String sealed, String collection, UUID recordId, String column) {
        if (sealed.startsWith(V2 + keyId + ":r:") || (recordId == null && sealed.startsWith(V2 + keyId + ":f:"))) return null;
        return seal(open(sealed, collection, recordId, column), collection, recordId, column);
    }

    @Override
    public List<String> stalePatterns() {
        List<String> out = new ArrayList<>(List.of("%\"" + V1 + "%", "%:f:%"));
        if (previousId != null) out.add("%\"" + V2 + previousId + ":%");
        return out;
    }

    /** The associated data: where the value is stored. {@code r}: with the record id; {@code f}: kind and column only. */
    private static byte[] binding(String scope, String collection, UUID recordId, String column) {
        String where = switch (scope) {
            case "r" -> {
                if (recordId == null) throw new IllegalArgumentException("a record-bound secret opened without its record");
                yield collection + "/" + recordId + "/" + column;
            }
            case "f" -> collection + "/*/" + column;
            default -> throw new IllegalArgumentException("not a sealed value");
        };
        return ("maestro-secret:" + where).getBytes(StandardCharsets.UTF_8);
    }

    private static String decrypt(String base64, SecretKeySpec with, byte[] aad) throws GeneralSecurityException {
        byte[] raw = Base64.getDecoder().decode(base64);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(128, raw, 0, 12));
        if (aad != null) cipher.updateAAD(aad);
        return new String(cipher.doFinal(raw, 12, raw.length - 12), StandardCharsets.UTF_8);
    }
}
