package io.maestro.core.record;

import io.maestro.core.schema.Field;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Write-only secrets never leave in a read: an entry says {@code has_secret} instead (history's "***" is in DiffTest). */
class SecretMaskingTest {
    private static final Field AUTH = new SampleKind().fields().stream().filter(f -> f.name.equals("auth")).findFirst().orElseThrow();

    @Test
    void anEntryShowsWhetherItHasASecretAndNeverTheSecret() {
        Map<String, Object> withSecret = Map.of("name", "ops", "username", "root", "secret", "v1:sealed");
        Map<String, Object> without = new HashMap<>(Map.of("name", "ci"));
        Object shown = Renderer.stripSecrets(AUTH, List.of(withSecret, without));
        assertThat(shown).isEqualTo(List.of(
                Map.of("name", "ops", "username", "root", "has_secret", true),
                mapOf("name", "ci", "username", null, "has_secret", false)));
        assertThat(shown.toString()).doesNotContain("sealed");
    }

    @Test
    void listsWithoutSecretsAreShownAsStored() {
        Field storage = Field.list("storage", Field.string("name"), Field.number("size_gb"));
        List<Map<String, Object>> stored = List.of(Map.of("name", "root", "size_gb", 20.0, "extra", "kept"));
        assertThat(Renderer.stripSecrets(storage, stored)).isSameAs(stored);
        assertThat(Renderer.stripSecrets(Field.listOf("aliases", Field.string("alias")), List.of("a"))).isEqualTo(List.of("a"));
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
