package io.maestro.inventory.client;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** An SLA owner: a company, team or person, and how to reach them. */
@Component
@Order(70)
public class ClientKind extends Kind {
    @Override public String collection() { return "clients"; }
    @Override public String table() { return "client"; }
    @Override public String label() { return "Client"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("sla", "SLA", Cell.TEXT, true).teamColumn()
                .filters("team_id")
                .tab("general", "General", "name", "description", "sla", "tags")
                .tab("contacts", "Contacts", "contacts")
                .tab("related", "Systems", KindUi.RELATED)
                .label("sla", "SLA");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                text("description"),
                string("sla").maxLength(1000),
                list("contacts", option("channel", "channel").required(), string("value").maxLength(500).required()).maxItems(100));
    }
}
