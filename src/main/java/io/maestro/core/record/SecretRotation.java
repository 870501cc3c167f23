package io.maestro.core.record;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.access.SecretCodec;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * At start: when an old secret key is configured, re-encrypts every stored secret under the
 * current key (so the old key can then be dropped); otherwise checks that a few stored secrets
 * open, and says so loudly if the key is wrong, rather than failing on the first read.
 */
@Component
@Order(10)
public class SecretRotation implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);
    private static final int SAMPLE = 20;

    private final Kinds kinds;
    private final RecordStore store;
    private final SecretCodec codec;
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;

    public SecretRotation(Kinds kinds, RecordStore store, SecretCodec codec, NamedParameterJdbcTemplate jdbc, Dialect dialect) {
        this.kinds = kinds;
        this.store = store;
        this.codec = codec;
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Override
    public void run(ApplicationArguments args) {
        int resealed = 0;
        for (Kind kind : kinds.all()) {
            for (RecordStore.Column c : store.columns(kind)) {
                Field secret = secretChild(c.field());
                if (secret == null) continue;
                if (codec.rotating()) resealed += reseal(kind, c, secret.name);
                else check(kind, c, secret.name);
            }
        }
        if (codec.rotating()) {
            log.warn("Re-encrypted {} stored secrets under the current MAESTRO_SECRET_KEY; once every node runs with it, "
                    + "remove MAESTRO_SECRET_KEY_PREVIOUS", resealed);
        }
    }

    /** The secret field of a list of objects ({@code auth[].secret}), or null. */
    private static Field secretChild(Field f) {
        if (f.type != Type.LIST || f.item() == null || f.item().type != Type.OBJECT) return null;
        return f.item().children().values().stream().filter(x -> x.type == Type.SECRET).findFirst().orElse(null);
    }

    private int reseal(Kind kind, RecordStore.Column c, String key) {
        int[] n = {0};
        jdbc.query("SELECT id, " + dialect.jsonText(c.name()) + " AS v FROM " + kind.table() + " WHERE " + c.name() + " IS NOT NULL",
                Map.of(), rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    Object value = Json.parse(rs.getString("v"));
                    if (!(value instanceof List<?> items)) return;
                    boolean changed = false;
                    for (Object item : items) {
                        if (item instanceof Map<?, ?> m && m.get(key) instanceof String sealed) {
                            String fresh = codec.reseal(sealed);
                            if (fresh != null) {
                                @SuppressWarnings("unchecked") Map<String, Object> entry = (Map<String, Object>) m;
                                entry.put(key, fresh);
                                changed = true;
                                n[0]++;
                            }
                        }
                    }
                    if (changed) {
                        jdbc.update("UPDATE " + kind.table() + " SET " + c.name() + " = " + dialect.jsonParam("v") + " WHERE id = :id",
                                Map.of("v", Json.write(items), "id", id));
                    }
                });
        return n[0];
    }

    private void check(Kind kind, RecordStore.Column c, String key) {
        List<String> values = jdbc.queryForList("SELECT " + dialect.jsonText(c.name()) + " FROM " + kind.table() + " WHERE "
                + c.name() + " IS NOT NULL LIMIT " + SAMPLE, Map.of(), String.class);
        for (String text : values) {
            if (!(Json.parse(text) instanceof List<?> items)) continue;
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && m.get(key) instanceof String sealed) {
                    try {
                        codec.open(sealed);
                    } catch (IllegalStateException e) {
                        log.error("Stored secrets of {} cannot be decrypted with this MAESTRO_SECRET_KEY (or data/secret.key). "
                                + "Start with the key they were written with; see docs/access.md", kind.collection());
                        return;
                    }
                }
            }
        }
    }
}
