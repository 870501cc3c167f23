package io.maestro.core.record;

import io.maestro.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON merge patch: the examples of RFC 7386 (appendix A), each original, patch and result. */
class MergePatchTest {

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":\"b\"}                 | {\"a\":\"c\"}                  | {\"a\":\"c\"}",
            "{\"a\":\"b\"}                 | {\"b\":\"c\"}                  | {\"a\":\"b\",\"b\":\"c\"}",
            "{\"a\":\"b\"}                 | {\"a\":null}                   | {}",
            "{\"a\":\"b\",\"b\":\"c\"}     | {\"a\":null}                   | {\"b\":\"c\"}",
            "{\"a\":[\"b\"]}               | {\"a\":\"c\"}                  | {\"a\":\"c\"}",
            "{\"a\":\"c\"}                 | {\"a\":[\"b\"]}                | {\"a\":[\"b\"]}",
            "{\"a\":{\"b\":\"c\"}}         | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
            "{\"a\":[{\"b\":\"c\"}]}       | {\"a\":[1]}                    | {\"a\":[1]}",
            "[\"a\",\"b\"]                 | [\"c\",\"d\"]                  | [\"c\",\"d\"]",
            "{\"a\":\"b\"}                 | [\"c\"]                        | [\"c\"]",
            "{\"a\":\"foo\"}               | null                           | null",
            "{\"a\":\"foo\"}               | \"bar\"                        | \"bar\"",
            "{\"e\":null}                  | {\"a\":1}                      | {\"e\":null,\"a\":1}",
            "[1,2]                         | {\"a\":\"b\",\"c\":null}       | {\"a\":\"b\"}",
            "{}                            | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}",
    })
    void theExamplesOfRfc7386(String original, String patch, String result) {
        assertThat(Json.write(MergePatch.apply(Json.parse(original), Json.parse(patch)))).isEqualTo(Json.write(Json.parse(result)));
    }

    @Test
    void theTargetIsLeftAsItWas() {
        Map<String, Object> os = new LinkedHashMap<>(Map.of("base", "Linux"));
        Map<String, Object> target = new LinkedHashMap<>(Map.of("os", os));
        Object patched = MergePatch.apply(target, Map.of("os", Map.of("base", "Windows")));
        assertThat(patched).isEqualTo(Map.of("os", Map.of("base", "Windows")));
        assertThat(target).isEqualTo(Map.of("os", Map.of("base", "Linux")));
    }

    @Test
    void anEmptyPatchChangesNothingAndKeepsTheOrder() {
        Object target = Json.parse("{\"z\":1,\"a\":{\"b\":2}}");
        assertThat(Json.write(MergePatch.apply(target, Map.of()))).isEqualTo("{\"z\":1,\"a\":{\"b\":2}}");
    }
}
