package io.maestro.integrations.prometheus;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.integrations.Address;
import io.maestro.integrations.ServerFeed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/integrations/prometheus}: Prometheus HTTP service discovery
 * ({@code http_sd_configs}), one target group per readable server with the chosen address,
 * labelled {@code __meta_maestro_*}. Streamed as the servers are read, in a constant number of
 * statements; {@code If-None-Match} with the last ETag answers 304 without reading the servers.
 */
@RestController
@Tag(name = "integrations")
public class PrometheusSdController {
    static final String PREFIX = "__meta_maestro_";
    private static final Set<String> OWN = Set.of("port", "address");
    private static final Pattern NOT_LABEL = Pattern.compile("[^a-zA-Z0-9_]");

    private final ServerFeed feed;
    private final CallerProvider callers;

    public PrometheusSdController(ServerFeed feed, CallerProvider callers) {
        this.feed = feed;
        this.callers = callers;
    }

    @GetMapping(path = "/api/v1/integrations/prometheus", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Prometheus http_sd_configs targets: port (default 9100), address=private|public and any server list filter")
    public void targets(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int port = port(request.getParameter("port"));
        boolean publicAddress = Address.isPublic(request.getParameter("address"));
        ServerFeed.Selection selection = feed.select(request.getParameterMap(), OWN, callers.current());
        if (new ServletWebRequest(request, response).checkNotModified(selection.etag())) return;
        response.setHeader(HttpHeaders.ETAG, selection.etag());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Map<String, String> labelNames = new HashMap<>();
        try (JsonGenerator out = Json.mapper().createGenerator(response.getOutputStream())) {
            out.writeStartArray();
            selection.forEach(server -> {
                String address = server.address(publicAddress);
                if (address == null) return;
                out.writeStartObject();
                out.writeName("targets");
                out.writeStartArray();
                out.writeString(address + ":" + port);
                out.writeEndArray();
                out.writeName("labels");
                out.writePOJO(labels(server, labelNames));
                out.writeEndObject();
            });
            out.writeEndArray();
        }
    }

    static int port(String value) {
        if (value == null || value.isBlank()) return 9100;
        try {
            int p = Integer.parseInt(value.strip());
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.badField("port", "must be a number from 1 to 65535");
    }

    /** Label values are strings; missing values are left out (Prometheus treats an empty label as absent). */
    static Map<String, String> labels(ServerFeed.Server s) {
        return labels(s, new HashMap<>());
    }

    /** {@code tagLabels}: the label name of each tag key seen so far (keys repeat across servers; sanitising is a regex). */
    static Map<String, String> labels(ServerFeed.Server s, Map<String, String> tagLabels) {
        Map<String, String> l = new LinkedHashMap<>();
        put(l, "id", s.id().toString());
        put(l, "hostname", s.hostname());
        put(l, "environment", s.environment());
        put(l, "role", s.role());
        put(l, "os_base", s.osBase());
        put(l, "os_dist", s.osDist());
        put(l, "os_version", s.osVersion());
        put(l, "team", s.team());
        put(l, "datacenter", s.datacenter());
        put(l, "region", s.region());
        put(l, "zone", s.zone());
        put(l, "ipv4_private", s.ipv4Private());
        put(l, "ipv4_public", s.ipv4Public());
        s.tags().forEach((k, v) -> put(l, tagLabels.computeIfAbsent(k, key -> "tag_" + sanitise(key)), v == null ? "" : v));
        put(l, "applications", commaWrapped(s.applications()));
        put(l, "systems", commaWrapped(s.systems()));
        return l;
    }

    private static void put(Map<String, String> labels, String name, String value) {
        if (value != null) labels.put(PREFIX + name, value);
    }

    /** Label names take [a-zA-Z0-9_]: anything else becomes an underscore. */
    static String sanitise(String name) {
        return NOT_LABEL.matcher(name).replaceAll("_");
    }

    /** {@code ,a,b,} (empty list: no label) so that relabelling can match {@code .*,a,.*}, as Prometheus' own SD does. */
    static String commaWrapped(List<String> values) {
        return values.isEmpty() ? null : "," + String.join(",", values) + ",";
    }
}
