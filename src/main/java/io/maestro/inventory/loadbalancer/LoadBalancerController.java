package io.maestro.inventory.loadbalancer;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loadbalancers")
@Tag(name = "loadbalancers", description = "Load balancers: service, targets, servers, spec")
public class LoadBalancerController extends KindController {
    public LoadBalancerController(LoadBalancerKind kind, ApiSupport support) {
        super(kind, support);
    }
}
