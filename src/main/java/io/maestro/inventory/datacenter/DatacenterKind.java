package io.maestro.inventory.datacenter;

import io.maestro.core.record.Draft;
import io.maestro.core.record.Errors;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.maestro.core.schema.Field.*;

/** A cloud account or region set, a colocation, a bare-metal room. */
@Component
@Order(50)
public class DatacenterKind extends Kind {
    @Override public String collection() { return "datacenters"; }
    @Override public String table() { return "datacenter"; }
    @Override public String label() { return "Datacenter"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("provider", "Provider", Cell.TEXT, true)
                .column("regions", "Regions", Cell.LIST, false).column("server_count", "Servers", Cell.COUNT, false).teamColumn()
                .filters("team_id")
                .tab("general", "General", "name", "provider", "description", "tags")
                .tab("regions", "Regions & zones", "regions", "zones")
                .tab("related", "Servers & databases", KindUi.RELATED)
                .label("server_count", "Servers");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                catalog("provider", "providers"),
                listOf("regions", string("region").maxLength(128).required()).maxItems(500),
                list("zones", string("name").maxLength(128).required(), string("region").maxLength(128)).maxItems(2000));
    }

    @Override
    public List<Count> counts() {
        return List.of(new Count("server_count", "servers", "datacenter_id"));
    }

    @Override
    public boolean protectedWhileUsed() {
        return true;
    }

    /**
     * A zone's region must be one of the datacenter's regions; names are not repeated. Items that
     * already failed validation are null here and skipped; zones are not checked against a
     * regions list that is itself invalid.
     */
    @Override
    public void check(Draft draft, Errors errors) {
        List<?> regions = (List<?>) draft.get("regions");
        Set<String> known = new HashSet<>();
        if (regions != null) {
            for (int i = 0; i < regions.size(); i++) {
                if (regions.get(i) != null && !known.add(String.valueOf(regions.get(i)))) errors.add("regions[" + i + "]", "is repeated");
            }
        }
        List<?> zones = (List<?>) draft.get("zones");
        if (zones == null) return;
        boolean regionsValid = !errors.has("regions");
        Set<String> zoneNames = new HashSet<>();
        for (int i = 0; i < zones.size(); i++) {
            if (!(zones.get(i) instanceof Map<?, ?> z)) continue;
            Object region = z.get("region");
            if (regionsValid && region != null && !known.contains(region.toString())) {
                errors.add("zones[" + i + "].region", "must be one of the datacenter's regions");
            }
            if (z.get("name") != null && !zoneNames.add(region + "/" + z.get("name"))) errors.add("zones[" + i + "].name", "is repeated");
        }
    }
}
