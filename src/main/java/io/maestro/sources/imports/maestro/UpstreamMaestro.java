package io.maestro.sources.imports.maestro;

import io.maestro.core.ProblemException;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.imports.ImportFormat.Read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An upstream Maestro Server file: its MongoDB collections as top-level arrays of documents, with
 * upstream's field names (domain.md; the user guide). Mapped as follows:
 * <ul>
 * <li>{@code datacenters}: name, provider, regions, zones (names);</li>
 * <li>{@code clients}: name, description, contacts, tags;</li>
 * <li>{@code systems} (or {@code system}): name, description, {@code clients} → client_ids,
 * {@code entry} → entry_application_ids;</li>
 * <li>{@code servers}: hostname (else name), IPs, os, cpu, memory, role, environment, storage
 * ({@code size} → size_gb, {@code device_name} → device, {@code ftype} → filesystem), datacenter
 * from {@code datacenters} ({@code _id} → id, region, zone, {@code instance_id} — else
 * {@code unique_id}), auth, services, tags; {@code applications} (what runs on it) → the
 * server_ids of those applications, databases and load balancers;</li>
 * <li>{@code applications} by {@code family}: Application → applications (language, cluster,
 * role, deploy, {@code system} → system_ids, {@code deps} → dependencies with {@code endpoint} as
 * the protocol); Database → databases ({@code provider}/{@code modal} → engine, {@code type} →
 * category, {@code cluster} → mode (Oracle: oracle.mode; MySQL family: mysql.topology),
 * {@code role} → spec, {@code datacenters} → datacenter_ids, Oracle's storage_types, asm_groups,
 * dataguard and pdbs → oracle.cdbs); Loadbalance → load balancers ({@code provider} → service,
 * {@code role} → spec, {@code targets} → target_ids); other families are skipped and counted.
 * Top-level {@code databases} and {@code loadbalancers} arrays are read the same way.</li>
 * </ul>
 * Records are keyed by {@code _id} (a string or {@code {"$oid": ...}}; a record without one by its
 * hostname or name), and refer to each other by those keys.
 */
final class UpstreamMaestro {
    /** Upstream collections that hold nothing Maestro keeps (yet): skipped and counted. */
    private static final Set<String> UNMAPPED = Set.of("volumes", "snapshots", "images", "flavors", "flavors_public", "networks",
            "connections", "reports", "events", "schedulers", "teams", "users", "projects", "architectures", "graphs", "adminer",
            "audit", "services");
    private static final List<String> MAPPED = List.of("datacenters", "clients", "systems", "system", "servers", "applications",
            "databases", "loadbalancers");

    /** Upstream's own option labels where Maestro's differ (its deploy types, languages). */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("continuos integration (ci)", "CI"), Map.entry("continuous integration (ci)", "CI"),
            Map.entry("continuos deployment (cd)", "CD"), Map.entry("continuous deployment (cd)", "CD"),
            Map.entry("git (github, bibucket)", "Git"), Map.entry("git (github, bitbucket)", "Git"),
            Map.entry("openjdk (java)", "Java"), Map.entry("javascript (single page application)", "JavaScript/Node.js"),
            Map.entry("avaliable", "Available"));

    Read read(Map<String, Object> root, UUID datacenterId) {
        for (String key : root.keySet()) {
            if (!MAPPED.contains(key) && !UNMAPPED.contains(key)) {
                throw ProblemException.badField(key, "is no collection of a Maestro file: expected " + String.join(", ", MAPPED)
                        + " (or Maestro's own export, which starts with maestro_export)");
            }
        }
        if (root.keySet().stream().noneMatch(MAPPED::contains)) {
            throw ProblemException.badField("body", "holds no collection Maestro imports: expected " + String.join(", ", MAPPED));
        }
        Read read = new Read();
        Map<String, List<Map<String, Object>>> docs = new LinkedHashMap<>();
        for (String key : root.keySet()) {
            if (UNMAPPED.contains(key)) {
                if (!(root.get(key) instanceof List<?> l)) throw ProblemException.badField(key, "must be an array of records");
                read.skipped += l.size();
                continue;
            }
            docs.put(key.equals("system") ? "systems" : key, records(key, root.get(key), read));
        }
        // upstream keeps what runs where on the server: applications, databases and load balancers get server_ids from it
        Map<String, List<String>> serversOf = new LinkedHashMap<>();
        for (Map<String, Object> s : docs.getOrDefault("servers", List.of())) {
            String serverKey = key(s, "hostname");
            for (Map<String, Object> app : refs(s.get("applications"))) {
                String appKey = key(app, "name");
                if (serverKey != null && appKey != null) serversOf.computeIfAbsent(appKey, k -> new ArrayList<>()).add(serverKey);
            }
        }
        docs.getOrDefault("datacenters", List.of()).forEach(d -> datacenter(d, read));
        docs.getOrDefault("clients", List.of()).forEach(d -> client(d, read));
        docs.getOrDefault("systems", List.of()).forEach(d -> system(d, read));
        docs.getOrDefault("servers", List.of()).forEach(d -> server(d, datacenterId, read));
        docs.getOrDefault("applications", List.of()).forEach(d -> {
            String family = d.get("family") instanceof String f ? f.toLowerCase(Locale.ROOT) : "application";
            switch (family) {
                case "application" -> application(d, serversOf, read);
                case "database" -> database(d, serversOf, read);
                case "loadbalance", "loadbalancer" -> loadBalancer(d, serversOf, read);
                default -> read.skipped++;
            }
        });
        docs.getOrDefault("databases", List.of()).forEach(d -> database(d, serversOf, read));
        docs.getOrDefault("loadbalancers", List.of()).forEach(d -> loadBalancer(d, serversOf, read));
        return read;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(String collection, Object value, Read read) {
        if (!(value instanceof List<?> list)) throw ProblemException.badField(collection, "must be an array of records");
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            } else {
                read.problems.add(new Problem(collection + "[" + i + "]", null, "must be a JSON object (a record): skipped"));
                read.skipped++;
            }
        }
        return out;
    }

    /** A record's key: its {@code _id} (a string, or MongoDB's {@code {"$oid": ...}}), else its {@code fallback} field. */
    static String key(Map<String, Object> doc, String fallback) {
        Object id = doc.get("_id");
        if (id instanceof Map<?, ?> m && m.get("$oid") != null) id = m.get("$oid");
        if (id instanceof String s && !s.isBlank()) return s.strip();
        if (id instanceof Number n) return n.toString();
        Object alt = doc.get(fallback);
        if (alt == null && !fallback.equals("name")) alt = doc.get("name");
        return alt instanceof String s && !s.isBlank() ? s.strip() : null;
    }

    /** An upstream reference list ({@code [{_id, name}]}, or one such object): the objects. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> refs(Object v) {
        if (v instanceof Map<?, ?> m) return List.of((Map<String, Object>) m);
        if (!(v instanceof List<?> l)) return List.of();
        return l.stream().filter(Map.class::isInstance).map(x -> (Map<String, Object>) x).toList();
    }

    private static List<String> refKeys(Object v) {
        return refs(v).stream().map(r -> key(r, "name")).filter(java.util.Objects::nonNull).distinct().toList();
    }

    private static String keyOrProblem(Map<String, Object> d, String collection, String fallback, Read read) {
        String key = key(d, fallback);
        if (key == null) {
            read.problems.add(new Problem(collection, "_id", "a record without _id or " + fallback + ": skipped"));
            read.skipped++;
        }
        return key;
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String... fields) {
        for (String f : fields) {
            if (from.get(f) != null) to.put(f, label(from.get(f)));
        }
    }

    private static Object label(Object v) {
        return v instanceof String s ? LABELS.getOrDefault(s.strip().toLowerCase(Locale.ROOT), s) : v;
    }

    private static Object text(Object v) {
        return v instanceof Number n ? n.toString() : v;
    }

    private static void datacenter(Map<String, Object> d, Read read) {
        String key = keyOrProblem(d, "datacenters", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "provider", "description");
        if (d.get("regions") instanceof List<?> regions) v.put("regions", regions.stream().distinct().toList());
        if (d.get("zones") instanceof List<?> zones) {
            v.put("zones", zones.stream().distinct().map(z -> z instanceof String s ? Map.of("name", s) : z).toList());
        }
        read.add("datacenters", new Observation(key, v));
    }

    private static void client(Map<String, Object> d, Read read) {
        String key = keyOrProblem(d, "clients", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "description", "tags");
        if (d.get("contacts") instanceof List<?> contacts) {
            v.put("contacts", refs(contacts).stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                copy(c, m, "channel", "value");
                return m;
            }).toList());
        }
        read.add("clients", new Observation(key, v));
    }

    private static void system(Map<String, Object> d, Read read) {
        String key = keyOrProblem(d, "systems", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "description", "tags");
        List<Observation.Link> links = new ArrayList<>();
        links.add(new Observation.Link("client_ids", "clients", refKeys(d.get("clients"))));
        // entry points that are applications (upstream lets any family be one; Maestro's are applications)
        List<String> entries = refs(d.get("entry")).stream()
                .filter(e -> !(e.get("family") instanceof String f) || f.equalsIgnoreCase("application"))
                .map(e -> key(e, "name")).filter(java.util.Objects::nonNull).toList();
        links.add(new Observation.Link("entry_application_ids", "applications", entries));
        read.add("systems", new Observation(key, v, links));
    }

    private static void server(Map<String, Object> d, UUID datacenterId, Read read) {
        String key = keyOrProblem(d, "servers", "hostname", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("hostname", d.get("hostname") != null ? d.get("hostname") : d.get("name"));
        copy(d, v, "name", "ipv4_private", "ipv4_public", "cpu", "memory", "role", "environment", "description", "tags");
        if (d.get("os") instanceof Map<?, ?> os) {
            Map<String, Object> o = new LinkedHashMap<>();
            for (String f : List.of("base", "dist", "version")) if (os.get(f) != null) o.put(f, text(os.get(f)));
            v.put("os", o);
        }
        if (d.get("storage") instanceof List<?> storage) {
            v.put("storage", refs(storage).stream().map(UpstreamMaestro::storage).toList());
        }
        List<Observation.Link> links = new ArrayList<>();
        List<Map<String, Object>> dcs = refs(d.get("datacenters"));
        Map<String, Object> placement = new LinkedHashMap<>();
        Object instance = null;
        if (!dcs.isEmpty()) {
            Map<String, Object> dc = dcs.get(0);
            String dcKey = key(dc, "name");
            if (dcKey != null) links.add(new Observation.Link("datacenter.id", "datacenters", List.of(dcKey)));
            if (first(dc.get("region")) != null) placement.put("region", first(dc.get("region")));
            if (first(dc.get("zone")) != null) placement.put("zone", first(dc.get("zone")));
            instance = dc.get("instance_id");
        } else if (datacenterId != null) {
            placement.put("id", datacenterId.toString());
        }
        if (instance == null) instance = d.get("unique_id");
        if (instance != null) placement.put("instance_id", text(instance));
        if (!placement.isEmpty()) v.put("datacenter", placement);
        if (d.get("auth") instanceof List<?> auth) {
            v.put("auth", refs(auth).stream().map(a -> {
                Map<String, Object> m = new LinkedHashMap<>();
                copy(a, m, "name", "type", "username");
                return m;
            }).toList());
        }
        if (d.get("services") instanceof List<?> services) {
            v.put("services", refs(services).stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                copy(s, m, "name", "status");
                if (s.get("version") != null) m.put("version", text(s.get("version")));
                return m;
            }).toList());
        }
        read.add("servers", new Observation(key, v, links));
    }

    private static Object first(Object v) {
        if (v instanceof List<?> l) return l.isEmpty() ? null : l.get(0);
        return v;
    }

    private static Map<String, Object> storage(Map<String, Object> s) {
        Map<String, Object> m = new LinkedHashMap<>();
        copy(s, m, "name", "mount");
        if (s.get("size") != null) m.put("size_gb", s.get("size"));
        if (s.get("device_name") != null) m.put("device", s.get("device_name"));
        if (s.get("ftype") != null) m.put("filesystem", s.get("ftype"));
        Object root = s.get("root");
        if (root instanceof Boolean b) m.put("root", b);
        else if (root instanceof String r && List.of("true", "yes", "1").contains(r.strip().toLowerCase(Locale.ROOT))) m.put("root", true);
        else if (root instanceof String r && List.of("false", "no", "0", "").contains(r.strip().toLowerCase(Locale.ROOT))) m.put("root", false);
        return m;
    }

    private static void application(Map<String, Object> d, Map<String, List<String>> serversOf, Read read) {
        String key = keyOrProblem(d, "applications", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "description", "environment", "language", "cluster", "tags");
        if (d.get("role") instanceof Map<?, ?> role) v.put("role", role);
        if (d.get("deploy") instanceof List<?> deploy) {
            v.put("deploy", refs(deploy).stream().map(x -> {
                Map<String, Object> m = new LinkedHashMap<>();
                copy(x, m, "type", "provider", "notes");
                return m;
            }).toList());
        }
        List<Observation.Link> links = new ArrayList<>();
        links.add(new Observation.Link("system_ids", "systems", refKeys(d.get("system"))));
        links.add(new Observation.Link("server_ids", "servers", serversOf.getOrDefault(key, List.of())));
        List<String> targets = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> dep : refs(d.get("deps"))) {
            String target = key(dep, "name");
            if (target == null || !seen.add(target)) continue;
            targets.add(target);
            protocols.add(dep.get("endpoint") instanceof String p ? p : null);
        }
        links.add(new Observation.Link("dependencies", List.of("applications", "databases", "loadbalancers"), targets, protocols));
        read.add("applications", new Observation(key, v, links));
    }

    private static void database(Map<String, Object> d, Map<String, List<String>> serversOf, Read read) {
        String key = keyOrProblem(d, "databases", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "description", "environment", "tags");
        String engine = engine(d);
        if (engine != null) v.put("engine", engine);
        if (d.get("type") != null) v.put("category", label(d.get("type")));
        Object version = d.get("version") != null ? d.get("version") : d.get("engine_version");
        if (version != null) v.put("engine_version", text(version));
        if (d.get("role") instanceof Map<?, ?> role) v.put("spec", role);
        Object cluster = d.get("cluster");
        if ("Oracle".equals(engine)) {
            Map<String, Object> oracle = new LinkedHashMap<>();
            if (d.get("storage_types") != null) oracle.put("storage", d.get("storage_types"));
            if (cluster != null) oracle.put("mode", cluster);
            if (d.get("asm_groups") instanceof List<?> groups) {
                oracle.put("asm_groups", refs(groups).stream().map(g -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    copy(g, m, "name");
                    if (g.get("size") != null) m.put("size_gb", g.get("size"));
                    return m;
                }).toList());
            }
            // the guide's "CDBs run in this database" are upstream's pdbs: [{name}]
            if (d.get("pdbs") instanceof List<?> cdbs) {
                oracle.put("cdbs", refs(cdbs).stream().filter(c -> c.get("name") != null).map(c -> Map.of("name", c.get("name"))).toList());
            }
            if (d.get("dataguard") != null) oracle.put("dataguard", d.get("dataguard"));
            v.put("oracle", oracle);
        } else if (List.of("MySQL", "MariaDB", "Aurora", "Percona").contains(engine)) {
            if (cluster != null) v.put("mysql", Map.of("topology", cluster));
        } else if (cluster != null) {
            v.put("mode", cluster);
        }
        List<Observation.Link> links = new ArrayList<>();
        links.add(new Observation.Link("system_ids", "systems", refKeys(d.get("system"))));
        links.add(new Observation.Link("server_ids", "servers", serversOf.getOrDefault(key, List.of())));
        links.add(new Observation.Link("datacenter_ids", "datacenters", refKeys(d.get("datacenters"))));
        read.add("databases", new Observation(key, v, links));
    }

    /** The engine: {@code engine} when given, else from {@code modal} (oracle, mysql) or the {@code provider} upstream names. */
    static String engine(Map<String, Object> d) {
        if (d.get("engine") instanceof String e && !e.isBlank()) return e.strip();
        String modal = d.get("modal") instanceof String m ? m.toLowerCase(Locale.ROOT) : "";
        String provider = d.get("provider") instanceof String p ? p.strip() : "";
        String p = provider.toLowerCase(Locale.ROOT);
        if (modal.equals("oracle") || p.contains("oracle")) return "Oracle";
        if (p.contains("aurora")) return "Aurora";
        if (p.contains("mariadb")) return "MariaDB";
        if (p.contains("percona")) return "Percona";
        if (modal.equals("mysql") || p.contains("mysql")) return "MySQL";
        if (p.contains("postgre")) return "PostgreSQL";
        if (p.contains("mongo")) return "MongoDB";
        if (p.contains("redis")) return "Redis";
        if (p.contains("sql server") || p.contains("mssql")) return "SQL Server";
        if (p.contains("cassandra")) return "Cassandra";
        return provider.isEmpty() ? null : provider;
    }

    private static void loadBalancer(Map<String, Object> d, Map<String, List<String>> serversOf, Read read) {
        String key = keyOrProblem(d, "loadbalancers", "name", read);
        if (key == null) return;
        Map<String, Object> v = new LinkedHashMap<>();
        copy(d, v, "name", "description", "environment", "tags");
        Object service = d.get("service") != null ? d.get("service") : d.get("provider");
        if (service != null) v.put("service", service);
        if (d.get("role") instanceof Map<?, ?> role) {
            Map<String, Object> spec = new LinkedHashMap<>();
            role.forEach((k, x) -> spec.put("healthcheck".equals(k) ? "health_check" : String.valueOf(k), x));
            v.put("spec", spec);
        }
        List<Observation.Link> links = new ArrayList<>();
        links.add(new Observation.Link("system_ids", "systems", refKeys(d.get("system"))));
        links.add(new Observation.Link("server_ids", "servers", serversOf.getOrDefault(key, List.of())));
        links.add(new Observation.Link("target_ids", List.of("servers", "applications"), refKeys(d.get("targets")), null));
        read.add("loadbalancers", new Observation(key, v, links));
    }
}
