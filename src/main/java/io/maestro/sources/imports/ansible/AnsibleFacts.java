package io.maestro.sources.imports.ansible;

import io.maestro.core.ProblemException;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Reconciler;
import io.maestro.sources.ServerFields;
import io.maestro.sources.imports.ImportFormat;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.maestro.sources.ServerFields.put;

/**
 * Ansible facts as the {@code setup} module returns them (sources.md, File imports): one host's
 * file ({@code {"ansible_facts": {...}}}, as {@code ansible -m setup --tree DIR} writes it) or an
 * object of host name → that. Servers are matched by hostname within the team: exactly one match,
 * else a conflict, never a guess.
 */
@Component
public class AnsibleFacts implements ImportFormat {
    @Override
    public String name() {
        return "ansible";
    }

    @Override
    public Reconciler.Match match() {
        return Reconciler.Match.HOSTNAME;
    }

    @Override
    public Read read(Object file, UUID datacenterId) {
        if (!(file instanceof Map<?, ?> root)) throw ProblemException.badField("body", "must be Ansible facts: a JSON object");
        Read read = new Read();
        if (root.containsKey("ansible_facts")) {
            host(read, "body", root.get("ansible_facts"), datacenterId);
        } else {
            if (root.isEmpty()) throw ProblemException.badField("ansible_facts", "is missing: the file holds no host's facts");
            for (Map.Entry<?, ?> e : root.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> hostFile) || !hostFile.containsKey("ansible_facts")) {
                    throw ProblemException.badField(e.getKey() + ".ansible_facts", "is missing: each host maps to {\"ansible_facts\": {...}}");
                }
                host(read, String.valueOf(e.getKey()), hostFile.get("ansible_facts"), datacenterId);
            }
        }
        return read;
    }

    private static void host(Read read, String where, Object value, UUID datacenterId) {
        if (!(value instanceof Map<?, ?> raw)) throw ProblemException.badField(where + ".ansible_facts", "must be an object");
        @SuppressWarnings("unchecked") Map<String, Object> f = (Map<String, Object>) raw;
        String hostname = text(f, "ansible_fqdn");
        if (!ServerFields.validHostname(hostname) || "localhost".equals(hostname) || hostname.startsWith("localhost.")) hostname = text(f, "ansible_hostname");
        if (!ServerFields.validHostname(hostname)) {
            read.problems.add(new Problem(where, "hostname", "neither ansible_fqdn nor ansible_hostname is a valid hostname: skipped"));
            return;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hostname", hostname);
        if (f.get("ansible_default_ipv4") instanceof Map<?, ?> ipv4) put(s, "ipv4_private", ipv4.get("address"));
        Map<String, Object> os = new LinkedHashMap<>();
        put(os, "base", text(f, "ansible_system"));
        put(os, "dist", text(f, "ansible_distribution"));
        put(os, "version", text(f, "ansible_distribution_version"));
        if (!os.isEmpty()) s.put("os", os);
        if (f.get("ansible_processor_vcpus") instanceof Number n) s.put("cpu", n.intValue());
        if (f.get("ansible_memtotal_mb") instanceof Number n) s.put("memory", Math.round(n.doubleValue() / 1024 * 100) / 100.0);
        List<Map<String, Object>> storage = new ArrayList<>();
        if (f.get("ansible_mounts") instanceof List<?> mounts) {
            for (Object m : mounts) {
                if (!(m instanceof Map<?, ?> mount) || !(mount.get("mount") instanceof String point)) continue;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", point);
                if (mount.get("size_total") instanceof Number size) e.put("size_gb", (int) Math.round(size.doubleValue() / 1e9));
                e.put("root", "/".equals(point));
                storage.add(e);
            }
        }
        if (!storage.isEmpty()) s.put("storage", storage);
        if (datacenterId != null) s.put("datacenter", Map.of("id", datacenterId.toString()));
        read.add("servers", new Observation(hostname, s));
    }

    private static String text(Map<String, Object> f, String key) {
        Object v = f.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v).strip();
    }
}
