package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of one request, so the client sees them all at once. */
public final class Errors {
    private final List<FieldError> list = new ArrayList<>();

    public void add(String field, String message) {
        list.add(new FieldError(field, message));
    }

    public int size() {
        return list.size();
    }

    /** Whether {@code field} or anything inside it ({@code field.x}, {@code field[0]}) has an error. */
    public boolean has(String field) {
        return list.stream().anyMatch(e -> e.field().equals(field) || e.field().startsWith(field + ".") || e.field().startsWith(field + "["));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<FieldError> list() {
        return list;
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            String detail = list.size() == 1 ? list.get(0).field() + ": " + list.get(0).message()
                    : list.size() + " fields are invalid";
            throw ProblemException.badRequest(detail, list);
        }
    }
}
