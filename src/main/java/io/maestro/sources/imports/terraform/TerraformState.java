package io.maestro.sources.imports.terraform;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.sources.DatabaseEngines;
import io.maestro.sources.MachineSizes;
import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.ServerFields;
import io.maestro.sources.imports.ImportFormat;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static io.maestro.sources.ServerFields.put;

/**
 * A Terraform state file (format version 4) as observations (sources.md, File imports): managed
 * compute instances of AWS, Google Cloud, Azure, OpenStack and DigitalOcean as servers, RDS
 * instances as databases, AWS load balancers as load balancers; resources inside modules, with
 * {@code count} and {@code for_each}, count. Data sources are ignored, other types skipped and counted.
 * {@code external_id} is the id discovery uses, so a resource seen by both is one record.
 */
@Component
public class TerraformState implements ImportFormat {
    @Override
    public String name() {
        return "terraform";
    }

    @Override
    public Read read(Object file, UUID datacenterId) {
        if (!(file instanceof Map<?, ?> state)) throw ProblemException.badField("body", "must be a Terraform state: a JSON object");
        checkVersion(state.get("version"));
        if (!(state.get("resources") instanceof List<?> resources)) throw ProblemException.badField("resources", "must be a list");
        Read read = new Read();
        StateReader reader = new StateReader(datacenterId, new ImportFormat.Sink() {
            @Override
            public void add(String collection, Observation o) {
                read.add(collection, o);
            }

            @Override
            public void problem(Problem p) {
                read.problems.add(p);
            }

            @Override
            public void skipped(long count) {
                read.skipped += count;
            }
        });
        for (int r = 0; r < resources.size(); r++) {
            if (!(resources.get(r) instanceof Map<?, ?> resource)) throw ProblemException.badField("resources[" + r + "]", "must be an object");
            List<?> instances = resource.get("instances") instanceof List<?> l ? l : List.of();
            for (Object i : instances) reader.instance(resource.get("module"), resource.get("mode"), resource.get("type"), resource.get("name"), i);
        }
        reader.finish();
        return read;
    }

    /**
     * Reads the state as it arrives, one resource instance at a time (a state of 50,000 instances
     * never has to fit in memory as a tree): Terraform writes a resource's module, mode, type and
     * name before its instances; a file that puts them after has that resource's instances kept
     * until its end. Load balancers wait for the end of the file, where every attachment is known.
     */
    @Override
    public void read(InputStream in, UUID datacenterId, Sink sink) throws IOException {
        try (JsonParser p = Json.mapper().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) throw ProblemException.badRequest("The request body is empty", List.of(new FieldError("body", "is required")));
            if (t != JsonToken.START_OBJECT) throw ProblemException.badField("body", "must be a Terraform state: a JSON object");
            StateReader reader = new StateReader(datacenterId, sink);
            Object version = null;
            boolean resources = false;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "version" -> checkVersion(version = Json.readValue(p, "version"));
                    case "resources" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) throw ProblemException.badField("resources", "must be a list");
                        resources = true;
                        for (int r = 0; p.nextToken() != JsonToken.END_ARRAY; r++) resource(p, r, reader);
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw ProblemException.badField("body", "has content after the JSON object");
            checkVersion(version);
            if (!resources) throw ProblemException.badField("resources", "must be a list");
            reader.finish();
        } catch (JacksonException e) {
            throw Json.unreadable(e);
        }
    }

    /** One element of {@code resources}, the parser on its first token. */
    private static void resource(JsonParser p, int r, StateReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) throw ProblemException.badField("resources[" + r + "]", "must be an object");
        Map<String, Object> head = new LinkedHashMap<>();
        List<Object> early = new ArrayList<>(); // instances read before the resource said what it is
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            String path = "resources[" + r + "]." + field;
            switch (field) {
                case "module", "mode", "type", "name" -> head.put(field, Json.readValue(p, path));
                case "instances" -> {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        continue;
                    }
                    boolean known = head.containsKey("mode") && head.containsKey("type") && head.containsKey("name");
                    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                        Object instance = Json.readValue(p, path + "[" + i + "]");
                        if (known) reader.instance(head.get("module"), head.get("mode"), head.get("type"), head.get("name"), instance);
                        else early.add(instance);
                    }
                }
                default -> p.skipChildren();
            }
        }
        for (Object instance : early) reader.instance(head.get("module"), head.get("mode"), head.get("type"), head.get("name"), instance);
    }

    private static void checkVersion(Object version) {
        if (!(version instanceof Number n) || n.intValue() != 4) {
            throw ProblemException.badField("version", "must be 4 (Terraform 0.12 and later write state format 4); got " + version);
        }
    }

    /** One file being read: what it has said so far about load balancers, their listeners and attachments. */
    private final class StateReader {
        private final UUID datacenterId;
        private final Sink sink;
        private final List<Map<String, Object>> balancers = new ArrayList<>();
        private final Map<String, List<String>> attachments = new LinkedHashMap<>();
        private final Map<String, List<String>> listenerGroups = new LinkedHashMap<>();

        StateReader(UUID datacenterId, Sink sink) {
            this.datacenterId = datacenterId;
            this.sink = sink;
        }

        void instance(Object module, Object mode, Object resourceType, Object resourceName, Object i) {
            if (!"managed".equals(mode)) return; // data sources describe what exists elsewhere
            if (!(i instanceof Map<?, ?> instance) || !(instance.get("attributes") instanceof Map<?, ?> attributes)) return;
            String type = String.valueOf(resourceType);
            String address = (module == null ? "" : module + ".") + type + "." + resourceName + index(instance.get("index_key"));
            @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) attributes;
            Resource res = new Resource(address, a, datacenterId, sink);
            switch (type) {
                case "aws_instance" -> server(res, "id", awsInstance(res));
                case "google_compute_instance" -> server(res, "instance_id", googleInstance(res));
                case "azurerm_linux_virtual_machine" -> server(res, "virtual_machine_id", azureVm(res, "Linux"));
                case "azurerm_windows_virtual_machine" -> server(res, "virtual_machine_id", azureVm(res, "Windows"));
                case "openstack_compute_instance_v2" -> server(res, "id", openstack(res));
                case "digitalocean_droplet" -> server(res, "id", droplet(res));
                case "aws_db_instance" -> database(res);
                case "aws_lb", "aws_alb", "aws_elb" -> balancers.add(loadBalancer(res, type));
                case "aws_lb_target_group_attachment", "aws_alb_target_group_attachment" ->
                        attachments.computeIfAbsent(text(a, "target_group_arn"), k -> new ArrayList<>()).add(text(a, "target_id"));
                case "aws_elb_attachment" -> attachments.computeIfAbsent(text(a, "elb"), k -> new ArrayList<>()).add(text(a, "instance"));
                case "aws_lb_listener", "aws_alb_listener" -> listenerGroups.computeIfAbsent(text(a, "load_balancer_arn"), k -> new ArrayList<>())
                        .addAll(targetGroups(a));
                case "aws_lb_target_group", "aws_alb_target_group" -> { } // read through listeners and attachments
                default -> sink.skipped(1);
            }
        }

        /** A load balancer's targets: instances attached to it (classic) or to its target groups (by listener's group ARN). */
        void finish() {
            for (Map<String, Object> lb : balancers) {
                @SuppressWarnings("unchecked") Map<String, Object> values = (Map<String, Object>) lb.get("values");
                List<String> targets = new ArrayList<>();
                List<String> groups = new ArrayList<>();
                for (Object group : (List<?>) lb.get("groups")) groups.add(String.valueOf(group));
                groups.addAll(listenerGroups.getOrDefault((String) lb.get("key"), List.of()));
                for (String group : groups) targets.addAll(attachments.getOrDefault(group, List.of()));
                List<Observation.Link> links = targets.isEmpty() ? List.of() : List.of(new Observation.Link("target_ids", "servers", targets.stream().distinct().toList()));
                sink.add("loadbalancers", new Observation((String) lb.get("key"), values, links, (String) lb.get("address")));
            }
        }
    }

    /** One resource instance being read: its address (for problems and {@code source.address}), attributes and where its values go. */
    private record Resource(String address, Map<String, Object> a, UUID datacenterId, Sink sink) {
        void problem(String field, String message) {
            sink.problem(new Problem(address, field, message));
        }
    }

    /** The target groups a listener forwards to: its default actions' target_group_arn and forward blocks. */
    private static List<String> targetGroups(Map<String, Object> listener) {
        List<String> out = new ArrayList<>();
        for (Object action : list(listener.get("default_action"))) {
            if (!(action instanceof Map<?, ?> act)) continue;
            if (act.get("target_group_arn") instanceof String arn && !arn.isBlank()) out.add(arn);
            for (Object forward : list(act.get("forward"))) {
                if (!(forward instanceof Map<?, ?> f)) continue;
                for (Object group : list(f.get("target_group"))) {
                    if (group instanceof Map<?, ?> g && g.get("arn") instanceof String arn) out.add(arn);
                }
            }
        }
        return out;
    }

    private static String index(Object key) {
        if (key == null) return "";
        return key instanceof Number n ? "[" + n.longValue() + "]" : "[\"" + key + "\"]";
    }

    private static void server(Resource r, String idAttribute, Map<String, Object> s) {
        String id = text(r.a, idAttribute) != null ? text(r.a, idAttribute) : text(r.a, "id");
        if (id == null) {
            r.problem("external_id", "the resource has no " + idAttribute + ": skipped");
            return;
        }
        if (r.datacenterId != null) {
            @SuppressWarnings("unchecked") Map<String, Object> dc = (Map<String, Object>) s.computeIfAbsent("datacenter", k -> new LinkedHashMap<>());
            dc.put("id", r.datacenterId.toString());
            dc.put("instance_id", id);
        } else {
            s.remove("datacenter"); // zone and region belong to a datacenter; without one they are not kept
        }
        r.sink.add("servers", new Observation(id, s, List.of(), r.address));
    }

    private static Map<String, Object> awsInstance(Resource r) {
        Map<String, String> tags = tags(r.a.get("tags"));
        String nameTag = ServerFields.tag(tags, "Name");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hostname", ServerFields.validHostname(nameTag) ? nameTag : text(r.a, "private_dns") != null ? text(r.a, "private_dns") : text(r.a, "id"));
        s.put("name", nameTag != null ? nameTag : text(r.a, "id"));
        put(s, "ipv4_private", text(r.a, "private_ip"));
        put(s, "ipv4_public", text(r.a, "public_ip"));
        size(r, s, "instance_type", MachineSizes::aws);
        s.put("os", Map.of("base", "windows".equalsIgnoreCase(text(r.a, "platform")) ? "Windows" : "Linux"));
        String zone = text(r.a, "availability_zone");
        zone(s, zone == null ? null : zone.substring(0, zone.length() - 1), zone);
        List<Map<String, Object>> storage = new ArrayList<>();
        for (Object d : list(r.a.get("root_block_device"))) storage.add(disk(d, "device_name", "volume_size", true, "/dev/root"));
        for (Object d : list(r.a.get("ebs_block_device"))) storage.add(disk(d, "device_name", "volume_size", false, null));
        if (!storage.isEmpty()) s.put("storage", storage);
        if (text(r.a, "key_name") != null) s.put("auth", List.of(Map.of("name", text(r.a, "key_name"), "type", "PKI")));
        ServerFields.tags(s, tags);
        return s;
    }

    private static Map<String, Object> googleInstance(Resource r) {
        Map<String, Object> s = new LinkedHashMap<>();
        String name = text(r.a, "name");
        s.put("hostname", ServerFields.validHostname(text(r.a, "hostname")) ? text(r.a, "hostname") : name);
        s.put("name", name);
        Map<?, ?> nic = first(r.a.get("network_interface"));
        if (nic != null) {
            put(s, "ipv4_private", nic.get("network_ip"));
            Map<?, ?> access = first(nic.get("access_config"));
            if (access != null) put(s, "ipv4_public", access.get("nat_ip"));
        }
        size(r, s, "machine_type", MachineSizes::gcp);
        String zone = text(r.a, "zone");
        zone(s, zone == null || zone.lastIndexOf('-') < 0 ? null : zone.substring(0, zone.lastIndexOf('-')), zone);
        List<Map<String, Object>> storage = new ArrayList<>();
        Map<?, ?> boot = first(r.a.get("boot_disk"));
        Map<?, ?> init = boot == null ? null : first(boot.get("initialize_params"));
        if (boot != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            put(root, "name", boot.get("device_name") != null ? boot.get("device_name") : "boot");
            if (init != null && init.get("size") instanceof Number n) root.put("size_gb", n.intValue());
            root.put("root", true);
            storage.add(root);
        }
        for (Object d : list(r.a.get("attached_disk"))) storage.add(disk(d, "device_name", null, false, null));
        if (!storage.isEmpty()) s.put("storage", storage);
        ServerFields.tags(s, tags(r.a.get("labels")));
        return s;
    }

    private static Map<String, Object> azureVm(Resource r, String os) {
        Map<String, Object> s = new LinkedHashMap<>();
        String name = text(r.a, "name");
        String computer = text(r.a, "computer_name");
        s.put("hostname", ServerFields.validHostname(computer) ? computer : name);
        s.put("name", name);
        put(s, "ipv4_private", text(r.a, "private_ip_address"));
        put(s, "ipv4_public", text(r.a, "public_ip_address"));
        size(r, s, "size", MachineSizes::azure);
        s.put("os", Map.of("base", os));
        String zone = text(r.a, "zone");
        zone(s, text(r.a, "location"), zone == null ? null : text(r.a, "location") + "-" + zone);
        Map<?, ?> disk = first(r.a.get("os_disk"));
        if (disk != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            put(root, "name", disk.get("name") != null ? disk.get("name") : "os");
            if (disk.get("disk_size_gb") instanceof Number n) root.put("size_gb", n.intValue());
            root.put("root", true);
            s.put("storage", List.of(root));
        }
        if (text(r.a, "admin_username") != null) s.put("auth", List.of(Map.of("name", text(r.a, "admin_username"), "type", "PKI")));
        ServerFields.tags(s, tags(r.a.get("tags")));
        return s;
    }

    private static Map<String, Object> openstack(Resource r) {
        Map<String, Object> s = new LinkedHashMap<>();
        String name = text(r.a, "name");
        s.put("hostname", ServerFields.validHostname(name) ? name : text(r.a, "id"));
        s.put("name", name);
        put(s, "ipv4_private", text(r.a, "access_ip_v4"));
        size(r, s, "flavor_name", MachineSizes::openstack);
        zone(s, text(r.a, "region"), text(r.a, "availability_zone"));
        if (text(r.a, "key_pair") != null) s.put("auth", List.of(Map.of("name", text(r.a, "key_pair"), "type", "PKI")));
        ServerFields.tags(s, tags(r.a.get("metadata")));
        return s;
    }

    private static Map<String, Object> droplet(Resource r) {
        Map<String, Object> s = new LinkedHashMap<>();
        String name = text(r.a, "name");
        s.put("hostname", ServerFields.validHostname(name) ? name : text(r.a, "id"));
        s.put("name", name);
        put(s, "ipv4_private", text(r.a, "ipv4_address_private"));
        put(s, "ipv4_public", text(r.a, "ipv4_address"));
        size(r, s, "size", MachineSizes::digitalocean);
        zone(s, text(r.a, "region"), null);
        if (r.a.get("disk") instanceof Number n) s.put("storage", List.of(Map.of("name", "disk", "size_gb", n.intValue(), "root", true)));
        Map<String, String> tags = new LinkedHashMap<>();
        for (Object t : list(r.a.get("tags"))) { // DigitalOcean tags are words; key:value words are read as such
            String word = String.valueOf(t);
            int colon = word.indexOf(':');
            tags.put(colon > 0 ? word.substring(0, colon) : word, colon > 0 ? word.substring(colon + 1) : "");
        }
        ServerFields.tags(s, tags);
        return s;
    }

    private static void database(Resource r) {
        String key = text(r.a, "resource_id");
        if (key == null) {
            r.problem("external_id", "the aws_db_instance has no resource_id (DbiResourceId): skipped");
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", text(r.a, "identifier") != null ? text(r.a, "identifier") : text(r.a, "id"));
        d.put("engine", DatabaseEngines.of(text(r.a, "engine")));
        put(d, "engine_version", text(r.a, "engine_version"));
        Map<String, Object> spec = new LinkedHashMap<>();
        put(spec, "endpoint", text(r.a, "address"));
        if (r.a.get("port") instanceof Number n) spec.put("port", n.intValue());
        if (!spec.isEmpty()) d.put("spec", spec);
        d.put("mode", Boolean.TRUE.equals(r.a.get("multi_az")) ? "Master/Replica" : "Single instance");
        if (r.datacenterId != null) d.put("datacenter_ids", List.of(r.datacenterId.toString()));
        r.sink.add("databases", new Observation(key, d, List.of(), r.address));
    }

    /** A load balancer's values, key and the target groups (or, classic, itself) its attachments name. */
    private static Map<String, Object> loadBalancer(Resource r, String type) {
        Map<String, Object> lb = new LinkedHashMap<>();
        String arn = text(r.a, "arn") != null ? text(r.a, "arn") : text(r.a, "id");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", text(r.a, "name") != null ? text(r.a, "name") : arn);
        String kind = type.equals("aws_elb") ? "classic" : text(r.a, "load_balancer_type");
        values.put("service", "network".equals(kind) ? "AWS NLB" : "classic".equals(kind) ? "AWS ELB" : "AWS ALB");
        if (text(r.a, "dns_name") != null) values.put("spec", Map.of("endpoint", text(r.a, "dns_name")));
        lb.put("address", r.address);
        lb.put("key", arn);
        lb.put("values", values);
        List<Object> groups = new ArrayList<>();
        groups.add(type.equals("aws_elb") ? text(r.a, "id") : arn);
        lb.put("groups", groups);
        return lb;
    }

    private static void size(Resource r, Map<String, Object> s, String attribute, Function<String, Optional<MachineSizes.Size>> table) {
        String type = text(r.a, attribute);
        if (type == null) return;
        Optional<MachineSizes.Size> size = table.apply(type);
        if (size.isEmpty()) {
            r.problem("cpu", "machine type " + type + " is not in Maestro's table: cpu and memory left out");
            return;
        }
        s.put("cpu", size.get().cpu());
        s.put("memory", size.get().memory());
    }

    private static void zone(Map<String, Object> s, String region, String zone) {
        Map<String, Object> dc = new LinkedHashMap<>();
        put(dc, "region", region);
        put(dc, "zone", zone);
        s.put("datacenter", dc);
    }

    private static Map<String, Object> disk(Object d, String nameKey, String sizeKey, boolean root, String fallbackName) {
        Map<String, Object> e = new LinkedHashMap<>();
        Map<?, ?> m = d instanceof Map<?, ?> map ? map : Map.of();
        put(e, "name", m.get(nameKey) != null ? m.get(nameKey) : fallbackName);
        if (sizeKey != null && m.get(sizeKey) instanceof Number n) e.put("size_gb", n.intValue());
        e.put("root", root);
        return e;
    }

    private static Map<String, String> tags(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
        return out;
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    private static Map<?, ?> first(Object v) {
        return v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m ? m : null;
    }

    private static String text(Map<String, Object> a, String key) {
        Object v = a.get(key);
        return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
    }
}
