package io.maestro.core;

import java.util.UUID;

/** Record ids in URLs. */
public final class Ids {
    private Ids() {
    }

    /** An id from a URL; text that is no id names nothing, so it answers the same 404 as an unknown id. */
    public static UUID parse(String text, String what) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what);
        }
    }
}
