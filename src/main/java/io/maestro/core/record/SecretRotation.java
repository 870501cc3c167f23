package io.maestro.core.record;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.access.SealedColumn;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * At start, re-seals every stored secret that is not yet under the current key and bound to its
 * record (see {@link SecretCodec}): after a key rotation (an old key configured), those of the
 * first format (no key id, no binding) and those of bulk rows (bound to their column only). The
 * live tables and the history ({@code <table>_version}) both: a restore of an old version must
 * bring back a secret the current key opens, once the old key is gone. Then checks that a few
 * stored secrets open, and says so loudly if the key is wrong, rather than failing on the first read.
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
    private final List<SealedColumn> sealedColumns;

    public SecretRotation(Kinds kinds, RecordStore store, SecretCodec codec, NamedParameterJdbcTemplate jdbc, Dialect dialect,
                          List<SealedColumn> sealedColumns) {
        this.sealedColumns = sealedColumns;
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
                resealed += reseal(kind, kind.table(), c, secret.name, false);
                resealed += reseal(kind, kind.table() + "_version", c, secret.name, true);
                check(kind, c, secret.name);
            }
        }
        for (SealedColumn c : sealedColumns) resealed += reseal(c);
        if (codec.rotating()) {
            log.warn("Re-encrypted {} stored secrets (current and history) under the current MAESTRO_SECRET_KEY; once every node runs with it, "
                    + "remove MAESTRO_SECRET_KEY_PREVIOUS", resealed);
        } else if (resealed > 0) {
            log.info("Re-sealed {} stored secrets in the current format (bound to their record and field)", resealed);
        }
    }

    /** The secret field of a list of objects ({@code auth[].secret}), or null. */
    private static Field secretChild(Field f) {
        if (f.type != Type.LIST || f.item() == null || f.item().type != Type.OBJECT) return null;
        return f.item().children().values().stream().filter(x -> x.type == Type.SECRET).findFirst().orElse(null);
    }

    /** Re-seals the stale secrets of one column of {@code table}; version rows are told apart by their version. */
    private int reseal(Kind kind, String table, RecordStore.Column c, String key, boolean versions) {
        List<String> patterns = codec.stalePatterns();
        if (patterns.isEmpty()) return 0;
        Map<String, Object> params = new HashMap<>();
        List<String> likes = new ArrayList<>();
        for (String p : patterns) {
            params.put("p" + params.size(), p);
            likes.add(dialect.jsonText(c.name()) + " LIKE :p" + (params.size() - 1));
        }
        int[] n = {0};
        List<Object[]> updates = new ArrayList<>();
        jdbc.query("SELECT id, version, " + dialect.jsonText(c.name()) + " AS v FROM " + table + " WHERE " + c.name() + " IS NOT NULL AND ("
                        + String.join(" OR ", likes) + ")",
                params, rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    Object value = Json.parse(rs.getString("v"));
                    if (!(value instanceof List<?> items)) return;
                    boolean changed = false;
                    for (Object item : items) {
                        if (item instanceof Map<?, ?> m && m.get(key) instanceof String sealed) {
                            String fresh = codec.reseal(sealed, kind.collection(), id, c.name());
                            if (fresh != null) {
                                @SuppressWarnings("unchecked") Map<String, Object> entry = (Map<String, Object>) m;
                                entry.put(key, fresh);
                                changed = true;
                                n[0]++;
                            }
                        }
                    }
                    if (changed) updates.add(new Object[]{id, rs.getLong("version"), Json.write(items)});
                });
        for (Object[] u : updates) {
            jdbc.update("UPDATE " + table + " SET " + c.name() + " = " + dialect.jsonParam("v") + " WHERE id = :id"
                    + (versions ? " AND version = :version" : ""), Map.of("v", u[2], "id", u[0], "version", u[1]));
        }
        return n[0];
    }

    /** Re-seals the stale values of a feature's own sealed column (one value per row). */
    private int reseal(SealedColumn c) {
        List<String> patterns = codec.stalePatterns();
        if (patterns.isEmpty()) return 0;
        Map<String, Object> params = new HashMap<>();
        List<String> likes = new ArrayList<>();
        for (String p : patterns) {
            // the patterns are written for JSON documents (a quote before the value); this column holds the bare value
            params.put("p" + params.size(), p.startsWith("%\"") ? p.substring(2) : p);
            likes.add(c.column() + " LIKE :p" + (params.size() - 1));
        }
        List<Object[]> updates = new ArrayList<>();
        jdbc.query("SELECT id, " + c.column() + " AS v FROM " + c.table() + " WHERE " + String.join(" OR ", likes), params, rs -> {
            UUID id = rs.getObject("id", UUID.class);
            String sealed = rs.getString("v");
            String fresh = codec.reseal(sealed, c.collection(), id, c.column());
            if (fresh != null) updates.add(new Object[]{id, sealed, fresh});
        });
        // only where the value is still the one read: a write in between sealed its own, current value
        for (Object[] u : updates) {
            jdbc.update("UPDATE " + c.table() + " SET " + c.column() + " = :fresh WHERE id = :id AND " + c.column() + " = :sealed",
                    Map.of("fresh", u[2], "id", u[0], "sealed", u[1]));
        }
        return updates.size();
    }

    private void check(Kind kind, RecordStore.Column c, String key) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, " + dialect.jsonText(c.name()) + " AS v FROM " + kind.table() + " WHERE "
                + c.name() + " IS NOT NULL LIMIT " + SAMPLE, Map.of());
        for (Map<String, Object> row : rows) {
            UUID id = row.get("id") instanceof UUID u ? u : UUID.fromString(String.valueOf(row.get("id")));
            if (!(Json.parse(String.valueOf(row.get("v"))) instanceof List<?> items)) continue;
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && m.get(key) instanceof String sealed) {
                    try {
                        codec.open(sealed, kind.collection(), id, c.name());
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
