package io.maestro.web;

import java.util.Map;

/** Human labels for schema field names; anything not listed is derived from the name. */
final class Labels {
    private Labels() {
    }

    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("hostname", "Hostname"),
            Map.entry("ipv4_private", "Private IPv4"),
            Map.entry("ipv4_public", "Public IPv4"),
            Map.entry("os", "Operating system"),
            Map.entry("os.base", "OS"),
            Map.entry("dist", "Distribution"),
            Map.entry("cpu", "CPU (cores)"),
            Map.entry("memory", "Memory (GB)"),
            Map.entry("size_gb", "Size (GB)"),
            Map.entry("instance_id", "Instance ID"),
            Map.entry("datacenter.id", "Datacenter"),
            Map.entry("system_ids", "Systems"),
            Map.entry("server_ids", "Servers"),
            Map.entry("datacenter_ids", "Datacenters"),
            Map.entry("client_ids", "Clients"),
            Map.entry("target_ids", "Targets"),
            Map.entry("target_id", "Target"),
            Map.entry("entry_application_ids", "Entry applications"),
            Map.entry("engine_version", "Version"),
            Map.entry("sla", "SLA"),
            Map.entry("asm_groups", "ASM disk groups"),
            Map.entry("cdbs", "CDBs"),
            Map.entry("pdbs", "PDBs"),
            Map.entry("dataguard", "Data Guard"),
            Map.entry("goldengate", "GoldenGate"),
            Map.entry("team_id", "Team"),
            Map.entry("url", "URL"),
            Map.entry("health_check", "Health check"),
            Map.entry("server_count", "Servers"),
            Map.entry("filesystem", "File system"),
            Map.entry("oracle", "Oracle"),
            Map.entry("mysql", "MySQL"),
            Map.entry("cluster", "Cluster mode"),
            Map.entry("services", "Services"),
            Map.entry("tags", "Tags"));

    /** Per-kind wording where the same field means something more specific. */
    private static final Map<String, String> BY_KIND = Map.ofEntries(
            Map.entry("loadbalancers:server_ids", "Installed on servers"),
            Map.entry("loadbalancers:service", "Service"),
            Map.entry("databases:mode", "Mode"),
            Map.entry("databases:oracle.mode", "Oracle mode"),
            Map.entry("databases:oracle.version", "Oracle version"),
            Map.entry("databases:oracle.storage", "Storage"),
            Map.entry("databases:mysql.topology", "Topology"),
            Map.entry("systems:owner", "Owner"),
            Map.entry("applications:role", "Role"),
            Map.entry("servers:role", "Server role"));

    /** Label of a field path ({@code os.base}, {@code storage.size_gb}) in a kind. */
    static String field(String collection, String path) {
        String k = BY_KIND.get(collection + ":" + path);
        if (k != null) return k;
        String full = FIELDS.get(path);
        if (full != null) return full;
        String last = path.substring(path.lastIndexOf('.') + 1);
        String byName = FIELDS.get(last);
        return byName != null ? byName : humanize(last);
    }

    /** "Tags" → "tag", "CDBs" → "CDB", "Dependencies" → "dependency", for "Add …" buttons. */
    static String singular(String label) {
        String s = label;
        if (s.endsWith("ies")) s = s.substring(0, s.length() - 3) + "y";
        else if (s.endsWith("s") && !s.endsWith("ss")) s = s.substring(0, s.length() - 1);
        boolean acronym = s.length() > 1 && Character.isUpperCase(s.charAt(1));
        return acronym ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String humanize(String name) {
        String s = name.replace('_', ' ').strip();
        if (s.endsWith(" ids")) s = s.substring(0, s.length() - 4) + "s";
        if (s.endsWith(" id")) s = s.substring(0, s.length() - 3) + " ID";
        s = s.replaceAll("\\bgb\\b", "GB");
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
