package io.maestro.inventory.application;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/applications")
@Tag(name = "applications", description = "Applications: business programs, their servers, systems, deploys and dependencies")
public class ApplicationController extends KindController {
    public ApplicationController(ApplicationKind kind, ApiSupport support) {
        super(kind, support);
    }
}
