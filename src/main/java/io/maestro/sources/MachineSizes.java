package io.maestro.sources;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vCPUs and memory (GB) of the machine types files name without saying (a Terraform state has
 * {@code instance_type = "m5.xlarge"}, not its size): the one table of them, by cloud. Types it does
 * not know give nothing (the server is written without cpu and memory, and the import says so).
 */
public final class MachineSizes {
    /** vCPUs and memory in GB. */
    public record Size(int cpu, double memory) {
    }

    private static final Pattern AWS = Pattern.compile("([a-z]+)(\\d+)([a-z-]*)\\.(nano|micro|small|medium|large|xlarge|(\\d+)xlarge|metal)");
    private static final Map<String, Size> AWS_BURSTABLE = Map.of("nano", new Size(2, 0.5), "micro", new Size(2, 1), "small", new Size(2, 2),
            "medium", new Size(2, 4), "large", new Size(2, 8), "xlarge", new Size(4, 16), "2xlarge", new Size(8, 32));
    private static final Pattern GCP = Pattern.compile("(e2|n1|n2|n2d|c2|c2d|c3|n4|t2d|m1)-(standard|highmem|highcpu)-(\\d+)");
    private static final Map<String, Size> GCP_SHARED = Map.of("e2-micro", new Size(2, 1), "e2-small", new Size(2, 2), "e2-medium", new Size(2, 4),
            "f1-micro", new Size(1, 0.6), "g1-small", new Size(1, 1.7));
    private static final Pattern AZURE = Pattern.compile("Standard_([DEFA])(\\d+)[a-z]*(_v\\d+)?", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Size> AZURE_B = Map.of("standard_b1ls", new Size(1, 0.5), "standard_b1s", new Size(1, 1),
            "standard_b1ms", new Size(1, 2), "standard_b2s", new Size(2, 4), "standard_b2ms", new Size(2, 8), "standard_b4ms", new Size(4, 16),
            "standard_b8ms", new Size(8, 32), "standard_b12ms", new Size(12, 48), "standard_b16ms", new Size(16, 64));
    private static final Map<String, Size> OPENSTACK = Map.of("m1.tiny", new Size(1, 0.5), "m1.small", new Size(1, 2), "m1.medium", new Size(2, 4),
            "m1.large", new Size(4, 8), "m1.xlarge", new Size(8, 16));
    private static final Pattern DIGITALOCEAN = Pattern.compile("[a-z0-9]+-(\\d+)vcpu-(\\d+)gb.*");

    private MachineSizes() {
    }

    /** EC2 instance types: t-family by table, others by size (large = 2 vCPUs) and family (c 2, m 4, r 8 GB per vCPU). */
    public static Optional<Size> aws(String type) {
        if (type == null) return Optional.empty();
        Matcher m = AWS.matcher(type);
        if (!m.matches() || m.group(4).equals("metal")) return Optional.empty();
        String family = m.group(1);
        String size = m.group(4);
        if (family.equals("t")) return Optional.ofNullable(AWS_BURSTABLE.get(size));
        int cpu = switch (size) {
            case "medium" -> 1;
            case "large" -> 2;
            case "xlarge" -> 4;
            case "nano", "micro", "small" -> 0;
            default -> 4 * Integer.parseInt(m.group(5));
        };
        double perCpu = switch (family) {
            case "c" -> 2;
            case "m", "a" -> 4;
            case "r", "x", "z" -> 8;
            default -> 0;
        };
        return cpu == 0 || perCpu == 0 ? Optional.empty() : Optional.of(new Size(cpu, cpu * perCpu));
    }

    /** Compute Engine machine types: predefined families by their per-vCPU memory. */
    public static Optional<Size> gcp(String type) {
        if (type == null) return Optional.empty();
        String t = type.substring(type.lastIndexOf('/') + 1); // a full URL names the type at its end
        if (GCP_SHARED.containsKey(t)) return Optional.of(GCP_SHARED.get(t));
        Matcher m = GCP.matcher(t);
        if (!m.matches()) return Optional.empty();
        int cpu = Integer.parseInt(m.group(3));
        boolean n1 = m.group(1).equals("n1");
        double perCpu = switch (m.group(2)) {
            case "standard" -> n1 ? 3.75 : 4;
            case "highmem" -> n1 ? 6.5 : 8;
            default -> n1 ? 0.9 : 1;
        };
        return Optional.of(new Size(cpu, Math.round(cpu * perCpu * 100) / 100.0));
    }

    /** Azure VM sizes: B-series by table; A, D, E and F by their vCPU count and family (A 2, D 4, E 8, F 2 GB per vCPU). */
    public static Optional<Size> azure(String size) {
        if (size == null) return Optional.empty();
        Size b = AZURE_B.get(size.toLowerCase());
        if (b != null) return Optional.of(b);
        Matcher m = AZURE.matcher(size);
        if (!m.matches()) return Optional.empty();
        int cpu = Integer.parseInt(m.group(2));
        double perCpu = switch (m.group(1).toUpperCase()) {
            case "E" -> 8;
            case "D" -> 4;
            default -> 2;
        };
        return Optional.of(new Size(cpu, cpu * perCpu));
    }

    /** OpenStack's default flavors. */
    public static Optional<Size> openstack(String flavor) {
        return Optional.ofNullable(flavor == null ? null : OPENSTACK.get(flavor));
    }

    /** DigitalOcean droplet slugs say their size: {@code s-2vcpu-4gb}. */
    public static Optional<Size> digitalocean(String slug) {
        if (slug == null) return Optional.empty();
        if (slug.equals("s-1vcpu-512mb-10gb")) return Optional.of(new Size(1, 0.5));
        Matcher m = DIGITALOCEAN.matcher(slug);
        return m.matches() ? Optional.of(new Size(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))) : Optional.empty();
    }
}
