package io.maestro.inventory.system;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/systems")
@Tag(name = "systems", description = "Systems: groups of applications, databases and load balancers")
public class SystemController extends KindController {
    public SystemController(SystemKind kind, ApiSupport support) {
        super(kind, support);
    }
}
