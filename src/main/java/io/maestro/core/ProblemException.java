package io.maestro.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answered as application/problem+json (RFC 9457). Thrown anywhere; the
 * {@link ApiExceptionHandler} renders it. Extra members (e.g. {@code existing_id}) go in {@link #extra}.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException badField(String field, String message) {
        return badRequest(field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "Not found", what + " not found");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public ProblemException with(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    public int status() { return status; }
    public String title() { return title; }
    public List<FieldError> errors() { return errors; }
    public Map<String, Object> extra() { return extra; }
}
