package io.maestro.inventory.catalog;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** Cloud and hosting providers, with their known regions and zones. */
@Component
@Order(90)
public class ProviderKind extends Kind {
    @Override public String collection() { return "providers"; }
    @Override public String table() { return "provider"; }
    @Override public String label() { return "Provider"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("regions", "Regions", Cell.LIST, false)
                .column("description", "Description", Cell.TEXT, false)
                .tab("general", "General", "name", "description", "tags")
                .tab("regions", "Regions & zones", "regions", "zones");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                listOf("regions", string("region").maxLength(128).required()).maxItems(1000),
                list("zones", string("name").maxLength(128).required(), string("region").maxLength(128)).maxItems(5000));
    }

    @Override
    public boolean global() {
        return true;
    }
}
