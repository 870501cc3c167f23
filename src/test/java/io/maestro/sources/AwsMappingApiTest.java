package io.maestro.sources;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS mapping beyond single-region EC2 (sources.md, "AWS → Maestro"), against a real moto
 * server seeded with the AWS SDK and checked through Maestro's HTTP API: ELBv2 load balancers with
 * their registered targets as servers, instances in two regions over several pages, a region that
 * fails while the other answers, and observations with bad values.
 */
class AwsMappingApiTest extends ApiTest {
    static final String PASSWORD = "a-long-password-1";
    private static MotoServer moto;

    private String ops;
    private String datacenter;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) moto.close();
    }

    @BeforeEach
    void freshAccountsAndCloud() throws Exception {
        moto.reset();
        onlyTheAdmin();
        assertThat(admin().post("/users", Map.of("username", "dora", "password", PASSWORD)).status()).isEqualTo(201);
        ops = dora().post("/teams", Map.of("name", "ops")).id();
        datacenter = dora().post("/datacenters", Map.of("name", "aws", "team_id", ops, "regions", List.of("us-east-1", "eu-west-1"))).id();
        assertThat(datacenter).isNotNull();
    }

    Client dora() {
        return as("dora", PASSWORD);
    }

    private String connection(String endpoint, List<String> regions, List<String> resources) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "aws-map", "provider", "aws", "team_id", ops, "datacenter_id", datacenter,
                "regions", regions, "credentials", Map.of("access_key_id", "AKIATEST", "secret_access_key", "map-secret-0123456789"),
                "endpoint_url", endpoint, "stale_after", "PT0S"));
        if (resources != null) body.put("resources", resources);
        Response r = dora().post("/connections", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.id();
    }

    /** Starts a run and waits (bounded) until it ends; returns the finished run. */
    private Map<String, Object> run(String connection) {
        Response started = dora().post("/connections/" + connection + "/runs", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String location = URI.create(started.header("Location")).getPath();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            Response r = dora().get(location);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            String status = (String) r.body().get("status");
            if (!status.equals("queued") && !status.equals("running")) return r.body();
            assertThat(Instant.now()).as("run still " + status + " at the deadline: " + r).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static String ami(Ec2Client ec2) {
        return ec2.describeImages(b -> b.owners("amazon")).images().stream()
                .filter(i -> i.platform() == null && i.rootDeviceName() != null).findFirst().map(i -> i.imageId()).orElse("ami-12c6146b");
    }

    private static String launch(Ec2Client ec2, Consumer<software.amazon.awssdk.services.ec2.model.RunInstancesRequest.Builder> more, Tag... tags) {
        String ami = ami(ec2);
        return ec2.runInstances(b -> {
            b.imageId(ami).instanceType(InstanceType.T2_MICRO).minCount(1).maxCount(1);
            if (tags.length > 0) b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
            more.accept(b);
        }).instances().get(0).instanceId();
    }

    private Map<String, Object> server(String instanceId) {
        Response r = dora().get("/servers?datacenter.instance_id=" + instanceId);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.items()).as(r.toString()).hasSize(1);
        return r.items().get(0);
    }

    private Map<String, Object> loadBalancer(String arn) {
        Response r = dora().get("/loadbalancers?external_id=" + arn);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.items()).as(r.toString()).hasSize(1);
        return r.items().get(0);
    }

    private long changes(String kind) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_change WHERE kind = ?", Long.class, kind);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> counts(Map<String, Object> run) {
        return (Map<String, Object>) run.get("counts");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> problems(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("problems");
    }

    @Test
    @SuppressWarnings("unchecked")
    void loadBalancersBecomeRecordsWithTheirRegisteredInstancesAsTargets() {
        Ec2Client ec2 = moto.ec2("us-east-1");
        ElasticLoadBalancingV2Client elb = moto.elb("us-east-1");
        String vpc = ec2.describeVpcs().vpcs().get(0).vpcId();
        List<String> subnets = ec2.describeSubnets(b -> b.filters(f -> f.name("vpc-id").values(vpc))).subnets().stream()
                .map(s -> s.subnetId()).limit(2).toList();
        String web1 = launch(ec2, b -> { }, tag("Name", "web-1"));
        String web2 = launch(ec2, b -> { }, tag("Name", "web-2"));
        String web3 = launch(ec2, b -> { }, tag("Name", "web-3"));
        LoadBalancer alb = elb.createLoadBalancer(b -> b.name("web-alb").subnets(subnets).type(LoadBalancerTypeEnum.APPLICATION)).loadBalancers().get(0);
        LoadBalancer nlb = elb.createLoadBalancer(b -> b.name("tcp-nlb").subnets(subnets).type(LoadBalancerTypeEnum.NETWORK)).loadBalancers().get(0);
        String group = elb.createTargetGroup(b -> b.name("web-tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(vpc).targetType(TargetTypeEnum.INSTANCE))
                .targetGroups().get(0).targetGroupArn();
        elb.registerTargets(b -> b.targetGroupArn(group).targets(t -> t.id(web1), t -> t.id(web2), t -> t.id(web3)));
        elb.createListener(b -> b.loadBalancerArn(alb.loadBalancerArn()).protocol(ProtocolEnum.HTTP).port(80)
                .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(group)));
        // moto refuses to register a stopped instance: registered first, then stopped (a stopped target is still a target)
        ec2.stopInstances(b -> b.instanceIds(web3));

        // load balancers listed first: a run still reads servers first, so the targets are records to point at
        String conn = connection(moto.url, List.of("us-east-1"), List.of("loadbalancers", "servers"));
        Map<String, Object> first = run(conn);
        assertThat(first.get("status")).as(first.toString()).isEqualTo("succeeded");
        assertThat(counts(first)).containsEntry("seen", 5).containsEntry("created", 5).containsEntry("failed", 0);

        List<Object> targets = List.of(server(web1).get("id"), server(web2).get("id"), server(web3).get("id"));
        Map<String, Object> a = loadBalancer(alb.loadBalancerArn());
        assertThat(a).containsEntry("name", "web-alb").containsEntry("service", "AWS ALB").containsEntry("team_id", ops)
                .containsEntry("external_id", alb.loadBalancerArn()).containsEntry("stale", false).containsEntry("drift", List.of());
        assertThat((Map<String, Object>) a.get("spec")).containsEntry("endpoint", alb.dnsName());
        assertThat((List<Object>) a.get("target_ids")).containsExactlyInAnyOrderElementsOf(targets);
        assertThat((Map<String, Object>) a.get("source")).containsEntry("type", "discovery").containsEntry("name", "aws-map").containsEntry("id", conn);
        assertThat(a.get("last_seen_at")).isNotNull();
        Map<String, Object> n = loadBalancer(nlb.loadBalancerArn());
        assertThat(n).containsEntry("name", "tcp-nlb").containsEntry("service", "AWS NLB").containsEntry("target_ids", List.of());
        assertThat((Map<String, Object>) n.get("spec")).containsEntry("endpoint", nlb.dnsName());
        // the relation reads from the server's side too
        Response web1Page = dora().get("/servers/" + targets.get(0));
        assertThat(web1Page.text()).contains(a.get("id").toString());

        // nothing changed → nothing written, for load balancers as for servers
        long before = changes("loadbalancers");
        Map<String, Object> second = run(conn);
        assertThat(second.get("status")).isEqualTo("succeeded");
        assertThat(counts(second)).containsEntry("unchanged", 5).containsEntry("created", 0).containsEntry("updated", 0);
        assertThat(changes("loadbalancers")).isEqualTo(before);
        assertThat(loadBalancer(alb.loadBalancerArn())).containsEntry("version", a.get("version"));

        // a target deregistered in AWS leaves target_ids at the next run
        elb.deregisterTargets(b -> b.targetGroupArn(group).targets(t -> t.id(web2)));
        Map<String, Object> third = run(conn);
        assertThat(counts(third)).containsEntry("updated", 1);
        assertThat((List<Object>) loadBalancer(alb.loadBalancerArn()).get("target_ids")).containsExactlyInAnyOrder(targets.get(0), targets.get(2));

        // a load balancer deleted in AWS goes stale, never deleted
        elb.deleteLoadBalancer(b -> b.loadBalancerArn(nlb.loadBalancerArn()));
        Map<String, Object> fourth = run(conn);
        assertThat(counts(fourth)).containsEntry("stale", 1);
        assertThat(loadBalancer(nlb.loadBalancerArn())).containsEntry("stale", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void instancesInTwoRegionsOverSeveralPagesAndARegionFailingMarksNothingStale() throws Exception {
        Ec2Client east = moto.ec2("us-east-1");
        Ec2Client west = moto.ec2("eu-west-1");
        // seven reservations in us-east-1: the tests read pages of 5 (maestro.discovery.aws.ec2-page-size), so two pages
        List<String> eastIds = new ArrayList<>();
        for (int i = 0; i < 7; i++) eastIds.add(launch(east, b -> { }, tag("Name", "east-" + i)));
        String westA = launch(west, b -> { }, tag("Name", "west-a"));
        String westB = launch(west, b -> { }, tag("Name", "west-b"));

        try (MotoServer.Gate gate = moto.gate()) {
            String conn = connection(gate.url, List.of("us-east-1", "eu-west-1"), List.of("servers"));
            Map<String, Object> first = run(conn);
            assertThat(first.get("status")).as(first.toString()).isEqualTo("succeeded");
            assertThat(counts(first)).containsEntry("seen", 9).containsEntry("created", 9);
            for (String id : eastIds) assertThat((Map<String, Object>) server(id).get("datacenter")).containsEntry("region", "us-east-1");
            Map<String, Object> w = server(westA);
            assertThat(w).containsEntry("hostname", "west-a");
            assertThat((Map<String, Object>) w.get("datacenter")).containsEntry("id", datacenter).containsEntry("region", "eu-west-1");
            assertThat(((Map<String, Object>) w.get("datacenter")).get("zone").toString()).startsWith("eu-west-1");
            assertThat(dora().get("/servers?datacenter.region=eu-west-1").items()).hasSize(2);

            // one instance gone from each region, and eu-west-1 refusing: the run is partial and marks nothing stale
            east.terminateInstances(b -> b.instanceIds(eastIds.get(0)));
            west.terminateInstances(b -> b.instanceIds(westB));
            gate.closed.add("eu-west-1");
            Map<String, Object> partial = run(conn);
            assertThat(partial.get("status")).as(partial.toString()).isEqualTo("partial");
            assertThat(counts(partial)).containsEntry("seen", 6).containsEntry("stale", 0);
            assertThat(problems(partial)).anySatisfy(p -> assertThat(p).containsEntry("resource", "eu-west-1")
                    .extractingByKey("message").asString().contains("eu-west-1", "not authorized"));
            assertThat(server(eastIds.get(0))).containsEntry("stale", false).containsEntry("missing_since", null);
            assertThat(server(westB)).containsEntry("stale", false).containsEntry("missing_since", null);
            assertThat(dora().get("/servers?stale=true").items()).isEmpty();

            // both regions answering again: a complete run marks the two stale
            gate.closed.clear();
            Map<String, Object> complete = run(conn);
            assertThat(complete.get("status")).as(complete.toString()).isEqualTo("succeeded");
            assertThat(counts(complete)).containsEntry("seen", 7).containsEntry("stale", 2);
            assertThat(dora().get("/servers?stale=true").items()).extracting(s -> ((Map<String, Object>) s.get("datacenter")).get("instance_id"))
                    .containsExactlyInAnyOrder(eastIds.get(0), westB);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void badObservedValuesAreLeftOutAndReportedWithTheResource() {
        Ec2Client ec2 = moto.ec2("us-east-1");
        // moto stores what it is given: an address that is no IPv4 address, a 300-character Name, an environment no list knows
        String odd = launch(ec2, b -> b.privateIpAddress("999.1.2.3"), tag("Name", "n".repeat(300)), tag("Environment", "moon-base"));
        String fine = launch(ec2, b -> { }, tag("Name", "fine-1"), tag("Environment", "prod"));
        String conn = connection(moto.url, List.of("us-east-1"), List.of("servers"));
        Map<String, Object> run = run(conn);
        assertThat(run.get("status")).as(run.toString()).isEqualTo("succeeded");
        assertThat(counts(run)).containsEntry("created", 2).containsEntry("failed", 0);
        List<Map<String, Object>> problems = problems(run);
        for (String field : List.of("ipv4_private", "name", "environment")) {
            assertThat(problems).as(field).anySatisfy(p -> assertThat(p).containsEntry("resource", odd).containsEntry("field", field)
                    .extractingByKey("message").asString().isNotBlank());
        }
        assertThat(problems).noneSatisfy(p -> assertThat(p).containsEntry("resource", fine));

        // written without the bad fields, with the good ones
        Map<String, Object> s = server(odd);
        assertThat(s).containsEntry("ipv4_private", null).containsEntry("environment", null).containsEntry("cpu", 1)
                .containsEntry("external_id", odd);
        assertThat((String) s.get("name")).isNotEqualTo("n".repeat(300));
        assertThat((List<Map<String, Object>>) s.get("storage")).singleElement().satisfies(v -> assertThat(v).containsEntry("root", true));
        assertThat((String) s.get("hostname")).isNotEqualTo("n".repeat(300));
        assertThat(server(fine)).containsEntry("environment", "Production").containsEntry("name", "fine-1");

        // the next run reports them again and writes nothing new
        long before = changes("servers");
        Map<String, Object> again = run(conn);
        assertThat(counts(again)).containsEntry("unchanged", 2).containsEntry("updated", 0);
        assertThat(problems(again)).anySatisfy(p -> assertThat(p).containsEntry("resource", odd).containsEntry("field", "ipv4_private"));
        assertThat(changes("servers")).isEqualTo(before);
    }
}
