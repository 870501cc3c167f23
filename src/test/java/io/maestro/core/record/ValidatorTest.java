package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.access.SecretCodec;
import io.maestro.core.options.OptionsService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A request body against a kind's schema: the clean values stored, or every error with its path. */
class ValidatorTest {
    private static final Kind KIND = new SampleKind();

    /** An option list "environment" of Production and Development, matched case-insensitively. */
    private static final OptionsService OPTIONS = new OptionsService(null, null) {
        @Override
        public Optional<String> canonical(String list, String input) {
            return List.of("Production", "Development").stream().filter(v -> v.equalsIgnoreCase(input.strip())).findFirst();
        }

        @Override
        public String allowedValues(String list) {
            return "Production, Development";
        }
    };

    /** Seals by saying where the value is bound, so a test sees that it was sealed and for which column. */
    private static final SecretCodec CODEC = new SecretCodec() {
        @Override
        public String seal(String plaintext, String collection, UUID recordId, String column) {
            return "sealed:" + collection + ":" + recordId + ":" + column + ":" + new StringBuilder(plaintext).reverse();
        }

        @Override
        public String open(String sealed, String collection, UUID recordId, String column) {
            throw new UnsupportedOperationException();
        }
    };

    private final Validator validator = new Validator(OPTIONS, CODEC);
    private Errors errors;

    private Draft validate(String json) {
        return validate(json, null);
    }

    @SuppressWarnings("unchecked")
    private Draft validate(String json, Map<String, Object> stored) {
        errors = new Errors();
        return validator.validate(KIND, (Map<String, Object>) Json.parse(json), validator.context(errors, stored, KIND.ignoredOnWrite()));
    }

    private List<String> errorList() {
        return errors.list().stream().map(e -> e.field() + " " + e.message()).toList();
    }

    @Test
    void aValidBodyBecomesCleanColumnValues() {
        Draft d = validate("""
                {"hostname": " web01.example.com ", "ip": "10.0.0.1", "homepage": "https://example.com/x", "cpu": 4.0,
                 "memory": 2, "active": true, "environment": "production", "os": {"dist": "Debian", "version": 12},
                 "server_count": 3}""");
        assertThat(errorList()).isEmpty();
        assertThat(d.values).containsEntry("hostname", "web01.example.com") // stripped
                .containsEntry("cpu", 4L) // 4.0 is an integer
                .containsEntry("memory", 2.0)
                .containsEntry("environment", "Production") // the list's spelling
                .containsEntry("os.dist", "Debian")
                .containsEntry("os.version", "12") // a number accepted as text
                .containsEntry("source.type", "manual").containsEntry("stale", false)
                .doesNotContainKey("server_count"); // read-only, sent back and ignored
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        validate("""
                {"ip": "10.0.0.256", "homepage": "javascript:alert(1)", "cpu": 2.5, "memory": -1, "active": "yes",
                 "environment": "Prod", "os": {"dist": "much-too-long", "kernel": "6.1"}, "colour": "red"}""");
        assertThat(errorList()).containsExactlyInAnyOrder(
                "hostname is required",
                "ip must be a valid IPv4 address",
                "homepage must be an absolute http(s), ftp, ssh or mailto URL",
                "cpu must be an integer",
                "memory must be between 0 and 1000",
                "active must be true or false",
                "environment unknown value 'Prod'; allowed: Production, Development",
                "os.dist must be at most 8 characters",
                "os.kernel unknown field",
                "colour unknown field");
    }

    @Test
    void blanksAreAbsentInTextAndAMistakeElsewhere() {
        Draft d = validate("{\"hostname\": \"web01\", \"os\": {\"dist\": \"   \"}, \"cpu\": \"\"}");
        assertThat(d.values).containsEntry("os.dist", null);
        assertThat(errorList()).containsExactly("cpu must be an integer, not an empty string");
    }

    @Test
    void nullsAreAbsentButARequiredOneIsMissing() {
        Draft d = validate("{\"hostname\": null, \"cpu\": null, \"os\": null, \"auth\": null}");
        assertThat(errorList()).containsExactly("hostname is required");
        assertThat(d.values).containsEntry("cpu", null).containsEntry("os.dist", null).containsEntry("auth", null);
    }

    @Test
    void anObjectOrListOfTheWrongShapeIsNamed() {
        validate("{\"hostname\": \"web01\", \"os\": \"Linux\", \"auth\": {\"name\": \"ops\"}, \"server_ids\": \"x\"}");
        assertThat(errorList()).containsExactlyInAnyOrder("os must be an object", "auth must be an array", "server_ids must be an array of ids");
    }

    @Test
    void hostnamesFollowRfc1123() {
        assertThat(Validator.validHostname("web-01.example.com")).isTrue();
        assertThat(Validator.validHostname("a".repeat(63))).isTrue();
        assertThat(Validator.validHostname("a".repeat(64))).as("a label over 63").isFalse();
        assertThat(Validator.validHostname("-web")).isFalse();
        assertThat(Validator.validHostname("web_01")).isFalse();
        assertThat(Validator.validHostname("web..example")).as("an empty label").isFalse();
        assertThat(Validator.validHostname("web.")).isFalse();
    }

    @Test
    void idsMustBeCanonical() {
        UUID id = UUID.randomUUID();
        assertThat(Validator.parseUuid(id.toString().toUpperCase())).isEqualTo(id);
        assertThat(Validator.parseUuid("1-1-1-1-1")).as("UUID.fromString takes it; an id is canonical").isNull();
        assertThat(Validator.parseUuid("nope")).isNull();
        Draft d = validate("{\"hostname\": \"web01\", \"datacenter\": {\"id\": \"1-1-1-1-1\"}, \"server_ids\": [\"%s\", \"%s\", 7]}"
                .formatted(id, id));
        assertThat(errorList()).containsExactlyInAnyOrder("datacenter.id is not a valid id", "server_ids[2] must be an id (string)");
        assertThat(d.linkIds("server_ids")).as("a repeat links once").containsExactly(id);
    }

    @Test
    void referencesAreCollectedToBeResolvedWithTheirPaths() {
        UUID dc = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        errors = new Errors();
        Validator.Context ctx = validator.context(errors, null, KIND.ignoredOnWrite());
        validator.validate(KIND, Map.of("hostname", "web01", "datacenter", Map.of("id", dc.toString()), "server_ids", List.of(server.toString())), ctx);
        assertThat(ctx.refs).extracting(r -> r.path() + " " + r.id() + " " + r.kinds())
                .containsExactlyInAnyOrder("datacenter.id " + dc + " [datacenters]", "server_ids[0] " + server + " [servers]");
    }

    @Test
    void listEntriesAreCheckedOneByOneAndKeepTheirIndex() {
        validate("{\"hostname\": \"web01\", \"auth\": [null, {\"username\": \"x\"}, {\"name\": \"ops\", \"pin\": 1}]}");
        assertThat(errorList()).containsExactly("auth[0] must not be null", "auth[1].name is required", "auth[2].pin unknown field");
        validate("{\"hostname\": \"web01\", \"auth\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}, {\"name\": \"d\"}]}");
        assertThat(errorList()).containsExactly("auth must have at most 3 entries");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsAreSealedForTheirColumnAndKeptWhenSentBackWithout() {
        Draft created = validate("{\"hostname\": \"web01\", \"auth\": [{\"name\": \"ops\", \"secret\": \"s3cret\"}]}");
        List<Map<String, Object>> auth = (List<Map<String, Object>>) created.values.get("auth");
        assertThat(auth.get(0).get("secret")).isEqualTo("sealed:samples:null:auth:terc3s");

        Map<String, Object> stored = Map.of("auth", List.of(Map.of("name", "ops", "secret", "sealed-before")));
        // a GET body sent back: the entry has has_secret and no secret
        Draft kept = validate("{\"hostname\": \"web01\", \"auth\": [{\"name\": \"ops\", \"has_secret\": true}, {\"name\": \"new\", \"secret\": \"\"}]}", stored);
        assertThat(errorList()).isEmpty();
        auth = (List<Map<String, Object>>) kept.values.get("auth");
        assertThat(auth.get(0)).containsEntry("secret", "sealed-before");
        assertThat(auth.get(1)).doesNotContainKey("secret");
        // an explicit null removes it
        Draft removed = validate("{\"hostname\": \"web01\", \"auth\": [{\"name\": \"ops\", \"secret\": null}]}", stored);
        assertThat((List<Map<String, Object>>) removed.values.get("auth")).singleElement().satisfies(e -> assertThat(e).doesNotContainKey("secret"));
    }

    @Test
    void provenanceIsTakenFromSourcesOnly() {
        Draft person = validate("{\"hostname\": \"web01\", \"source\": {\"type\": \"aws\"}, \"external_id\": \"i-1\", \"stale\": true}");
        assertThat(errorList()).isEmpty();
        assertThat(person.values).containsEntry("source.type", "manual").containsEntry("external_id", null).containsEntry("stale", false);
        Draft source = Provenance.asSource(() -> validate("{\"hostname\": \"web01\", \"source\": {\"type\": \"aws\"}, \"external_id\": \"i-1\"}"));
        assertThat(source.values).containsEntry("source.type", "aws").containsEntry("external_id", "i-1");
    }

    @Test
    void controlCharactersAreRefusedOutsideText() {
        validate("{\"hostname\": \"web01\", \"os\": {\"dist\": \"a\\u0000b\"}}");
        assertThat(errors.list()).extracting(FieldError::field).containsExactly("os.dist");
    }
}
