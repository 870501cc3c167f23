package io.maestro.web;

import io.maestro.support.ApiTest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A small inventory with a record of every kind, related both ways, made through the API. */
final class Inventory {
    final Map<String, String> ids = new LinkedHashMap<>();

    static Inventory create(ApiTest.Client api) {
        Inventory inv = new Inventory();
        inv.add(api, "datacenters", "dc", Map.of("name", "aws-east", "provider", "AWS", "regions", List.of("us-east-1", "us-west-2"),
                "zones", List.of(Map.of("name", "us-east-1a", "region", "us-east-1"), Map.of("name", "us-east-1b", "region", "us-east-1"))));
        inv.add(api, "servers", "web01", Map.ofEntries(
                Map.entry("hostname", "web01"), Map.entry("ipv4_private", "10.0.0.11"), Map.entry("ipv4_public", "52.1.2.3"),
                Map.entry("environment", "Production"), Map.entry("os", Map.of("base", "Linux", "dist", "Ubuntu", "version", "22.04")),
                Map.entry("cpu", 4), Map.entry("memory", 16), Map.entry("role", "Application"),
                Map.entry("storage", List.of(Map.of("name", "root", "mount", "/", "size_gb", 40, "root", true),
                        Map.of("name", "data", "mount", "/data", "size_gb", 500))),
                Map.entry("datacenter", Map.of("id", inv.ids.get("dc"), "region", "us-east-1", "zone", "us-east-1a", "instance_id", "i-0abc")),
                Map.entry("auth", List.of(Map.of("name", "ops key", "type", "PKI", "username", "ubuntu", "secret", "-----BEGIN KEY-----"))),
                Map.entry("services", List.of(Map.of("name", "Nginx", "version", "1.24", "status", "Active"))),
                Map.entry("tags", List.of(Map.of("key", "owner", "value", "web-team")))));
        inv.add(api, "servers", "web01b", Map.of("hostname", "WEB01", "ipv4_private", "10.0.0.12", "environment", "Staging",
                "os", Map.of("base", "Linux")));
        inv.add(api, "servers", "db01", Map.of("hostname", "db01", "ipv4_private", "10.0.1.5", "environment", "Development",
                "os", Map.of("base", "Linux", "dist", "Oracle Linux")));
        inv.add(api, "clients", "client", Map.of("name", "ACME Retail", "sla", "99.9% business hours",
                "contacts", List.of(Map.of("channel", "Email", "value", "ops@acme.example"))));
        inv.add(api, "systems", "system", Map.of("name", "Webshop", "description", "Everything that sells",
                "links", List.of(Map.of("name", "Runbook", "url", "https://wiki.example.com/webshop")),
                "client_ids", List.of(inv.ids.get("client"))));
        inv.add(api, "databases", "oracle", Map.of("name", "orders", "engine", "Oracle", "engine_version", "19c", "environment", "Production",
                "category", "relational", "server_ids", List.of(inv.ids.get("db01")), "system_ids", List.of(inv.ids.get("system")),
                "oracle", Map.of("version", "19c", "storage", "asm", "mode", "rac",
                        "asm_groups", List.of(Map.of("name", "DATA", "size_gb", 2048)),
                        "cdbs", List.of(Map.of("name", "CDB1", "pdbs", List.of("ORDERS", "BILLING"))))));
        inv.add(api, "databases", "mysql", Map.of("name", "catalog", "engine", "MySQL", "engine_version", "8.0", "environment", "Staging",
                "mysql", Map.of("topology", "master-slave", "replicas", 2)));
        inv.add(api, "applications", "app", Map.of("name", "shop-frontend", "environment", "Production", "language", "Java",
                "cluster", "12 Factor", "role", Map.of("endpoint", "https://shop.example.com", "health_check", "/health"),
                "server_ids", List.of(inv.ids.get("web01")), "system_ids", List.of(inv.ids.get("system")),
                "deploy", List.of(Map.of("type", "CI", "provider", "GitLab", "notes", "main branch")),
                "dependencies", List.of(Map.of("target_id", inv.ids.get("oracle"), "protocol", "jdbc"))));
        inv.add(api, "loadbalancers", "lb", Map.of("name", "shop-lb", "service", "HAProxy", "environment", "Production",
                "target_ids", List.of(inv.ids.get("web01"), inv.ids.get("app")), "server_ids", List.of(inv.ids.get("web01b")),
                "spec", Map.of("endpoint", "https://shop.example.com", "health_check", "/lb-health")));
        inv.ids.put("service", api.get("/services?q=Nginx").items().get(0).get("id").toString());
        inv.ids.put("provider", api.get("/providers?q=AWS").items().get(0).get("id").toString());
        return inv;
    }

    private void add(ApiTest.Client api, String collection, String key, Map<String, Object> body) {
        ApiTest.Response r = api.post("/" + collection, body);
        assertThat(r.status()).as(collection + " " + r).isEqualTo(201);
        ids.put(key, r.id());
    }
}
