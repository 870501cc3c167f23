package io.maestro.core;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * JSON as plain Java values (Map, List, String, Number, Boolean, null): the validators walk these
 * directly, so every bad field can be named.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Parses a request body; anything that is not one JSON value answers 400 naming the body. */
    public static Object parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("The request body is empty", List.of(new FieldError("body", "is required")));
        }
        try {
            return MAPPER.readValue(body, Object.class);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("The request body is not valid JSON",
                    List.of(new FieldError("body", "malformed JSON: " + e.getOriginalMessage())));
        }
    }

    public static Object parse(String text) {
        if (text == null) return null;
        return MAPPER.readValue(text, Object.class);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
