package io.maestro.core.api;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.schema.Field;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The OpenAPI document's schemas come from the same Field trees that validate requests, so
 * the document cannot drift from what the API accepts: {@code Server} (read) and
 * {@code ServerInput} (write) for every kind, bodies and list parameters on every operation.
 */
@Component
public class OpenApiSchemas implements OpenApiCustomizer {
    private final Kinds kinds;

    public OpenApiSchemas(Kinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public void customise(OpenAPI api) {
        api.info(new Info().title("Maestro inventory API").version("v1")
                .description("Servers, applications, databases, load balancers, datacenters, systems and clients: "
                        + "the source of truth of a hybrid estate. Errors are application/problem+json (RFC 9457).")
                .license(new License().name("Apache-2.0")));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.components(components);
        components.addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"));
        components.addSecuritySchemes("token", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Personal API token from POST /api/v1/tokens"));
        api.addSecurityItem(new SecurityRequirement().addList("basic"));
        api.addSecurityItem(new SecurityRequirement().addList("token"));
        components.addSchemas("Problem", problem());
        for (Kind kind : kinds.all()) {
            String name = java.util.Arrays.stream(kind.label().split(" "))
                    .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(java.util.stream.Collectors.joining());
            components.addSchemas(name, record(kind, true));
            components.addSchemas(name + "Input", record(kind, false));
            components.addSchemas(name + "List", new ObjectSchema()
                    .addProperty("items", new ArraySchema().items(ref(name)))
                    .addProperty("total", new IntegerSchema().format("int64"))
                    .addProperty("page", new IntegerSchema()).addProperty("size", new IntegerSchema()));
            describe(api, kind, name);
        }
    }

    private void describe(OpenAPI api, Kind kind, String name) {
        if (api.getPaths() == null) return;
        String base = "/api/v1/" + kind.collection();
        PathItem collection = api.getPaths().get(base);
        PathItem item = api.getPaths().get(base + "/{id}");
        if (collection != null) {
            Operation list = collection.getGet();
            if (list != null) {
                list.summary("List " + kind.collection()).operationId("list" + name + "s").parameters(null);
                listParameters(kind).forEach(list::addParametersItem);
                list.responses(responses("200", "A page of " + kind.collection(), name + "List"));
            }
            if (collection.getPost() != null) {
                collection.getPost().summary("Create a " + kind.label().toLowerCase()).operationId("create" + name).parameters(null)
                        .requestBody(body(name + "Input", "application/json"))
                        .responses(responses("201", "Created; Location and ETag headers; duplicate warnings in `warnings`", name));
            }
        }
        if (item != null) {
            if (item.getGet() != null) item.getGet().summary("Read a " + kind.label().toLowerCase()).operationId("get" + name).responses(responses("200", "The record; ETag header", name));
            if (item.getPut() != null) {
                item.getPut().summary("Replace a " + kind.label().toLowerCase()).operationId("replace" + name).requestBody(body(name + "Input", "application/json"))
                        .responses(responses("200", "Replaced", name));
            }
            if (item.getPatch() != null) {
                item.getPatch().summary("Merge-patch a " + kind.label().toLowerCase() + " (RFC 7396)").operationId("patch" + name)
                        .requestBody(body(name + "Input", "application/merge-patch+json"))
                        .responses(responses("200", "Patched", name));
            }
            if (item.getDelete() != null) {
                ApiResponses r = new ApiResponses().addApiResponse("204", new ApiResponse().description("Deleted"));
                errorResponses(r);
                item.getDelete().summary("Delete a " + kind.label().toLowerCase()).operationId("delete" + name).responses(r);
            }
        }
    }

    private java.util.List<Parameter> listParameters(Kind kind) {
        java.util.List<Parameter> out = new java.util.ArrayList<>();
        out.add(query("q", "Case-insensitive search over names, hostnames and IPs"));
        out.add(query("sort", "Fields to sort by, comma separated; '-' for descending (e.g. hostname,-updated_at)"));
        out.add(query("page", "Page number, from 0").schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO)));
        out.add(query("size", "Page size, 1 to 1000 (default 50)").schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)
                .maximum(java.math.BigDecimal.valueOf(1000))));
        out.add(query("tag", "key:value (or key) of a tag; repeatable"));
        for (Map.Entry<String, Field> e : Field.columnFields(kind.fields())) {
            if (e.getValue().isJson()) continue;
            out.add(query(e.getKey(), "Equality filter (repeat for any of several values)").schema(scalar(e.getValue())));
        }
        kind.fields().stream().filter(f -> f.type == Field.Type.REFS)
                .forEach(f -> out.add(query(f.name, "Records linked to this id").schema(new UUIDSchema())));
        return out;
    }

    private static Parameter query(String name, String description) {
        return new Parameter().in("query").name(name).required(false).description(description).schema(new StringSchema());
    }

    private static RequestBody body(String schema, String mediaType) {
        return new RequestBody().required(true).content(new Content().addMediaType(mediaType, new MediaType().schema(ref(schema))));
    }

    private static ApiResponses responses(String status, String description, String schema) {
        ApiResponses r = new ApiResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType("application/json", new MediaType().schema(ref(schema)))));
        errorResponses(r);
        return r;
    }

    private static void errorResponses(ApiResponses r) {
        Map.of("400", "Invalid input: errors[] names each bad field", "401", "Not signed in", "403", "Not allowed",
                        "404", "No such record (or not visible to you)", "409", "Conflict (e.g. instance_id already used: existing_id)",
                        "412", "If-Match does not match the current version")
                .forEach((code, text) -> r.addApiResponse(code, new ApiResponse().description(text)
                        .content(new Content().addMediaType("application/problem+json", new MediaType().schema(ref("Problem"))))));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    private Schema<?> record(Kind kind, boolean read) {
        ObjectSchema s = new ObjectSchema();
        s.description(kind.label() + (read ? "" : " as written (read-only fields are accepted and ignored)"));
        if (read) s.addProperty("id", new UUIDSchema().readOnly(true));
        for (Field f : kind.fields()) s.addProperty(f.name, schema(f, read));
        if (!kind.global()) s.addProperty("team_id", new UUIDSchema().description("Owning team; defaults to the caller's default team"));
        if (read) {
            s.addProperty("created_at", new StringSchema().format("date-time").readOnly(true));
            s.addProperty("updated_at", new StringSchema().format("date-time").readOnly(true));
            s.addProperty("version", new IntegerSchema().format("int64").readOnly(true).description("+1 on every change; the ETag"));
            kind.counts().forEach(c -> s.addProperty(c.name(), new IntegerSchema().format("int64").readOnly(true)));
            s.addProperty("warnings", new ArraySchema().readOnly(true).items(new ObjectSchema()
                    .addProperty("code", new StringSchema()).addProperty("field", new StringSchema())
                    .addProperty("conflicts", new ArraySchema().items(new UUIDSchema()))));
        }
        kind.fields().stream().filter(Field::isRequired).forEach(f -> s.addRequiredItem(f.name));
        return s;
    }

    private Schema<?> schema(Field f, boolean read) {
        return switch (f.type) {
            case OBJECT -> {
                ObjectSchema o = new ObjectSchema();
                f.children().values().forEach(c -> o.addProperty(c.name, schema(c, read)));
                yield o;
            }
            case LIST -> new ArraySchema().items(f.item() == null ? new Schema<>() : itemSchema(f.item(), read)).maxItems(f.maxItems());
            case FREEFORM -> new ObjectSchema().additionalProperties(true).description("Free-form object");
            case ANY -> new Schema<>().description("Any JSON value");
            case REFS -> f.linkAttribute() == null
                    ? new ArraySchema().items(new UUIDSchema()).description("Ids of " + String.join(" or ", f.refKinds()))
                    : new ArraySchema().items(new ObjectSchema().addProperty("target_id", new UUIDSchema())
                    .addProperty(f.linkAttribute(), new StringSchema().description("Option list " + f.linkAttributeOptions())));
            case TAGS -> new ArraySchema().items(new ObjectSchema().addProperty("key", new StringSchema().maxLength(128))
                    .addProperty("value", new StringSchema().maxLength(255)));
            case SERVICES -> new ArraySchema().items(new ObjectSchema()
                    .addProperty("service_id", new UUIDSchema()).addProperty("name", new StringSchema())
                    .addProperty("version", new StringSchema()).addProperty("status", new StringSchema())
                    .addProperty("origin", new StringSchema()._enum(java.util.List.of("manual", "auto")).readOnly(true)));
            default -> scalar(f);
        };
    }

    private Schema<?> itemSchema(Field item, boolean read) {
        if (item.type != Field.Type.OBJECT) return scalar(item);
        ObjectSchema o = new ObjectSchema();
        for (Field c : item.children().values()) {
            if (c.type == Field.Type.SECRET) {
                if (read) o.addProperty("has_secret", new BooleanSchema().readOnly(true));
                else o.addProperty(c.name, new StringSchema().writeOnly(true).description("Write-only; stored encrypted, never returned"));
            } else {
                o.addProperty(c.name, schema(c, read));
            }
            if (c.isRequired()) o.addRequiredItem(c.name);
        }
        return o;
    }

    private static Schema<?> scalar(Field f) {
        return switch (f.type) {
            case INTEGER -> new IntegerSchema().format("int64");
            case NUMBER -> new NumberSchema();
            case BOOLEAN -> new BooleanSchema();
            case REF, ID -> new UUIDSchema().description(f.refKinds().isEmpty() ? null : "Id of " + String.join(" or ", f.refKinds()));
            case IPV4 -> new StringSchema().format("ipv4");
            case HOSTNAME -> new StringSchema().format("hostname").maxLength(f.maxLength());
            case URL -> new StringSchema().format("uri").maxLength(f.maxLength());
            case OPTION -> new StringSchema().description("A value of option list '" + f.optionList()
                    + "' (GET /api/v1/options); value, label or alias, case-insensitive");
            case CATALOG -> new StringSchema().description("Name in the " + f.refKinds().get(0) + " catalog; created when new");
            case SECRET -> new StringSchema().writeOnly(true);
            default -> new StringSchema().maxLength(f.maxLength());
        };
    }

    private static Schema<?> problem() {
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema()).addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema()).addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(new ObjectSchema()
                        .addProperty("field", new StringSchema()).addProperty("message", new StringSchema())));
    }
}
