package io.maestro.inventory.datacenter;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/datacenters")
@Tag(name = "datacenters", description = "Datacenters: provider, regions, zones")
public class DatacenterController extends KindController {
    public DatacenterController(DatacenterKind kind, ApiSupport support) {
        super(kind, support);
    }
}
