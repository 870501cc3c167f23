package io.maestro.inventory.catalog;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.string;

/** Settings > Services: programs that run on servers (Nginx, Oracle Database, JVM ...). */
@Component
@Order(80)
public class ServiceKind extends Kind {
    @Override public String collection() { return "services"; }
    @Override public String table() { return "service"; }
    @Override public String label() { return "Service"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("category", "Category", Cell.TEXT, true)
                .column("description", "Description", Cell.TEXT, false)
                .tab("general", "General", "name", "category", "description", "tags");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(string("category").maxLength(128));
    }

    @Override
    public boolean global() {
        return true;
    }
}
