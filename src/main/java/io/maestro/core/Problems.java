package io.maestro.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds RFC 9457 problem bodies; shared by the API handler and the security entry points. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    public static Map<String, Object> body(int status, String title, String detail, List<FieldError> errors,
                                           Map<String, Object> extra, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://maestro.io/problems/" + slug(title));
        body.put("title", title);
        body.put("status", status);
        if (detail != null) body.put("detail", detail);
        if (instance != null) body.put("instance", instance);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors.stream()
                    .map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        if (extra != null) body.putAll(extra);
        return body;
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
