package io.maestro.inventory.system;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** A group of applications, databases and load balancers that form one business system. */
@Component
@Order(60)
public class SystemKind extends Kind {
    @Override public String collection() { return "systems"; }
    @Override public String table() { return "business_system"; }
    @Override public String label() { return "System"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("description", "Description", Cell.TEXT, false).teamColumn()
                .filters("team_id")
                .tab("general", "General", "name", "description", "owner", "tags")
                .tab("links", "Links", "links")
                .tab("clients", "Clients", "client_ids")
                .tab("entry", "Entry applications", "entry_application_ids")
                .tab("related", "Members", KindUi.RELATED)
                .label("owner", "Owner");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                text("description"),
                list("links", string("name").maxLength(255).required(), url("url").required()).maxItems(100),
                refs("client_ids", "clients"),
                ref("owner", "teams", "users"),
                refs("entry_application_ids", "applications"));
    }
}
