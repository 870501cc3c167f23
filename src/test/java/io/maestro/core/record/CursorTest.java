package io.maestro.core.record;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset cursors: what a page's {@code next} carries comes back typed for SQL, and anything else is refused (null). */
class CursorTest {
    private static final UUID ID = UUID.fromString("0b5e4c2a-1f6d-4a8e-9c3b-7d2e1f0a9b8c");
    private static final ListQuery.Sort NAME = new ListQuery.Sort("name", false, String.class);
    private static final ListQuery.Sort CPU = new ListQuery.Sort("cpu", true, Long.class);
    private static final ListQuery.Sort MEMORY = new ListQuery.Sort("memory", false, Double.class);
    private static final ListQuery.Sort ACTIVE = new ListQuery.Sort("active", false, Boolean.class);
    private static final ListQuery.Sort TEAM = new ListQuery.Sort("team_id", false, UUID.class);
    private static final ListQuery.Sort UPDATED = new ListQuery.Sort("updated_at", true, OffsetDateTime.class);

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everySortTypeComesBackAsTheColumnsType() {
        UUID team = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.parse("2026-11-24T14:00:00.123Z");
        List<ListQuery.Sort> sort = List.of(NAME, CPU, MEMORY, ACTIVE, TEAM, UPDATED);
        String cursor = Cursor.encode(Arrays.asList("web01", 8L, 2.5, true, team, at, ID));

        assertThat(cursor).doesNotContain("=", "+", "/"); // safe in a URL as it is
        assertThat(Cursor.decode(cursor, sort)).containsExactly("web01", 8L, 2.5, true, team, at, ID);
        // a JSON number that fits an int is still a Long for a Long column
        assertThat(Cursor.decode(cursor, sort).get(1)).isInstanceOf(Long.class);
        assertThat(Cursor.decode("  " + cursor + " ", sort)).hasSize(7);
    }

    @Test
    void aNullSortValueSurvives() {
        String cursor = Cursor.encode(Arrays.asList(null, ID));
        assertThat(Cursor.decode(cursor, List.of(CPU))).containsExactly(null, ID);
    }

    @Test
    void aCursorOfAnotherSortOrNoCursorAtAllIsRefused() {
        String byName = Cursor.encode(Arrays.asList("web01", ID));
        assertThat(Cursor.decode(byName, List.of(NAME, CPU))).as("fewer values than the sort").isNull();
        assertThat(Cursor.decode(byName, List.of())).as("more values than the sort").isNull();
        assertThat(Cursor.decode(byName, List.of(CPU))).as("text where a number belongs").isNull();
        assertThat(Cursor.decode(byName, List.of(UPDATED))).as("text that is no instant").isNull();
        assertThat(Cursor.decode("not base64!", List.of(NAME))).isNull();
        assertThat(Cursor.decode(base64("{\"a\":1}"), List.of())).as("an object, not a list").isNull();
        assertThat(Cursor.decode(base64("[\"web01\""), List.of(NAME))).as("broken JSON").isNull();
        assertThat(Cursor.decode(base64("[\"web01\",\"not-an-id\"]"), List.of(NAME))).as("a bad id").isNull();
        assertThat(Cursor.decode(base64("[\"web01\",null]"), List.of(NAME))).as("no id").isNull();
        assertThat(Cursor.decode("", List.of(NAME))).isNull();
    }

    @Test
    void theConditionStartsStrictlyAfterTheLastRowWithNullsLast() {
        Map<String, Object> params = new HashMap<>();
        String sql = Cursor.condition(List.of(NAME, CPU), Arrays.asList("web01", 8L, ID), params);
        assertThat(sql).isEqualTo("(((LOWER(t.name) > LOWER(:c0) OR LOWER(t.name) IS NULL))"
                + " OR (LOWER(t.name) = LOWER(:c0) AND (t.cpu < :c1 OR t.cpu IS NULL))"
                + " OR (LOWER(t.name) = LOWER(:c0) AND t.cpu = :c1 AND t.id > :c_id))");
        assertThat(params).containsEntry("c0", "web01").containsEntry("c1", 8L).containsEntry("c_id", ID);
    }

    @Test
    void afterARowWithANullOnlyTheOtherNullsAndTheTieBreakRemain() {
        Map<String, Object> params = new HashMap<>();
        String sql = Cursor.condition(List.of(CPU), Arrays.asList(null, ID), params);
        // nulls sort last: nothing non-null can follow a null
        assertThat(sql).isEqualTo("((t.cpu IS NULL AND t.id > :c_id))");
        assertThat(params).containsOnlyKeys("c_id");
    }
}
