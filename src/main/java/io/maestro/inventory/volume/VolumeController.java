package io.maestro.inventory.volume;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/volumes")
@Tag(name = "volumes", description = "Volumes: size, type, the server using it and its datacenter")
public class VolumeController extends KindController {
    public VolumeController(VolumeKind kind, ApiSupport support) {
        super(kind, support);
    }
}
