package io.maestro.inventory.server;

import io.maestro.core.record.Draft;
import io.maestro.core.record.Errors;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** A machine or instance: where it sits, what it runs, how to log in. */
@Component
@Order(10)
public class ServerKind extends Kind {
    @Override public String collection() { return "servers"; }
    @Override public String table() { return "server"; }
    @Override public String label() { return "Server"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("hostname", "Hostname", Cell.TEXT, true).column("ipv4_private", "Private IPv4", Cell.TEXT, true)
                .column("environment", "Environment", Cell.ENV, true).column("os.base", "OS", Cell.OPTION, true)
                .column("os.dist", "Distribution", Cell.TEXT, true).column("datacenter.id", "Datacenter", Cell.REF, false).teamColumn()
                .filters("environment", "os.base", "role", "datacenter.id", "team_id")
                .tab("general", "General", "hostname", "name", "ipv4_private", "ipv4_public", "os", "cpu", "memory", "role",
                        "environment", "description", "tags")
                .tab("storage", "Storage", "storage")
                .tab("datacenter", "Datacenter", "datacenter")
                .tab("auth", "Auth", "auth")
                .tab("services", "Services", "services")
                .tab("related", "Applications & databases", KindUi.RELATED)
                .label("ipv4_private", "Private IPv4").label("ipv4_public", "Public IPv4").label("os", "Operating system")
                .label("os.base", "OS").label("dist", "Distribution").label("cpu", "CPU (cores)").label("memory", "Memory (GB)")
                .label("instance_id", "Instance ID").label("datacenter.id", "Datacenter").label("filesystem", "File system")
                .label("role", "Server role")
                // a server's region and zone come from the datacenter it sits in
                .suggest("datacenter.region", "datacenter.id", "regions").suggest("datacenter.zone", "datacenter.id", "zones");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                hostname("hostname").required(),
                ipv4("ipv4_private"),
                ipv4("ipv4_public"),
                object("os", option("base", "os_base"), string("dist").maxLength(64), string("version").maxLength(64).acceptNumbers()),
                integer("cpu").range(0, 100_000),
                number("memory").range(0, 1_000_000_000),
                option("role", "server_role"),
                option("environment", "environment"),
                list("storage", string("name").maxLength(128), string("mount").maxLength(1024), number("size_gb").range(0, 1e12),
                        bool("root"), string("device").maxLength(255), string("filesystem").maxLength(64), bool("attached")),
                object("datacenter", ref("id", "datacenters"), string("region").maxLength(128), string("zone").maxLength(128),
                        string("instance_id").maxLength(255)),
                list("auth", string("name").maxLength(128).required(), option("type", "auth_type"), string("username").maxLength(255),
                        secret("secret")).maxItems(50),
                services("services"));
    }

    @Override
    public boolean nameRequired() {
        return false;
    }

    /**
     * The name defaults to the hostname: done after validation, from the validated hostname, so
     * that a bad hostname is reported once (as hostname) and not again as name.
     */
    @Override
    public void check(Draft draft, Errors errors) {
        if (draft.get("name") == null && draft.get("hostname") != null) draft.values.put("name", draft.get("hostname"));
    }

    /** V21's generated column search_text holds name and these, lower-cased: change both together. */
    @Override
    public List<String> searchColumns() {
        return List.of("hostname", "ipv4_private", "ipv4_public", "datacenter_instance_id");
    }

    @Override
    public List<DuplicateRule> duplicateRules() {
        return List.of(new DuplicateRule("hostname", "duplicate_hostname", true),
                new DuplicateRule("ipv4_private", "duplicate_ipv4_private", false));
    }

    @Override
    public List<UniqueRule> uniqueRules() {
        return List.of(new UniqueRule(List.of("datacenter.id", "datacenter.instance_id"),
                "Another server in this datacenter already has this instance_id"));
    }
}
