package io.maestro.sources.aws;

import io.maestro.sources.Provider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;

import java.net.URI;
import java.time.Duration;

/**
 * SDK clients for one connection and region: its static credentials, its endpoint when it names
 * one (checked against the allow-list when the connection was saved), the JDK's HTTP client, and
 * the SDK's standard retries with backoff (throttling included).
 */
final class AwsClients {
    private final SdkHttpClient http;
    private final Duration callTimeout;

    /**
     * {@code callTimeout} bounds one API call with its retries, and one answer's wait: a slow
     * endpoint (a busy moto takes over a minute for a page of 1,000 instances) is waited for, not
     * abandoned and asked again; an unreachable one still fails at once on connecting.
     */
    AwsClients(Duration callTimeout) {
        this.callTimeout = callTimeout;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(callTimeout).build();
    }

    Ec2Client ec2(Provider.Target target, String region) {
        var b = Ec2Client.builder();
        configure(b, target, region);
        return b.build();
    }

    RdsClient rds(Provider.Target target, String region) {
        var b = RdsClient.builder();
        configure(b, target, region);
        return b.build();
    }

    ElasticLoadBalancingV2Client elb(Provider.Target target, String region) {
        var b = ElasticLoadBalancingV2Client.builder();
        configure(b, target, region);
        return b.build();
    }

    private void configure(AwsSyncClientBuilder<?, ?> sync, Provider.Target target, String region) {
        sync.httpClient(http);
        var b = (AwsClientBuilder<?, ?>) sync;
        b.region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(target.accessKeyId(), target.secretAccessKey())))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(callTimeout).build());
        if (target.endpointUrl() != null) b.endpointOverride(URI.create(target.endpointUrl()));
    }
}
