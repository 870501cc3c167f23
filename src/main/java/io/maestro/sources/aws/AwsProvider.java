package io.maestro.sources.aws;

import io.maestro.sources.Observation;
import io.maestro.sources.Problem;
import io.maestro.sources.Provider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Provider {@code aws}: EC2 instances become servers ({@link Ec2Servers}), RDS DB instances databases
 * ({@link RdsDatabases}), ELBv2 load balancers load balancers ({@link ElbLoadBalancers}). Listed in the
 * order a run reads them: servers first, so load balancers find the servers their targets are.
 */
@Component
public class AwsProvider implements Provider {
    /** Instances per describe-instances page: AWS allows 5 to 1000 (tests use small pages to read several). */
    private final int ec2PageSize;
    private final AwsClients clients;

    AwsProvider(@Value("${maestro.discovery.aws.ec2-page-size:1000}") int ec2PageSize,
                @Value("${maestro.discovery.call-timeout:5m}") Duration callTimeout) {
        if (ec2PageSize < 5 || ec2PageSize > 1000) {
            throw new IllegalArgumentException("maestro.discovery.aws.ec2-page-size must be between 5 and 1000, not " + ec2PageSize);
        }
        if (callTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("maestro.discovery.call-timeout must be at least 1s, not " + callTimeout);
        }
        this.ec2PageSize = ec2PageSize;
        this.clients = new AwsClients(callTimeout);
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public List<String> resources() {
        return List.of("servers", "databases", "loadbalancers");
    }

    @Override
    public boolean knownRegion(String region) {
        return Region.regions().stream().anyMatch(r -> r.id().equals(region) && !r.isGlobalRegion());
    }

    @Override
    public Check test(Target target, List<String> regions) {
        String region = regions.isEmpty() ? "us-east-1" : regions.get(0);
        try (Ec2Client ec2 = clients.ec2(target, region)) {
            int n = ec2.describeRegions().regions().size();
            return new Check(true, "Reached EC2 in " + region + (target.endpointUrl() == null ? "" : " at " + target.endpointUrl())
                    + ": " + n + " regions available to these credentials");
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            boolean refused = e.statusCode() == 401 || e.statusCode() == 403 || (code != null && code.startsWith("Auth"));
            return new Check(false, (refused ? "The credentials were refused: " : "EC2 answered with an error: ")
                    + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()));
        } catch (SdkClientException e) {
            return new Check(false, "Could not reach EC2 in " + region + ": " + e.getMessage());
        }
    }

    @Override
    public void read(Target target, String resource, String region, Consumer<List<Observation>> page, Consumer<Problem> problems) {
        switch (resource) {
            case "servers" -> {
                try (Ec2Client ec2 = clients.ec2(target, region)) {
                    new Ec2Servers(ec2, region, target.datacenterId(), ec2PageSize).read(page, problems);
                }
            }
            case "databases" -> {
                try (var rds = clients.rds(target, region)) {
                    new RdsDatabases(rds, target.datacenterId()).read(page);
                }
            }
            case "loadbalancers" -> {
                try (var elb = clients.elb(target, region)) {
                    new ElbLoadBalancers(elb).read(page, problems);
                }
            }
            default -> throw new IllegalArgumentException("aws does not read " + resource + " yet");
        }
    }
}
