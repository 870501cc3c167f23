package io.maestro.core.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.maestro.core.options.Option.of;

/** The option lists a fresh Maestro starts with (domain.md); admins change them at /api/v1/options. */
final class DefaultOptions {
    private DefaultOptions() {
    }

    static Map<String, List<Option>> all() {
        Map<String, List<Option>> m = new LinkedHashMap<>();
        m.put("environment", List.of(
                of("Production", "Production", "prod", "prd"),
                of("Staging", "Staging", "Stage", "stg"),
                of("Development", "Development", "dev"),
                of("UAT", "UAT", "user acceptance"),
                of("Training", "Training"),
                of("Sandbox", "Sandbox")));
        m.put("server_role", names("Application", "Cache", "Container", "Database", "File", "Loadbalance",
                "Monitoring", "NAT", "Proxy", "SMTP", "VPN", "Standard"));
        m.put("server_type", names("Virtual", "Physical", "Exalogic", "Exadata", "PSeries"));
        m.put("os_base", List.of(of("Linux"), of("Windows"), of("Solaris"), of("FreeBSD"),
                of("MacOS", "macOS", "osx", "Mac OS"), of("AIX")));
        m.put("auth_type", List.of(of("PKI", "PKI (ssh key)", "ssh key", "ssh-key", "ssh"), of("Password"),
                of("AD", "Active Directory"), of("LDAP"), of("SAML")));
        m.put("service_status", names("Active", "Available", "Stopped"));
        // the storage medium, with cloud volume types as aliases (AWS EBS: gp2/gp3/io1/io2 are SSD, st1/sc1/standard are HDD)
        m.put("volume_type", List.of(of("SSD", "SSD", "gp2", "gp3", "io1", "io2"), of("HDD", "HDD", "st1", "sc1", "standard", "magnetic"),
                of("NVMe"), of("Network", "Network", "nfs", "iscsi", "san"), of("Other")));
        m.put("language", List.of(of("Java"), of("JavaScript/Node.js", "JavaScript/Node.js", "JavaScript", "Node.js", "node", "nodejs", "js"),
                of("TypeScript"), of("PHP"), of("Python"), of("Go", "Go", "golang"), of("Ruby"),
                of(".NET", ".NET", "dotnet", "C#"), of("Kotlin"), of("Scala"), of("Rust"), of("C++"),
                of("Elixir"), of("Perl"), of("Other")));
        m.put("cluster_mode", List.of(of("No", "No", "none", "single"), of("Master/Slave", "Master/Slave", "master-slave"),
                of("Master/Master", "Master/Master", "master-master"), of("12 Factor", "12 Factor", "12factor", "twelve-factor"),
                of("ZooKeeper"), of("Leader election", "Leader election", "leader-election")));
        m.put("app_role", names("Application", "Worker", "Jobs", "Testing", "Standard"));
        m.put("deploy_type", names("Git", "CI", "CD", "FTP", "SFTP", "Other"));
        m.put("check_type", names("Public URL", "Private URL", "Admin", "WebSocket", "TCP/IP", "Unix socket", "HealthCheck"));
        m.put("db_engine", List.of(
                of("Oracle", "Oracle", "Oracle Database").withAttrs(Map.of("service", "Oracle Database", "family", "oracle")),
                mysql("MySQL", "MySQL"),
                mysql("MariaDB", "MariaDB"),
                mysql("Aurora", "Amazon Aurora (MySQL)", "Amazon Aurora", "AWS Aurora", "Aurora MySQL"),
                mysql("Percona", "Percona Server", "Percona Server for MySQL"),
                of("PostgreSQL", "PostgreSQL", "postgres", "pg").withAttrs(Map.of("service", "PostgreSQL")),
                of("SQL Server", "SQL Server", "MSSQL", "Microsoft SQL Server").withAttrs(Map.of("service", "SQL Server")),
                of("MongoDB", "MongoDB", "mongo").withAttrs(Map.of("service", "MongoDB")),
                of("Redis").withAttrs(Map.of("service", "Redis")),
                of("Cassandra").withAttrs(Map.of("service", "Cassandra")),
                of("Elasticsearch", "Elasticsearch", "elastic").withAttrs(Map.of("service", "Elasticsearch")),
                of("DB2", "IBM Db2", "Db2").withAttrs(Map.of("service", "DB2")),
                of("Memcached").withAttrs(Map.of("service", "Memcached")),
                of("Neo4j").withAttrs(Map.of("service", "Neo4j")),
                of("InfluxDB").withAttrs(Map.of("service", "InfluxDB")),
                of("DynamoDB", "Amazon DynamoDB").withAttrs(Map.of("service", "DynamoDB")),
                // "Other" is no program: no service is recorded on its servers
                of("Other").withAttrs(Map.of("service", ""))));
        m.put("db_category", List.of(of("relational", "Relational"), of("nosql", "NoSQL"),
                of("in-memory", "In-memory", "in memory", "inmemory"),
                of("distributed-storage", "Distributed storage", "distributed storage"),
                of("document-store", "Document store"), of("key-value", "Key-value"), of("graph", "Graph"),
                of("multi-model", "Multi-model"), of("time-series", "Time series"), of("wide-column", "Wide column"),
                of("search", "Search"), of("object-storage", "Object storage"), of("other", "Other")));
        // domain.md "Database cluster" (the contract does not spell these out, so the names are the values)
        m.put("db_mode", List.of(of("Single instance", "Single instance", "single", "standalone"),
                of("Master/Replica", "Master/Replica", "master-replica", "master-slave", "replica"),
                of("Sharding", "Sharding", "sharded"), of("Clustered", "Clustered", "cluster")));
        m.put("oracle_version", List.of(of("10g"), of("11g"), of("12c", "12c", "12g"), of("18c"), of("19c"), of("21c"), of("23ai", "23ai", "23c")));
        m.put("oracle_storage", List.of(of("local", "Local disk"), of("network", "Network disk", "nfs"), of("asm", "ASM"),
                of("acfs", "ACFS"), of("third-party", "Third party")));
        m.put("oracle_mode", List.of(of("single", "Single instance", "single node"), of("rac", "RAC"), of("grid", "Grid")));
        m.put("dataguard_role", List.of(of("primary", "Primary"), of("physical-standby", "Physical standby"),
                of("logical-standby", "Logical standby")));
        m.put("mysql_topology", List.of(of("standalone", "Standalone", "single"), of("master-slave", "Master/Slave", "master-replica"),
                of("master-master", "Master/Master"), of("cluster", "Group replication / InnoDB Cluster", "innodb-cluster", "group-replication"),
                of("galera", "Galera"), of("aurora", "Aurora cluster")));
        m.put("protocol", List.of(of("rest", "REST"), of("http", "HTTP"), of("graphql", "GraphQL"), of("grpc", "gRPC"),
                of("soap", "SOAP"), of("thrift", "Thrift"), of("websocket", "WebSocket"), of("amqp", "AMQP"),
                of("mqtt", "MQTT"), of("kafka/streams", "Kafka/streams", "kafka", "streams"), of("tcp", "TCP"), of("udp", "UDP"),
                of("jdbc", "JDBC"), of("other", "Other")));
        m.put("channel", List.of(of("Email", "Email", "e-mail", "mail"), of("Phone", "Phone", "telephone"), of("Slack"),
                of("MS Teams", "MS Teams", "Microsoft Teams", "teams"), of("Mattermost"), of("RocketChat", "RocketChat", "Rocket.Chat"),
                of("Zoom"), of("Other")));
        return m;
    }

    private static List<Option> names(String... values) {
        return java.util.Arrays.stream(values).map(Option::of).toList();
    }

    private static Option mysql(String value, String label, String... aliases) {
        return of(value, label, aliases).withAttrs(Map.of("service", "MySQL".equals(value) ? "MySQL" : label, "family", "mysql"));
    }
}
