package io.maestro.integrations.ansible;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/integrations/ansible}: the JSON {@code ansible-inventory --list} expects
 * (what a dynamic inventory script prints), with every server the caller may read that matches
 * the server list filters, grouped by {@code group_by}. Host variables are streamed as the
 * servers are read; the groups (host names only) follow.
 */
@RestController
@Tag(name = "integrations", description = "Ansible dynamic inventory, Prometheus service discovery")
public class AnsibleInventoryController {
    /** The groupings and the default ones. */
    static final List<String> GROUPINGS = List.of("environment", "role", "os", "datacenter", "region", "zone", "system", "application", "tag");
    static final List<String> DEFAULT_GROUPS = List.of("environment", "role", "os", "datacenter", "system", "application");
    private static final Set<String> OWN = Set.of("group_by", "address");
    private static final Pattern NOT_SAFE = Pattern.compile("[^a-z0-9_]+");
    private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");

    private final ServerFeed feed;
    private final CallerProvider callers;

    public AnsibleInventoryController(ServerFeed feed, CallerProvider callers) {
        this.feed = feed;
        this.callers = callers;
    }

    @GetMapping(path = "/api/v1/integrations/ansible", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ansible dynamic inventory (ansible-inventory --list JSON): group_by, address=private|public and any server list filter")
    public void inventory(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<String> groupBy = groupBy(request.getParameterValues("group_by"));
        boolean publicAddress = Address.isPublic(request.getParameter("address"));
        ServerFeed.Selection selection = feed.select(request.getParameterMap(), OWN, callers.current());
        if (new ServletWebRequest(request, response).checkNotModified(selection.etag())) return;
        response.setHeader(HttpHeaders.ETAG, selection.etag());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Map<String, List<String>> groups = new TreeMap<>();
        List<String> ungrouped = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Map<String, String> safeNames = new HashMap<>();
        try (JsonGenerator out = Json.mapper().createGenerator(response.getOutputStream())) {
            out.writeStartObject();
            out.writeName("_meta");
            out.writeStartObject();
            out.writeName("hostvars");
            out.writeStartObject();
            selection.forEach(server -> {
                String host = hostName(server, taken);
                Set<String> memberOf = groupsOf(server, groupBy, safeNames);
                memberOf.forEach(g -> groups.computeIfAbsent(g, k -> new ArrayList<>()).add(host));
                if (memberOf.isEmpty()) ungrouped.add(host);
                out.writeName(host);
                writeHostVars(out, server, publicAddress);
            });
            out.writeEndObject();
            out.writeEndObject();
            List<String> children = new ArrayList<>();
            children.add("ungrouped");
            children.addAll(groups.keySet());
            out.writeName("all");
            out.writePOJO(Map.of("children", children));
            out.writeName("ungrouped");
            out.writePOJO(Map.of("hosts", ungrouped));
            for (Map.Entry<String, List<String>> g : groups.entrySet()) {
                out.writeName(g.getKey());
                out.writePOJO(Map.of("hosts", g.getValue()));
            }
            out.writeEndObject();
        }
    }

    /** {@code group_by=a,b} or repeated; absent: the defaults; empty: no groups. */
    static List<String> groupBy(String[] values) {
        if (values == null) return DEFAULT_GROUPS;
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                String g = part.strip();
                if (g.isEmpty()) continue;
                if (!GROUPINGS.contains(g)) {
                    throw ProblemException.badField("group_by", "unknown grouping '" + (g.length() > 40 ? g.substring(0, 40) + "..." : g)
                            + "'; allowed: " + String.join(", ", GROUPINGS));
                }
                if (!out.contains(g)) out.add(g);
            }
        }
        return out;
    }

    /** The hostname; a hostname already listed (any case) gets the start of the record id, so each name stays the same between runs. */
    static String hostName(ServerFeed.Server server, Set<String> taken) {
        String name = server.hostname();
        if (!taken.add(name.toLowerCase())) {
            name = name + "-" + server.id().toString().substring(0, 8);
            if (!taken.add(name.toLowerCase())) name = server.hostname() + "-" + server.id();
            taken.add(name.toLowerCase());
        }
        return name;
    }

    static Set<String> groupsOf(ServerFeed.Server s, List<String> groupBy) {
        return groupsOf(s, groupBy, new HashMap<>());
    }

    /** {@code names}: each value's group name seen so far (values repeat across servers; making them safe is a regex). */
    static Set<String> groupsOf(ServerFeed.Server s, List<String> groupBy, Map<String, String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : groupBy) {
            switch (g) {
                case "environment" -> add(out, g, s.environment(), names);
                case "role" -> add(out, g, s.role(), names);
                case "os" -> add(out, g, s.osBase(), names);
                case "datacenter" -> add(out, g, s.datacenter(), names);
                case "region" -> add(out, g, s.region(), names);
                case "zone" -> add(out, g, s.zone(), names);
                case "system" -> s.systems().forEach(v -> add(out, g, v, names));
                case "application" -> s.applications().forEach(v -> add(out, g, v, names));
                case "tag" -> s.tags().forEach((k, v) -> add(out, g, v == null ? k : k + "_" + v, names));
                default -> throw new IllegalStateException(g);
            }
        }
        return out;
    }

    private static void add(Set<String> out, String prefix, String value, Map<String, String> names) {
        if (value == null) return;
        String name = names.computeIfAbsent(prefix + "\u0000" + value, k -> {
            String safe = safe(value);
            return safe.isEmpty() ? "" : prefix + "_" + safe;
        });
        if (!name.isEmpty()) out.add(name);
    }

    /** Ansible-safe: lower case, runs of anything but [a-z0-9_] as one underscore, none at the ends. */
    static String safe(String value) {
        return EDGE_UNDERSCORES.matcher(NOT_SAFE.matcher(value.toLowerCase(java.util.Locale.ROOT)).replaceAll("_")).replaceAll("");
    }

    /** A host's variables, written straight to the answer (at 100,000 hosts a map per host costs a third of the time). */
    static void writeHostVars(JsonGenerator out, ServerFeed.Server s, boolean publicAddress) {
        out.writeStartObject();
        String address = s.address(publicAddress);
        if (address != null) out.writeStringProperty("ansible_host", address);
        out.writeStringProperty("maestro_id", s.id().toString());
        out.writeStringProperty("maestro_hostname", s.hostname());
        out.writeStringProperty("maestro_environment", s.environment());
        out.writeStringProperty("maestro_role", s.role());
        out.writeName("maestro_os");
        out.writeStartObject();
        out.writeStringProperty("base", s.osBase());
        out.writeStringProperty("dist", s.osDist());
        out.writeStringProperty("version", s.osVersion());
        out.writeEndObject();
        out.writeName("maestro_datacenter");
        out.writeStartObject();
        out.writeStringProperty("name", s.datacenter());
        out.writeStringProperty("region", s.region());
        out.writeStringProperty("zone", s.zone());
        out.writeEndObject();
        out.writeStringProperty("maestro_team", s.team());
        out.writeStringProperty("maestro_ipv4_private", s.ipv4Private());
        out.writeStringProperty("maestro_ipv4_public", s.ipv4Public());
        out.writeName("maestro_tags");
        out.writeStartObject();
        s.tags().forEach(out::writeStringProperty);
        out.writeEndObject();
        out.writeName("maestro_applications");
        strings(out, s.applications());
        out.writeName("maestro_systems");
        strings(out, s.systems());
        out.writeEndObject();
    }

    private static void strings(JsonGenerator out, List<String> values) {
        out.writeStartArray();
        for (String v : values) out.writeString(v);
        out.writeEndArray();
    }
}
