package io.maestro.inventory.application;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
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
