package io.maestro.inventory.catalog;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
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
    protected List<Field> ownFields() {
        return List.of(string("category").maxLength(128));
    }

    @Override
    public boolean global() {
        return true;
    }
}
