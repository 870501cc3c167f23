package io.maestro.core.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/** The OpenAPI document's title and its two ways to sign in (the kinds' schemas: {@link KindOpenApi}). */
@Component
public class ApiDocInfo implements OpenApiCustomizer {
    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title("Maestro inventory API").version("v1")
                .description("Servers, applications, databases, load balancers, datacenters, systems and clients: "
                        + "the source of truth of a hybrid estate. Errors are application/problem+json (RFC 9457).")
                .license(new License().name("Apache-2.0")));
        if (api.getComponents() == null) api.setComponents(new Components());
        api.getComponents().addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"));
        api.getComponents().addSecuritySchemes("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Personal API token from POST /api/v1/tokens"));
        api.addSecurityItem(new SecurityRequirement().addList("basic"));
        api.addSecurityItem(new SecurityRequirement().addList("token"));
    }
}
