package io.maestro.sources.aws;

import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * ELBv2 load balancers (application and network) of one region as load balancer observations
 * (sources.md, "AWS → Maestro"), keyed by ARN: {@code service} "AWS ALB" or "AWS NLB", the DNS name
 * as {@code spec.endpoint}, and the instances registered in its target groups as a link to the
 * servers discovered from them ({@code target_ids}). Gateway load balancers are not read yet.
 */
final class ElbLoadBalancers {
    private static final Map<LoadBalancerTypeEnum, String> SERVICE = Map.of(
            LoadBalancerTypeEnum.APPLICATION, "AWS ALB", LoadBalancerTypeEnum.NETWORK, "AWS NLB");

    private final ElasticLoadBalancingV2Client elb;

    ElbLoadBalancers(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    void read(Consumer<List<Observation>> page, Consumer<Problem> problems) {
        Map<String, TreeSet<String>> targets = null; // by load balancer ARN, read once the first page has load balancers
        for (DescribeLoadBalancersResponse response : elb.describeLoadBalancersPaginator(b -> b.pageSize(400))) {
            List<LoadBalancer> balancers = response.loadBalancers().stream().filter(lb -> SERVICE.containsKey(lb.type())).toList();
            if (balancers.isEmpty()) continue;
            if (targets == null) targets = targets(problems);
            List<Observation> out = new ArrayList<>();
            for (LoadBalancer lb : balancers) out.add(balancer(lb, targets.getOrDefault(lb.loadBalancerArn(), new TreeSet<>())));
            page.accept(out);
        }
    }

    /**
     * The instance ids registered in each load balancer's target groups: the region's target groups
     * a page at a time, then one describe-target-health per group (the API has no batch form).
     * Targets by IP address or Lambda are not servers Maestro knows by key; they are left out.
     */
    private Map<String, TreeSet<String>> targets(Consumer<Problem> problems) {
        Map<String, TreeSet<String>> out = new HashMap<>();
        for (TargetGroup group : elb.describeTargetGroupsPaginator(b -> b.pageSize(400)).targetGroups()) {
            if (group.loadBalancerArns().isEmpty()) continue;
            if (group.targetType() != null && group.targetType() != TargetTypeEnum.INSTANCE) {
                problems.accept(new Problem(group.targetGroupArn(), "target_ids",
                        "targets of type " + group.targetTypeAsString() + " are not servers; left out"));
                continue;
            }
            List<String> instances = elb.describeTargetHealth(b -> b.targetGroupArn(group.targetGroupArn())).targetHealthDescriptions().stream()
                    .filter(d -> d.target() != null && d.target().id() != null).map(d -> d.target().id()).toList();
            for (String lb : group.loadBalancerArns()) out.computeIfAbsent(lb, k -> new TreeSet<>()).addAll(instances);
        }
        return out;
    }

    private static Observation balancer(LoadBalancer lb, TreeSet<String> instances) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", lb.loadBalancerName());
        d.put("service", SERVICE.get(lb.type()));
        if (lb.dnsName() != null && !lb.dnsName().isBlank()) d.put("spec", Map.of("endpoint", lb.dnsName()));
        // sorted, so an unchanged load balancer compares equal on the next run
        return new Observation(lb.loadBalancerArn(), d, List.of(new Observation.Link("target_ids", "servers", List.copyOf(instances))));
    }
}
