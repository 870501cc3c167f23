package io.maestro.history;

import io.maestro.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The changes a history entry lists between two versions of a record, and how secrets show in them. */
class DiffTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> doc(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    /** "field: old -> new" per change, in order. */
    private static List<String> summary(List<Map<String, Object>> changes) {
        return changes.stream().map(c -> c.get("field") + ": " + c.get("old") + " -> " + c.get("new")).toList();
    }

    @Test
    void nestedFieldsAreNamedByPathAndOnlyChangedOnesAreListed() {
        var changes = Diff.between(
                doc("{\"hostname\":\"web01\",\"os\":{\"base\":\"Linux\",\"dist\":\"Debian\"},\"cpu\":4}"),
                doc("{\"hostname\":\"web01\",\"os\":{\"base\":\"Linux\",\"dist\":\"Ubuntu\"},\"cpu\":8,\"memory\":16}"));
        assertThat(summary(changes)).containsExactly("os.dist: Debian -> Ubuntu", "cpu: 4 -> 8", "memory: null -> 16");
    }

    @Test
    void listsOfObjectsAreComparedEntryByEntry() {
        var changes = Diff.between(
                doc("{\"storage\":[{\"name\":\"root\",\"size_gb\":20},{\"name\":\"data\",\"size_gb\":100}]}"),
                doc("{\"storage\":[{\"name\":\"root\",\"size_gb\":40}]}"));
        assertThat(summary(changes)).containsExactly("storage[0].size_gb: 20 -> 40", "storage[1].name: data -> null",
                "storage[1].size_gb: 100 -> null");
    }

    @Test
    void relationListsSayWhatWasAddedAndRemoved() {
        var changes = Diff.between(doc("{\"server_ids\":[\"a\",\"b\"]}"), doc("{\"server_ids\":[\"b\",\"c\"]}"));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0)).containsEntry("field", "server_ids").containsEntry("added", List.of("c"))
                .containsEntry("removed", List.of("a"));
        var first = Diff.between(doc("{}"), doc("{\"server_ids\":[\"a\"]}")).get(0);
        assertThat(first).containsEntry("added", List.of("a")).containsEntry("removed", List.of());
    }

    @Test
    void bookkeepingFieldsAndEmptyListsAreNoChange() {
        var changes = Diff.between(
                doc("{\"id\":\"x\",\"version\":1,\"updated_at\":\"t1\",\"created_at\":\"t0\",\"warnings\":[],\"tags\":[]}"),
                doc("{\"id\":\"x\",\"version\":2,\"updated_at\":\"t2\",\"created_at\":\"t0\",\"warnings\":[{\"code\":\"w\"}]}"));
        assertThat(changes).isEmpty();
        // only at the top: a nested "version" is a field like any other
        assertThat(summary(Diff.between(doc("{\"os\":{\"version\":\"12\"}}"), doc("{\"os\":{\"version\":\"13\"}}"))))
                .containsExactly("os.version: 12 -> 13");
    }

    @Test
    void aCreateListsEveryFieldItSetAndADeleteEveryFieldItHad() {
        assertThat(summary(Diff.between(null, doc("{\"name\":\"web01\",\"os\":{\"base\":\"Linux\"},\"description\":null}"))))
                .containsExactly("name: null -> web01", "os.base: null -> Linux");
        assertThat(summary(Diff.between(doc("{\"name\":\"web01\"}"), null))).containsExactly("name: web01 -> null");
        assertThat(Diff.between(null, null)).isEmpty();
    }

    @Test
    void aSecretShowsAsMaskedWhenSetReplacedOrRemovedAndNotAtAllWhenKept() {
        var changes = Diff.secrets(
                Map.of("auth[ops].secret", "v1:sealed-one", "auth[root].secret", "v1:sealed-kept", "auth[old].secret", "v1:sealed-gone"),
                Map.of("auth[ops].secret", "v1:sealed-two", "auth[root].secret", "v1:sealed-kept", "auth[new].secret", "v1:sealed-new"));
        assertThat(changes).extracting(c -> c.get("field"))
                .containsExactlyInAnyOrder("auth[ops].secret", "auth[old].secret", "auth[new].secret");
        assertThat(changes).filteredOn(c -> c.get("field").equals("auth[ops].secret")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("old", "***").containsEntry("new", "***"));
        assertThat(changes).filteredOn(c -> c.get("field").equals("auth[old].secret")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("old", "***").containsEntry("new", null));
        assertThat(changes).filteredOn(c -> c.get("field").equals("auth[new].secret")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("old", null).containsEntry("new", "***"));
        assertThat(changes.toString()).doesNotContain("sealed");
    }
}
