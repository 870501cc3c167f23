package io.maestro.inventory.catalog;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/services")
@Tag(name = "services", description = "Settings > Services: the catalog of programs that run on servers")
public class ServiceController extends KindController {
    public ServiceController(ServiceKind kind, ApiSupport support) {
        super(kind, support);
    }
}
