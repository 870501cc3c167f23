package io.maestro.inventory.application;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** A business program made and deployed by developers. */
@Component
@Order(20)
public class ApplicationKind extends Kind {
    @Override public String collection() { return "applications"; }
    @Override public String table() { return "application"; }
    @Override public String label() { return "Application"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("environment", "Environment", Cell.ENV, true)
                .column("language", "Language", Cell.OPTION, true).column("cluster", "Cluster mode", Cell.OPTION, true).teamColumn()
                .filters("environment", "language", "cluster", "team_id")
                .tab("general", "General", "name", "environment", "language", "cluster", "description", "tags")
                .tab("role", "Role", "role")
                .tab("servers", "Systems & servers", "system_ids", "server_ids")
                .tab("deploy", "Deploy", "deploy")
                .tab("dependencies", "Dependencies", "dependencies")
                .tab("related", "Used by", KindUi.RELATED)
                .label("cluster", "Cluster mode").label("role", "Role")
                .freeformKeys("role", "endpoint", "commands", "health_check");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                option("environment", "environment"),
                option("language", "language"),
                option("cluster", "cluster_mode"),
                freeform("role"),
                refs("system_ids", "systems"),
                refs("server_ids", "servers"),
                list("deploy", option("type", "deploy_type"), string("provider").maxLength(255), text("notes").maxLength(4000)).maxItems(50),
                links("dependencies", "protocol", "protocol", "applications", "databases", "loadbalancers"));
    }

    @Override
    public List<DuplicateRule> duplicateRules() {
        return List.of(new DuplicateRule("name", "duplicate_name", true));
    }
}
