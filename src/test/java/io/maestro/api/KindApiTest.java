package io.maestro.api;

import io.maestro.core.Json;
import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every collection shares (api-v1.md "Resources" and "Basics"): create, read, list,
 * replace, merge-patch with both media types, delete; every field of the kind round-trips; a
 * record read and sent back unchanged stays unchanged. Each kind's test class says what its
 * records look like.
 */
abstract class KindApiTest extends ApiTest {
    static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** {@code /servers} */
    abstract String path();

    /** The smallest valid body. */
    abstract Map<String, Object> minimal();

    /** A body with every writable field of the contract (related records may be created here). */
    abstract Map<String, Object> full();

    /** What reads return for {@link #full()}'s fields (values as stored: options canonical, numbers typed ...). */
    Map<String, Object> expectedFull(Map<String, Object> full) {
        return full;
    }

    /** A merge patch of one or two fields, in stored form (so it is also what reads return for them). */
    abstract Map<String, Object> patch();

    /** The kind's field names in api-v1.md "Fields" (reads return these plus id, timestamps, version). */
    abstract List<String> contractFields();

    /** Collections whose records link to this kind, listed on single reads ({id, name, via}). */
    List<String> reverseLists() {
        return List.of();
    }

    /** Whether records of this kind carry team_id (catalog kinds are global). */
    boolean teamOwned() {
        return true;
    }

    // ---- the shared contract

    @Test
    void createAnswers201WithLocationEtagAndTheRecord() {
        Response r = admin().post(path(), minimal());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.id()).matches(UUID_TEXT);
        assertThat(r.header("Location")).endsWith("/api/v1" + path() + "/" + r.id());
        assertThat(r.header("ETag")).isEqualTo("\"1\"");
        Map<String, Object> body = r.body();
        assertThat(body.get("version")).isEqualTo(1);
        assertThat((String) body.get("created_at")).matches(ISO_UTC);
        assertThat(body.get("updated_at")).isEqualTo(body.get("created_at"));
        if (teamOwned()) assertThat(body.get("team_id")).isEqualTo(defaultTeamId());
        minimal().forEach((k, v) -> assertThat(body).as("field %s", k).containsKey(k));

        // the Location answers with the same record
        Response read = admin().get(java.net.URI.create(r.header("Location")).getPath());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.body()).containsAllEntriesOf(body);
    }

    @Test
    void listReplacePatchDelete() {
        String id = admin().post(path(), minimal()).id();

        Response list = admin().get(path());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).containsOnlyKeys("items", "total", "page", "size", "next");
        assertThat(list.body()).containsEntry("total", 1).containsEntry("page", 0).containsEntry("size", 50);
        assertThat(list.items()).extracting(m -> m.get("id")).containsExactly(id);

        Map<String, Object> replacement = full();
        Response put = admin().put(path() + "/" + id, replacement);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"2\"");
        assertThat(put.body().get("version")).isEqualTo(2);
        assertFields(put.body(), expectedFull(replacement));

        // PATCH as application/merge-patch+json
        Map<String, Object> patch = patch();
        Response patched = admin().patch(path() + "/" + id, patch);
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.header("ETag")).isEqualTo("\"3\"");
        Map<String, Object> expected = new LinkedHashMap<>(expectedFull(replacement));
        expected.putAll(patch);
        assertFields(patched.body(), expected);

        Response read = admin().get(path() + "/" + id);
        assertThat(read.body().get("version")).isEqualTo(3);
        assertFields(read.body(), expected);

        Response deleted = admin().delete(path() + "/" + id);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        Response gone = admin().get(path() + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.contentType()).startsWith("application/problem+json");
        assertThat(admin().delete(path() + "/" + id).status()).isEqualTo(404);
        assertThat(admin().get(path()).items()).extracting(m -> m.get("id")).doesNotContain(id);
    }

    @Test
    void patchAcceptsPlainJsonAndRemovesFieldsSetToNull() {
        Map<String, Object> full = full();
        String id = admin().post(path(), full).id();
        Map<String, Object> patch = patch();
        Response r = admin().send("PATCH", path() + "/" + id, patch, "application/json");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertFields(r.body(), patch);
        // fields the patch does not name stay as they were
        Map<String, Object> rest = new LinkedHashMap<>(expectedFull(full));
        patch.keySet().forEach(rest::remove);
        assertFields(r.body(), rest);

        // RFC 7396: null removes a member
        Response cleared = admin().patch(path() + "/" + id, Json.parse("{\"description\": null}"));
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.body().get("description")).isNull();
        assertThat(cleared.body().get("version")).isEqualTo(3);
    }

    @Test
    void readsUseExactlyTheContractsFieldNames() {
        String id = admin().post(path(), full()).id();
        java.util.Set<String> expected = new java.util.TreeSet<>(contractFields());
        expected.addAll(List.of("id", "name", "description", "tags", "created_at", "updated_at", "version"));
        // provenance on every inventory kind (sources.md)
        expected.addAll(List.of("source", "external_id", "last_seen_at", "stale", "stale_since", "missing_since", "drift"));
        if (teamOwned()) expected.add("team_id");
        Map<String, Object> listed = admin().get(path()).items().stream().filter(i -> i.get("id").equals(id)).findFirst().orElseThrow();
        assertThat(new java.util.TreeSet<>(listed.keySet())).isEqualTo(expected);
        expected.addAll(reverseLists());
        assertThat(new java.util.TreeSet<>(admin().get(path() + "/" + id).body().keySet())).isEqualTo(expected);
    }

    @Test
    void everyFieldRoundTrips() {
        Map<String, Object> full = full();
        Response created = admin().post(path(), full);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Map<String, Object> expected = expectedFull(full);
        assertFields(created.body(), expected);
        Response read = admin().get(path() + "/" + created.id());
        assertFields(read.body(), expected);
        Map<String, Object> listed = admin().get(path()).items().stream()
                .filter(i -> i.get("id").equals(created.id())).findFirst().orElseThrow();
        assertFields(listed, expected);
    }

    @Test
    void aRecordReadAndPutBackUnchangedStaysUnchanged() {
        String id = admin().post(path(), full()).id();
        Map<String, Object> before = admin().get(path() + "/" + id).body();

        Response put = admin().put(path() + "/" + id, before, "If-Match", "\"1\"");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);

        Map<String, Object> after = admin().get(path() + "/" + id).body();
        assertThat(after.get("version")).isEqualTo(2);
        assertThat(without(after, "version", "updated_at"))
                .isEqualTo(without(before, "version", "updated_at"));
        assertThat((String) after.get("updated_at")).isGreaterThanOrEqualTo((String) before.get("updated_at"));
    }

    @Test
    void putReplacesTheWholeRecord() {
        String id = admin().post(path(), full()).id();
        Response put = admin().put(path() + "/" + id, minimal());
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Map<String, Object> replaced = admin().get(path() + "/" + id).body();
        assertThat(admin().delete(path() + "/" + id).status()).isEqualTo(204);
        // what is left is exactly what a record created from the same body has
        Map<String, Object> fresh = admin().post(path(), minimal()).body();
        String[] own = {"id", "created_at", "updated_at", "version"};
        assertThat(without(replaced, own)).isEqualTo(without(admin().get(path() + "/" + fresh.get("id")).body(), own));
    }

    @Test
    void staleIfMatchIs412AndWritesNothing() {
        String id = admin().post(path(), full()).id();
        Map<String, Object> before = admin().get(path() + "/" + id).body();

        Response stalePut = admin().put(path() + "/" + id, minimal(), "If-Match", "\"7\"");
        assertThat(stalePut.status()).as(stalePut.toString()).isEqualTo(412);
        assertThat(stalePut.contentType()).startsWith("application/problem+json");
        Response stalePatch = admin().patch(path() + "/" + id, patch(), "If-Match", "\"0\"");
        assertThat(stalePatch.status()).isEqualTo(412);
        assertThat(admin().get(path() + "/" + id).body()).isEqualTo(before);

        Response matching = admin().patch(path() + "/" + id, patch(), "If-Match", "\"1\"");
        assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
        assertThat(matching.header("ETag")).isEqualTo("\"2\"");
        Response nowStale = admin().patch(path() + "/" + id, patch(), "If-Match", "\"1\"");
        assertThat(nowStale.status()).isEqualTo(412);
    }

    // ---- helpers

    /** Every entry of {@code expected} is in {@code actual} with an equal value. */
    static void assertFields(Map<String, Object> actual, Map<String, Object> expected) {
        expected.forEach((k, v) -> assertThat(actual.get(k)).as("field %s in %s", k, actual).isEqualTo(v));
    }

    String defaultTeamId() {
        return jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", java.util.UUID.class).toString();
    }

    /** The ids of a list of {id, ...} objects (reverse-relation lists, list items). */
    @SuppressWarnings("unchecked")
    static List<String> ids(Object list) {
        return ((List<Map<String, Object>>) list).stream().map(m -> (String) m.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** A copy of {@code doc} without {@code keys}. */
    static Map<String, Object> without(Map<String, Object> doc, String... keys) {
        Map<String, Object> copy = new LinkedHashMap<>(doc);
        List.of(keys).forEach(copy::remove);
        return copy;
    }
}
