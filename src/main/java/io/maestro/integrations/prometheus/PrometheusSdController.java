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

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        out.write("[");
        boolean[] first = {true};
        selection.forEach(server -> {
            String address = server.address(publicAddress);
            if (address == null) return;
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(address + ":" + port));
            group.put("labels", labels(server));
            try {
                out.write((first[0] ? "" : ",") + Json.write(group));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            first[0] = false;
        });
        out.write("]");
        out.flush();
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
        s.tags().forEach((k, v) -> put(l, "tag_" + sanitise(k), v == null ? "" : v));
        put(l, "applications", commaWrapped(s.applications()));
        put(l, "systems", commaWrapped(s.systems()));
        return l;
    }

    private static void put(Map<String, String> labels, String name, String value) {
        if (value != null) labels.put(PREFIX + name, value);
    }

    /** Label names take [a-zA-Z0-9_]: anything else becomes an underscore. */
    static String sanitise(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    /** {@code ,a,b,} (empty list: no label) so that relabelling can match {@code .*,a,.*}, as Prometheus' own SD does. */
    static String commaWrapped(List<String> values) {
        return values.isEmpty() ? null : "," + String.join(",", values) + ",";
    }
}
