package io.maestro.inventory.database;

import io.maestro.core.api.ApiSupport;
import io.maestro.core.api.KindController;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/databases")
@Tag(name = "databases", description = "Databases, with Oracle and MySQL sections")
public class DatabaseController extends KindController {
    public DatabaseController(DatabaseKind kind, ApiSupport support) {
        super(kind, support);
    }
}
