package io.maestro.inventory.client;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/clients")
@Tag(name = "clients", description = "Clients: SLA owners and their contacts")
public class ClientController extends KindController {
    public ClientController(ClientKind kind, ApiSupport support) {
        super(kind, support);
    }
}
