package io.maestro.inventory.catalog;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
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
