package io.maestro.core;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values (Map, List, String, Number, Boolean, null): the validators walk these
 * directly, so every bad field can be named.
 */
public final class Json {
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING = 1_000_000;
    static final int MAX_NUMBER = 100;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_STRING).maxNumberLength(MAX_NUMBER).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * Parses a request body. Anything that is not one JSON value answers 400 naming the body;
     * values no database can store (duplicate keys, NUL characters, unpaired surrogates,
     * numbers beyond a double) answer 400 naming each place, all at once.
     */
    public static Object parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("The request body is empty", List.of(new FieldError("body", "is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        Object value;
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() == null) {
                throw ProblemException.badRequest("The request body is empty", List.of(new FieldError("body", "is required")));
            }
            value = read(p, "", errors);
            if (p.nextToken() != null) throw malformed("has content after the JSON value", p.currentLocation());
        } catch (JacksonException e) {
            throw malformed(describe(e), e.getLocation());
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        return value;
    }

    /**
     * Reads the value a streaming parser is on (its first token read) by the rules of
     * {@link #parse(byte[])}: a value no database can store answers 400 naming each place under
     * {@code path}; JSON that breaks off throws the parser's exception (see {@link #unreadable}).
     */
    public static Object readValue(JsonParser p, String path) {
        List<FieldError> errors = new ArrayList<>();
        Object value = read(p, path, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
        return value;
    }

    /** A streaming parser's failure as {@link #parse(byte[])} answers it: 400 naming the body, with where and why. */
    public static ProblemException unreadable(JacksonException e) {
        return malformed(describe(e), e.getLocation());
    }

    public static Object parse(String text) {
        if (text == null) return null;
        return MAPPER.readValue(text, Object.class);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    // ---- the strict reader of request bodies

    private static Object read(JsonParser p, String path, List<FieldError> errors) {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    String child = path.isEmpty() ? key : path + "." + key;
                    String bad = badText(key);
                    if (bad != null) {
                        errors.add(new FieldError(path.isEmpty() ? "body" : path, "has a key that " + bad));
                        child = path.isEmpty() ? "body" : path;
                    } else if (m.containsKey(key)) {
                        errors.add(new FieldError(child, "is repeated (duplicate key)"));
                    }
                    p.nextToken();
                    Object v = read(p, child, errors);
                    m.putIfAbsent(key, v);
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p, path + "[" + list.size() + "]", errors));
                }
                return list;
            }
            case VALUE_STRING -> {
                String s = p.getString();
                String bad = badText(s);
                if (bad != null) errors.add(new FieldError(path.isEmpty() ? "body" : path, bad));
                return s;
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                if (Double.isInfinite(d)) errors.add(new FieldError(path.isEmpty() ? "body" : path, "is out of range"));
                return d;
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw malformed("has an unexpected token", p.currentLocation());
        }
    }

    /** Why a string cannot be stored (PostgreSQL refuses NUL and unpaired surrogates), or null. */
    private static String badText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return "must not contain NUL characters";
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (invalid Unicode)";
            }
            if (Character.isLowSurrogate(c)) return "contains an unpaired surrogate (invalid Unicode)";
        }
        return null;
    }

    private static ProblemException malformed(String message, TokenStreamLocation at) {
        String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return ProblemException.badRequest("The request body is not valid JSON" + where,
                List.of(new FieldError("body", "malformed JSON" + where + ": " + message)));
    }

    /** Jackson's message in words a client can use, without its class and feature names. */
    private static String describe(JacksonException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) return "nested too deeply (at most " + MAX_DEPTH + " levels)";
            if (m.contains("String value length")) return "a string is longer than " + MAX_STRING + " characters";
            if (m.contains("Number value length")) return "a number has more than " + MAX_NUMBER + " digits";
            return "too large";
        }
        if (e instanceof UnexpectedEndOfInputException) return "unexpected end of input (truncated JSON)";
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        for (String cut : new String[]{"`", "[Source", " (start marker", ": enable", "; enable"}) {
            int i = m.indexOf(cut);
            if (i >= 0) m = m.substring(0, i);
        }
        m = m.strip();
        while (m.endsWith(":") || m.endsWith(";") || m.endsWith("(") || m.endsWith(",")) m = m.substring(0, m.length() - 1).strip();
        return m.isEmpty() ? "not valid JSON" : m;
    }
}
