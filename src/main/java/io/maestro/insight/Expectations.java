package io.maestro.insight;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields people expect filled, per kind: the one list completeness is measured against (the
 * quality endpoint, the data quality page and its explanation all read it from here). Names are the
 * API's: a field path ({@code os.base}, {@code datacenter.id}) or a relation ({@code system_ids}).
 */
public final class Expectations {
    private Expectations() {
    }

    public static final Map<String, List<String>> EXPECTED = expected();

    private static Map<String, List<String>> expected() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("servers", List.of("hostname", "ipv4_private", "os.base", "environment", "cpu", "memory", "datacenter.id"));
        m.put("applications", List.of("environment", "language", "system_ids", "server_ids"));
        m.put("databases", List.of("engine", "engine_version", "environment", "server_ids", "system_ids"));
        m.put("loadbalancers", List.of("service", "environment", "target_ids", "system_ids"));
        m.put("datacenters", List.of("provider", "regions"));
        m.put("systems", List.of("description", "owner", "client_ids"));
        m.put("clients", List.of("sla", "contacts"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The expected fields of a collection, empty when it has none (catalog kinds). */
    public static List<String> of(String collection) {
        return EXPECTED.getOrDefault(collection, List.of());
    }
}
