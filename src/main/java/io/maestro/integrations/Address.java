package io.maestro.integrations;

import io.maestro.core.ProblemException;

/** {@code address=private|public}: which IPv4 address an integration connects to (private by default). */
public final class Address {
    private Address() {
    }

    /** Whether the public address was asked for; anything but private or public is a 400 naming address. */
    public static boolean isPublic(String value) {
        if (value == null || value.isBlank() || value.strip().equals("private")) return false;
        if (value.strip().equals("public")) return true;
        throw ProblemException.badField("address", "must be private or public");
    }
}
