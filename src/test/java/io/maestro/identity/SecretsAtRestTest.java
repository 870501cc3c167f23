package io.maestro.identity;

import io.maestro.core.Dialect;
import io.maestro.core.access.SecretCodec;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.record.SecretRotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Server login secrets are encrypted at rest, never returned, never logged, and survive a key rotation. */
@ExtendWith(OutputCaptureExtension.class)
class SecretsAtRestTest extends IdentityTest {
    @Autowired
    SecretCodec codec;
    @Autowired
    Kinds kinds;
    @Autowired
    RecordStore store;
    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    io.maestro.core.record.SealedSecretStore sealedSecrets;
    @Autowired
    Dialect dialect;
    @Autowired
    List<io.maestro.core.access.SealedColumn> sealedColumns;
    @Value("${maestro.data-dir}")
    String dataDir;

    @Test
    void theDatabaseHoldsNoPlainSecret(CapturedOutput output) throws Exception {
        String first = "PlainSecret-" + UUID.randomUUID();
        String second = "PlainSecret-" + UUID.randomUUID();
        Response created = admin().post("/servers", Map.of("hostname", "db01",
                "auth", List.of(Map.of("name", "root", "type", "Password", "username", "root", "secret", first))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.id();
        Response replaced = admin().put("/servers/" + id, Map.of("hostname", "db01", "auth", List.of(
                Map.of("name", "root", "username", "root"), // kept: sent back without its secret
                Map.of("name", "deploy", "username", "deploy", "secret", second))));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        Response invalid = admin().post("/servers", Map.of("hostname", "db02", "auth", List.of(Map.of("secret", second, "x", first))));
        assertThat(invalid.status()).isEqualTo(400);

        // never returned
        List<Response> reads = List.of(created, replaced, invalid, admin().get("/servers/" + id), admin().get("/servers"),
                admin().get("/servers?q=db01"), admin().patch("/servers/" + id, Map.of("cpu", 2)));
        for (Response r : reads) assertThat(r.text()).doesNotContain(first).doesNotContain(second);
        @SuppressWarnings("unchecked") List<Map<String, Object>> auth = (List<Map<String, Object>>) admin().get("/servers/" + id).body().get("auth");
        assertThat(auth).extracting(a -> a.get("name")).containsExactly("root", "deploy");
        assertThat(auth).extracting(a -> a.get("has_secret")).containsExactly(true, true);
        assertThat(auth).allSatisfy(a -> assertThat(a).doesNotContainKey("secret"));

        // no column of any table, and (on H2) no line of a full dump, contains either one
        List<String> forms = List.of(first, second, b64(first), b64(second));
        List<String> hits = scanAllTables(forms);
        assertThat(hits).as("plain secrets found in the database").isEmpty();
        if (database().equals("h2")) {
            List<String> script = jdbc.queryForList("SCRIPT", String.class);
            assertThat(script).as("dump").isNotEmpty().noneMatch(line -> forms.stream().anyMatch(line::contains));
            assertThat(String.join("\n", script)).contains("v2:");
        }
        // stored encrypted: not the plain text, yet it opens to it
        String stored = jdbc.queryForObject("SELECT " + dialect.jsonText("auth") + " FROM server WHERE id = ?", String.class, UUID.fromString(id));
        assertThat(stored).doesNotContain(first).doesNotContain(second);
        assertThat(sealedSecrets(stored)).allSatisfy(s -> assertThat(s).startsWith("v2:").contains(":r:"));
        assertThat(sealedSecrets(stored)).extracting(s -> codec.open(s, "servers", UUID.fromString(id), "auth")).containsExactly(first, second);
        // bound to its record: the same ciphertext does not open as another record's
        assertThatThrownBy(() -> codec.open(sealedSecrets(stored).get(0), "servers", UUID.randomUUID(), "auth"))
                .isInstanceOf(IllegalStateException.class);

        assertThat(output.getAll()).doesNotContain(first).doesNotContain(second);
    }

    @Test
    void theGeneratedKeyFileIsReadableByItsOwnerOnly() throws Exception {
        Path key = Path.of(dataDir, "secret.key");
        assertThat(key).exists();
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(Base64.getDecoder().decode(Files.readString(key).strip())).hasSize(32);
    }

    @Test
    void aRotationReencryptsEveryStoredSecretUnderTheNewKey() throws Exception {
        String plain = "Rotate-me-" + UUID.randomUUID();
        String id = admin().post("/servers", Map.of("hostname", "db01",
                "auth", List.of(Map.of("name", "root", "secret", plain)))).id();
        UUID uuid = UUID.fromString(id);
        String currentKey = Files.readString(Path.of(dataDir, "secret.key")).strip();
        Path tmp = Files.createTempDirectory("keys");
        SecretBox rotating = new SecretBox(NEW_KEY, currentKey, tmp.toString());
        SecretBox newOnly = new SecretBox(NEW_KEY, "", tmp.toString());
        String before = sealedSecrets(authOf(id)).get(0);
        assertThat(rotating.open(before, "servers", uuid, "auth")).isEqualTo(plain);
        String hook = admin().post("/webhooks", Map.of("name", "rotated", "url", "https://hooks.example.com/x", "secret", plain)).id();
        String hookBefore = jdbc.queryForObject("SELECT secret FROM webhook WHERE id = ?", String.class, UUID.fromString(hook));
        assertThatThrownBy(() -> newOnly.open(before, "servers", uuid, "auth")).isInstanceOf(IllegalStateException.class);

        new SecretRotation(kinds, store, rotating, sealedSecrets, sealedColumns).run(null);

        String after = sealedSecrets(authOf(id)).get(0);
        assertThat(after).isNotEqualTo(before).startsWith("v2:");
        assertThat(newOnly.open(after, "servers", uuid, "auth")).isEqualTo(plain);
        assertThatThrownBy(() -> codec.open(after, "servers", uuid, "auth")).isInstanceOf(IllegalStateException.class);
        assertThat(rotating.reseal(after, "servers", uuid, "auth")).as("already under the new key").isNull();
        assertThat(admin().get("/servers/" + id).body()).containsEntry("version", 1); // not a change of the record
        // a feature's own sealed column (the webhook secret) is rotated too, and now bound to its row
        String hookAfter = jdbc.queryForObject("SELECT secret FROM webhook WHERE id = ?", String.class, UUID.fromString(hook));
        assertThat(hookAfter).isNotEqualTo(hookBefore);
        assertThat(newOnly.open(hookAfter, "webhooks", UUID.fromString(hook), "secret")).isEqualTo(plain);
        assertThatThrownBy(() -> newOnly.open(hookAfter, "webhooks", UUID.randomUUID(), "secret")).isInstanceOf(IllegalStateException.class);
        jdbc.update("DELETE FROM webhook");
    }

    /**
     * The history is re-sealed too: an old version restored after the rotation, once the old key
     * is gone, brings back a secret the new key opens (it used to bring back one nobody could open).
     */
    @Test
    void anOldVersionRestoredAfterARotationAndTheOldKeysRemovalHasAReadableSecret() throws Exception {
        String old = "Old-secret-" + UUID.randomUUID();
        String id = admin().post("/servers", Map.of("hostname", "db01", "auth", List.of(Map.of("name", "root", "secret", old)))).id();
        UUID uuid = UUID.fromString(id);
        String then = (String) admin().get("/servers/" + id).body().get("updated_at");
        // the change is stamped after "then", so "then" names the first version only
        clock.passing(java.time.OffsetDateTime.parse(then));
        Response changed = admin().put("/servers/" + id, Map.of("hostname", "db01", "auth", List.of(Map.of("name", "root", "secret", "New-secret"))));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        String currentKey = Files.readString(Path.of(dataDir, "secret.key")).strip();
        Path tmp = Files.createTempDirectory("keys");
        new SecretRotation(kinds, store, new SecretBox(NEW_KEY, currentKey, tmp.toString()), sealedSecrets, sealedColumns).run(null);
        SecretBox newOnly = new SecretBox(NEW_KEY, "", tmp.toString());
        List<String> history = jdbc.queryForList("SELECT " + dialect.jsonText("auth") + " FROM server_version WHERE id = ? ORDER BY version",
                String.class, uuid);
        assertThat(history).hasSize(2).allSatisfy(text -> assertThat(newOnly.open(sealedSecrets(text).get(0), "servers", uuid, "auth")).isNotBlank());

        Response restored = admin().post("/servers/" + id + "/restore?as_of=" + java.net.URLEncoder.encode(then, StandardCharsets.UTF_8), null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(newOnly.open(sealedSecrets(authOf(id)).get(0), "servers", uuid, "auth")).isEqualTo(old);
    }

    @Test
    void aSecretKeyTooShortStopsTheStartWithAClearMessage() throws Exception {
        Path tmp = Files.createTempDirectory("keys");
        assertThatThrownBy(() -> new SecretBox("password123", "", tmp.toString()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MAESTRO_SECRET_KEY is too short").hasMessageContaining("32");
    }

    /** Values of the first format (no key id, no binding) still open, and the start-up pass re-seals them bound to their record. */
    @Test
    void firstFormatSecretsAreResealedBoundToTheirRecord() throws Exception {
        String id = admin().post("/servers", Map.of("hostname", "db01", "auth", List.of(Map.of("name", "root", "secret", "x")))).id();
        UUID uuid = UUID.fromString(id);
        Path tmp = Files.createTempDirectory("keys");
        String legacyKey = NEW_KEY;
        String v1 = legacySeal(legacyKey, "From-version-one");
        named.update("UPDATE server SET auth = " + dialect.jsonParam("auth") + " WHERE id = :id",
                Map.of("auth", io.maestro.core.Json.write(List.of(Map.of("name", "root", "secret", v1))), "id", uuid));
        SecretBox box = new SecretBox(legacyKey, "", tmp.toString());
        assertThat(box.open(v1, "servers", uuid, "auth")).isEqualTo("From-version-one");
        new SecretRotation(kinds, store, box, sealedSecrets, sealedColumns).run(null);
        String now = sealedSecrets(authOf(id)).get(0);
        assertThat(now).startsWith("v2:").contains(":r:");
        assertThat(box.open(now, "servers", uuid, "auth")).isEqualTo("From-version-one");
    }

    private static final String NEW_KEY = "the-new-key-of-at-least-some-length";

    /** A value as the first format sealed it: AES-GCM under SHA-256 of the key text, no associated data. */
    private static String legacySeal(String keyText, String plain) throws Exception {
        byte[] key = java.security.MessageDigest.getInstance("SHA-256").digest(keyText.getBytes(StandardCharsets.UTF_8));
        byte[] iv = new byte[12];
        new java.security.SecureRandom().nextBytes(iv);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv));
        byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return "v1:" + Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    }

    private String authOf(String id) {
        return jdbc.queryForObject("SELECT " + dialect.jsonText("auth") + " FROM server WHERE id = ?", String.class, UUID.fromString(id));
    }

    private static List<String> sealedSecrets(String json) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) io.maestro.core.Json.parse(json)) {
            Object s = ((Map<?, ?>) o).get("secret");
            if (s != null) out.add((String) s);
        }
        return out;
    }

    /** Every value of every column of every table of the schema, as text, that contains one of {@code needles}. */
    private List<String> scanAllTables(List<String> needles) throws Exception {
        List<String> hits = new ArrayList<>();
        try (Connection c = jdbc.getDataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema != null && schema.equalsIgnoreCase("public")) tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("server", "app_user", "api_token", "record_access", "login_failure");
            for (String table : tables) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            String v = rs.getString(i);
                            if (v != null && needles.stream().anyMatch(v::contains)) hits.add(table + "." + rs.getMetaData().getColumnName(i));
                        }
                    }
                }
            }
        }
        return hits;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
