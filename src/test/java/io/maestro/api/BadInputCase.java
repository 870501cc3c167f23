package io.maestro.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One case of the bad-input corpus: a request and what it must get. Paths and bodies may name
 * the fixtures of {@link BadInputApiTest} with placeholders ({@code $srv}, {@code $dc} ...,
 * {@code $rnd} for an id no record has). A body is JSON text (written with ' for "), raw
 * bytes, a {@link Chunked} stream, or {@link #GET_BODY} (the target record as read).
 */
final class BadInputCase {
    /** Body placeholder: the record at the path, as GET returns it (GET-edit-PUT). */
    static final String GET_BODY = "<GET>";

    /** A body sent without Content-Length (chunked), to test limits that cannot trust the header. */
    record Chunked(byte[] bytes) {
    }

    final String name;
    final String method;
    final String path;
    Object body;
    String contentType;
    int status = 400;
    final Set<String> fields = new LinkedHashSet<>();
    boolean exactFields = true;
    final List<String> headers = new ArrayList<>();
    /** Sent over a plain socket: the request line is one no HTTP client library would send. */
    boolean socket;

    private BadInputCase(String name, String method, String path, Object body) {
        this.name = name;
        this.method = method;
        this.path = path;
        this.body = body;
        this.contentType = body == null ? null : method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
    }

    static BadInputCase of(String name, String method, String path, Object body) {
        return new BadInputCase(name, method, path, body instanceof String s && !s.equals(GET_BODY) ? j(s) : body);
    }

    /** Raw text, sent exactly as written (no ' to " conversion). */
    static BadInputCase raw(String name, String method, String path, String body) {
        return new BadInputCase(name, method, path, body);
    }

    /** JSON written with single quotes, for legibility: {'a':'b'} → {"a":"b"}. */
    static String j(String text) {
        return text.replace('\'', '"');
    }

    /** Expected error fields: exactly these (the default), or {@link #atLeast} them. */
    BadInputCase fields(String... names) {
        fields.addAll(List.of(names));
        return this;
    }

    BadInputCase atLeast(String... names) {
        exactFields = false;
        return fields(names);
    }

    BadInputCase status(int s) {
        status = s;
        return this;
    }

    BadInputCase type(String t) {
        contentType = t;
        return this;
    }

    BadInputCase header(String name, String value) {
        headers.add(name);
        headers.add(value);
        return this;
    }

    BadInputCase socket() {
        socket = true;
        return this;
    }

    boolean succeeds() {
        return status < 300;
    }

    /** The kind's collection, from the path: /servers/$srv → servers. */
    String collection() {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int end = p.indexOf('/');
        int q = p.indexOf('?');
        if (end < 0 || (q >= 0 && q < end)) end = q;
        return end < 0 ? p : p.substring(0, end);
    }

    /** The id placeholder of the target record, for PUT/PATCH/GET on /kind/{id}. */
    String target() {
        String[] parts = path.split("[/?]");
        return parts.length > 2 && parts[2].startsWith("$") ? parts[2] : null;
    }

    @Override
    public String toString() {
        return method + " " + path + " — " + name;
    }
}
