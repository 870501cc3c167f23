package io.maestro.inventory.volume;

import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.maestro.core.schema.Field.*;

/** Block storage (a disk, an EBS volume): how big, what kind, the server using it, the datacenter it lives in. */
@Component
@Order(45)
public class VolumeKind extends Kind {
    @Override public String collection() { return "volumes"; }
    @Override public String table() { return "volume"; }
    @Override public String label() { return "Volume"; }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                number("size_gb").range(0, 1e12),
                option("type", "volume_type"),
                ref("server_id", "servers"),
                ref("datacenter_id", "datacenters"));
    }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("size_gb", "Size (GB)", Cell.TEXT, true)
                .column("type", "Type", Cell.OPTION, true).column("server_id", "Server", Cell.REF, false)
                .column("datacenter_id", "Datacenter", Cell.REF, false).teamColumn()
                .filters("type", "datacenter_id", "team_id")
                .tab("general", "General", "name", "size_gb", "type", "server_id", "datacenter_id", "description", "tags")
                .label("server_id", "Server").label("datacenter_id", "Datacenter");
    }
}
