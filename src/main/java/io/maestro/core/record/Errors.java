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
