package io.maestro.sources.aws;

import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.ServerFields;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Volume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.maestro.sources.ServerFields.put;

/**
 * EC2 instances of one region as server observations (sources.md, "AWS → Maestro"): get a page of
 * instances with their instance types and volumes, transform each into a server document.
 * Terminated instances are not seen; stopped ones are.
 */
final class Ec2Servers {

    private final Ec2Client ec2;
    private final String region;
    private final UUID datacenterId;
    private final int pageSize;
    private final Map<String, InstanceTypeInfo> types = new HashMap<>();

    Ec2Servers(Ec2Client ec2, String region, UUID datacenterId, int pageSize) {
        this.pageSize = pageSize;
        this.ec2 = ec2;
        this.region = region;
        this.datacenterId = datacenterId;
    }

    void read(Consumer<List<Observation>> page, Consumer<Problem> problems) {
        for (DescribeInstancesResponse response : ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().maxResults(pageSize).build())) {
            List<Instance> instances = response.reservations().stream().flatMap(r -> r.instances().stream())
                    .filter(i -> i.state() == null || (i.state().name() != InstanceStateName.TERMINATED && i.state().name() != InstanceStateName.SHUTTING_DOWN))
                    .toList();
            if (instances.isEmpty()) continue;
            loadTypes(instances);
            Map<String, Integer> sizes = volumeSizes(instances);
            List<Observation> out = new ArrayList<>();
            for (Instance i : instances) out.add(server(i, sizes, problems));
            page.accept(out);
        }
    }

    private void loadTypes(List<Instance> instances) {
        List<String> missing = instances.stream().map(Instance::instanceTypeAsString).filter(t -> t != null && !types.containsKey(t)).distinct().toList();
        for (int i = 0; i < missing.size(); i += 100) {
            String[] chunk = missing.subList(i, Math.min(missing.size(), i + 100)).toArray(String[]::new);
            ec2.describeInstanceTypesPaginator(b -> b.instanceTypesWithStrings(chunk))
                    .instanceTypes().forEach(t -> types.put(t.instanceTypeAsString(), t));
        }
    }

    /** Volume sizes by id (block device mappings carry none): one call per 500 volumes. */
    private Map<String, Integer> volumeSizes(List<Instance> instances) {
        List<String> ids = instances.stream().flatMap(i -> i.blockDeviceMappings().stream())
                .filter(m -> m.ebs() != null && m.ebs().volumeId() != null).map(m -> m.ebs().volumeId()).distinct().toList();
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            for (Volume v : ec2.describeVolumes(b -> b.volumeIds(chunk)).volumes()) out.put(v.volumeId(), v.size());
        }
        return out;
    }

    private Observation server(Instance i, Map<String, Integer> sizes, Consumer<Problem> problems) {
        Map<String, String> tags = new LinkedHashMap<>();
        i.tags().forEach(t -> tags.put(t.key(), t.value()));
        String nameTag = ServerFields.tag(tags, "Name");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("hostname", ServerFields.validHostname(nameTag) ? nameTag
                : i.privateDnsName() != null && !i.privateDnsName().isBlank() ? i.privateDnsName() : i.instanceId());
        s.put("name", nameTag != null ? nameTag : i.instanceId());
        put(s, "ipv4_private", i.privateIpAddress());
        put(s, "ipv4_public", i.publicIpAddress());
        InstanceTypeInfo type = types.get(i.instanceTypeAsString());
        if (type != null && type.vCpuInfo() != null) put(s, "cpu", type.vCpuInfo().defaultVCpus());
        if (type != null && type.memoryInfo() != null && type.memoryInfo().sizeInMiB() != null) put(s, "memory", type.memoryInfo().sizeInMiB() / 1024.0);
        if (type == null && i.instanceTypeAsString() != null) {
            problems.accept(new Problem(i.instanceId(), "cpu", "instance type " + i.instanceTypeAsString() + " is unknown to EC2 here"));
        }
        s.put("os", Map.of("base", "windows".equalsIgnoreCase(i.platformAsString()) ? "Windows" : "Linux"));
        Map<String, Object> dc = new LinkedHashMap<>();
        dc.put("id", datacenterId.toString());
        dc.put("region", region);
        if (i.placement() != null) put(dc, "zone", i.placement().availabilityZone());
        dc.put("instance_id", i.instanceId());
        s.put("datacenter", dc);
        List<Map<String, Object>> storage = storage(i, sizes);
        if (!storage.isEmpty()) s.put("storage", storage);
        if (i.keyName() != null && !i.keyName().isBlank()) s.put("auth", List.of(Map.of("name", i.keyName(), "type", "PKI")));
        ServerFields.tags(s, tags); // environment, role and the other tags, as every source maps them
        return new Observation(i.instanceId(), s);
    }

    /** One entry per attached EBS volume; the root device is the one named as such (else the first). */
    private static List<Map<String, Object>> storage(Instance i, Map<String, Integer> sizes) {
        List<InstanceBlockDeviceMapping> mappings = i.blockDeviceMappings().stream().filter(m -> m.ebs() != null)
                .sorted(Comparator.comparing(InstanceBlockDeviceMapping::deviceName, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
        boolean rootNamed = mappings.stream().anyMatch(m -> m.deviceName() != null && m.deviceName().equals(i.rootDeviceName()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int n = 0; n < mappings.size(); n++) {
            InstanceBlockDeviceMapping m = mappings.get(n);
            Map<String, Object> e = new LinkedHashMap<>();
            put(e, "name", m.deviceName());
            Integer size = m.ebs().volumeId() == null ? null : sizes.get(m.ebs().volumeId());
            if (size != null) e.put("size_gb", size);
            e.put("root", rootNamed ? m.deviceName() != null && m.deviceName().equals(i.rootDeviceName()) : n == 0);
            out.add(e);
        }
        return out;
    }
}
