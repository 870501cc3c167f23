package io.maestro.core;

/** One bad input field: its path in the request (e.g. {@code storage[1].size_gb}) and what is wrong. */
public record FieldError(String field, String message) {
}
