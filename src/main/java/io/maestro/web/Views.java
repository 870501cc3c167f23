package io.maestro.web;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.web.KindView.Cell;
import io.maestro.web.KindView.Column;
import io.maestro.web.KindView.Tab;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.maestro.web.KindView.RELATED;

/**
 * The per-kind touches of the UI (columns, filters, tabs). Everything else (fields, types,
 * options, relations) comes from the kinds' schemas; a kind not described here still gets pages.
 */
@Component
public class Views {
    /** Navigation groups: Inventory then Settings (catalogs). */
    public static final List<String> INVENTORY = List.of("servers", "applications", "databases", "loadbalancers",
            "datacenters", "systems", "clients");
    public static final List<String> SETTINGS = List.of("services", "providers");

    private final Map<String, KindView> views = new LinkedHashMap<>();

    public Views(Kinds kinds) {
        for (Kind k : kinds.all()) views.put(k.collection(), describe(k));
    }

    public Optional<KindView> find(String collection) {
        return Optional.ofNullable(views.get(collection));
    }

    public List<KindView> all() {
        return new ArrayList<>(views.values());
    }

    /** Kinds of the Inventory group, in the user guide's order, plus any new team-owned kind. */
    public List<KindView> inventory() {
        List<KindView> out = new ArrayList<>();
        INVENTORY.forEach(c -> find(c).ifPresent(out::add));
        views.values().stream().filter(v -> !INVENTORY.contains(v.collection()) && !v.kind().global()).forEach(out::add);
        return out;
    }

    public List<KindView> settings() {
        List<KindView> out = new ArrayList<>();
        SETTINGS.forEach(c -> find(c).ifPresent(out::add));
        views.values().stream().filter(v -> !SETTINGS.contains(v.collection()) && v.kind().global()).forEach(out::add);
        return out;
    }

    private static Column col(String path, String label, Cell cell, boolean sortable) {
        return new Column(path, label, cell, sortable);
    }

    private static Tab tab(String id, String label, String... fields) {
        return new Tab(id, label, List.of(fields));
    }

    private static final Column TEAM = col("team_id", "Team", Cell.TEAM, false);

    private static KindView describe(Kind k) {
        return switch (k.collection()) {
            case "servers" -> new KindView(k,
                    List.of(col("hostname", "Hostname", Cell.TEXT, true), col("ipv4_private", "Private IPv4", Cell.TEXT, true),
                            col("environment", "Environment", Cell.ENV, true), col("os.base", "OS", Cell.OPTION, true),
                            col("os.dist", "Distribution", Cell.TEXT, true), col("datacenter.id", "Datacenter", Cell.REF, false), TEAM),
                    List.of("environment", "os.base", "role", "datacenter.id", "team_id"),
                    List.of(tab("general", "General", "hostname", "name", "ipv4_private", "ipv4_public", "os", "cpu", "memory", "role",
                                    "environment", "description", "tags"),
                            tab("storage", "Storage", "storage"),
                            tab("datacenter", "Datacenter", "datacenter"),
                            tab("auth", "Auth", "auth"),
                            tab("services", "Services", "services"),
                            tab("related", "Applications & databases", RELATED)));
            case "applications" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("environment", "Environment", Cell.ENV, true),
                            col("language", "Language", Cell.OPTION, true), col("cluster", "Cluster mode", Cell.OPTION, true), TEAM),
                    List.of("environment", "language", "cluster", "team_id"),
                    List.of(tab("general", "General", "name", "environment", "language", "cluster", "description", "tags"),
                            tab("role", "Role", "role"),
                            tab("servers", "Systems & servers", "system_ids", "server_ids"),
                            tab("deploy", "Deploy", "deploy"),
                            tab("dependencies", "Dependencies", "dependencies"),
                            tab("related", "Used by", RELATED)));
            case "databases" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("engine", "Engine", Cell.OPTION, true),
                            col("engine_version", "Version", Cell.TEXT, true), col("environment", "Environment", Cell.ENV, true),
                            col("category", "Category", Cell.OPTION, true), TEAM),
                    List.of("environment", "engine", "category", "team_id"),
                    List.of(tab("general", "General", "name", "engine", "engine_version", "category", "mode", "environment",
                                    "description", "tags"),
                            tab("spec", "Spec", "spec"),
                            tab("servers", "Servers & datacenters", "server_ids", "datacenter_ids", "system_ids"),
                            tab("oracle", "Oracle", "oracle"),
                            tab("mysql", "MySQL", "mysql"),
                            tab("related", "Used by", RELATED)));
            case "loadbalancers" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("service", "Service", Cell.TEXT, true),
                            col("environment", "Environment", Cell.ENV, true), TEAM),
                    List.of("environment", "team_id"),
                    List.of(tab("general", "General", "name", "service", "environment", "description", "tags"),
                            tab("targets", "Targets", "target_ids"),
                            tab("servers", "Servers", "server_ids"),
                            tab("spec", "Spec", "spec"),
                            tab("systems", "Systems", "system_ids"),
                            tab("related", "Used by", RELATED)));
            case "datacenters" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("provider", "Provider", Cell.TEXT, true),
                            col("regions", "Regions", Cell.LIST, false), col("server_count", "Servers", Cell.COUNT, false), TEAM),
                    List.of("team_id"),
                    List.of(tab("general", "General", "name", "provider", "description", "tags"),
                            tab("regions", "Regions & zones", "regions", "zones"),
                            tab("related", "Servers & databases", RELATED)));
            case "systems" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("description", "Description", Cell.TEXT, false), TEAM),
                    List.of("team_id"),
                    List.of(tab("general", "General", "name", "description", "owner", "tags"),
                            tab("links", "Links", "links"),
                            tab("clients", "Clients", "client_ids"),
                            tab("entry", "Entry applications", "entry_application_ids"),
                            tab("related", "Members", RELATED)));
            case "clients" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("sla", "SLA", Cell.TEXT, true), TEAM),
                    List.of("team_id"),
                    List.of(tab("general", "General", "name", "description", "sla", "tags"),
                            tab("contacts", "Contacts", "contacts"),
                            tab("related", "Systems", RELATED)));
            case "services" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("category", "Category", Cell.TEXT, true),
                            col("description", "Description", Cell.TEXT, false)),
                    List.of(),
                    List.of(tab("general", "General", "name", "category", "description", "tags")));
            case "providers" -> new KindView(k,
                    List.of(col("name", "Name", Cell.TEXT, true), col("regions", "Regions", Cell.LIST, false),
                            col("description", "Description", Cell.TEXT, false)),
                    List.of(),
                    List.of(tab("general", "General", "name", "description", "tags"),
                            tab("regions", "Regions & zones", "regions", "zones")));
            default -> KindView.generic(k);
        };
    }
}
