package io.maestro.core.record;

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
import org.springframework.stereotype.Component;

import java.util.ArrayList;
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
    private final SealedSecretStore rows;
    private final List<SealedColumn> sealedColumns;

    public SecretRotation(Kinds kinds, RecordStore store, SecretCodec codec, SealedSecretStore rows, List<SealedColumn> sealedColumns) {
        this.sealedColumns = sealedColumns;
        this.kinds = kinds;
        this.store = store;
        this.codec = codec;
        this.rows = rows;
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
        int n = 0;
        for (SealedSecretStore.Value row : rows.jsonMatching(table, c.name(), patterns)) {
            Object value = Json.parse(row.value());
            if (!(value instanceof List<?> items)) continue;
            boolean changed = false;
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && m.get(key) instanceof String sealed) {
                    String fresh = codec.reseal(sealed, kind.collection(), row.id(), c.name());
                    if (fresh != null) {
                        @SuppressWarnings("unchecked") Map<String, Object> entry = (Map<String, Object>) m;
                        entry.put(key, fresh);
                        changed = true;
                        n++;
                    }
                }
            }
            if (changed) rows.replaceJson(table, c.name(), row, Json.write(items), versions);
        }
        return n;
    }

    /** Re-seals the stale values of a feature's own sealed column (one value per row). */
    private int reseal(SealedColumn c) {
        List<String> patterns = codec.stalePatterns();
        if (patterns.isEmpty()) return 0;
        // the patterns are written for JSON documents (a quote before the value); this column holds the bare value
        List<String> bare = patterns.stream().map(p -> p.startsWith("%\"") ? p.substring(2) : p).toList();
        int n = 0;
        for (SealedSecretStore.Value row : rows.bareMatching(c.table(), c.column(), bare)) {
            String fresh = codec.reseal(row.value(), c.collection(), row.id(), c.column());
            if (fresh == null) continue;
            rows.replaceBare(c.table(), c.column(), row.id(), row.value(), fresh);
            n++;
        }
        return n;
    }

    private void check(Kind kind, RecordStore.Column c, String key) {
        for (SealedSecretStore.Value row : rows.sample(kind.table(), c.name(), SAMPLE)) {
            UUID id = row.id();
            if (!(Json.parse(String.valueOf(row.value())) instanceof List<?> items)) continue;
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
