package io.maestro.inventory.loadbalancer;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** Distributes requests to targets; its service (HAProxy, Nginx ...) runs on the servers it is installed on. */
@Component
@Order(40)
public class LoadBalancerKind extends Kind {
    @Override public String collection() { return "loadbalancers"; }
    @Override public String table() { return "load_balancer"; }
    @Override public String label() { return "Load balancer"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("service", "Service", Cell.TEXT, true)
                .column("environment", "Environment", Cell.ENV, true).teamColumn()
                .filters("environment", "team_id")
                .tab("general", "General", "name", "service", "environment", "description", "tags")
                .tab("targets", "Targets", "target_ids")
                .tab("servers", "Servers", "server_ids")
                .tab("spec", "Spec", "spec")
                .tab("systems", "Systems", "system_ids")
                .tab("related", "Used by", KindUi.RELATED)
                .label("server_ids", "Installed on servers").label("service", "Service")
                .freeformKeys("spec", "endpoint", "health_check");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                catalog("service", "services"),
                refs("target_ids", "servers", "applications"),
                refs("server_ids", "servers"),
                freeform("spec"),
                option("environment", "environment"),
                refs("system_ids", "systems"));
    }

    @Override
    public AutoService autoService() {
        return new AutoService("server_ids", draft -> draft.string("service"));
    }
}
