package io.maestro.inventory.server;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/servers")
@Tag(name = "servers", description = "Servers: hostname, IPs, OS, storage, datacenter placement, login methods, services")
public class ServerController extends KindController {
    public ServerController(ServerKind kind, ApiSupport support) {
        super(kind, support);
    }
}
