package io.maestro.sources;

/** Something wrong with one observed resource: reported in the run, never stopping it. */
public record Problem(String resource, String field, String message) {
}
