package io.maestro.core.access;

/** Resolves the caller of the current request (implemented by identity). */
public interface CallerProvider {
    /** The authenticated caller; answers 401 when there is none. */
    Caller current();
}
