package io.maestro.inventory.catalog;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/providers")
@Tag(name = "providers", description = "Providers catalog: AWS, Azure, GCP, OpenStack, bare metal ...")
public class ProviderController extends KindController {
    public ProviderController(ProviderKind kind, ApiSupport support) {
        super(kind, support);
    }
}
