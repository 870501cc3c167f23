package io.maestro.core.api;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordStore;
import io.maestro.core.schema.Field;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
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
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAPI document of the kinds, from their schemas: the controllers take raw bytes (so every
 * bad field can be named), which springdoc alone would describe as a base64 string. Each kind gets
 * a record schema (read-only and write-only parts marked), its list shape and filters, and the
 * status codes api-v1.md promises (201 + Location, 204, 404, 409, 412).
 */
@Component
public class KindOpenApi implements OpenApiCustomizer {
    private static final String BASE = "/api/v1/";
    private static final String PROBLEM = "application/problem+json";

    private final Kinds kinds;
    private final RecordStore store;

    public KindOpenApi(Kinds kinds, RecordStore store) {
        this.kinds = kinds;
        this.store = store;
    }

    @Override
    public void customise(OpenAPI api) {
        if (api.getPaths() == null) return;
        if (api.getComponents() == null) api.setComponents(new io.swagger.v3.oas.models.Components());
        for (Kind kind : kinds.all()) {
            String name = schemaName(kind);
            api.getComponents().addSchemas(name, record(kind));
            api.getComponents().addSchemas(name + "Page", page(name));
            PathItem collection = api.getPaths().get(BASE + kind.collection());
            PathItem one = api.getPaths().get(BASE + kind.collection() + "/{id}");
            if (collection != null) {
                list(kind, collection.getGet(), name);
                create(collection.getPost(), name);
            }
            if (one != null) {
                read(one.getGet(), name);
                write(one.getPut(), name, "application/json");
                write(one.getPatch(), name, "application/merge-patch+json");
                delete(one.getDelete());
            }
        }
        api.getComponents().addSchemas("Problem", problem());
    }

    // ---- operations

    private void list(Kind kind, Operation op, String name) {
        if (op == null) return;
        op.setDescription("Filters: any scalar or nested scalar field by equality (repeat a filter for any of several values); "
                + "option fields match value, label or alias in any case.");
        op.setParameters(new ArrayList<>(List.of(
                query("q", new StringSchema(), "case-insensitive search over names (servers: also hostnames, IPs, instance ids)"),
                query("sort", new StringSchema(), "fields, comma-separated; '-' for descending, e.g. name,-updated_at"),
                query("page", new IntegerSchema().minimum(java.math.BigDecimal.ZERO)._default(0), "page number, from 0"),
                query("size", new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(1000))._default(50),
                        "page size, at most 1000"),
                query("total", new BooleanSchema()._default(true), "false: skip the count; the answer has no total (next links carry total=false)"),
                query("tag", new ArraySchema().items(new StringSchema()), "key:value or key; repeated: all of them"))));
        for (RecordStore.Column c : store.columns(kind)) {
            if (!c.field().isJson()) op.getParameters().add(query(c.path(), new ArraySchema().items(scalar(c.field())), null));
        }
        op.getParameters().add(query("last_seen_before", new StringSchema().format("date-time"), "records a source last saw before this instant"));
        for (Field f : kind.fields()) {
            if (f.type == Field.Type.REFS) op.getParameters().add(query(f.name, new ArraySchema().items(new UUIDSchema()), "linked to any of these ids"));
        }
        ApiResponses responses = new ApiResponses().addApiResponse("200", json("One page of records", "#/components/schemas/" + name + "Page"));
        responses.addApiResponse("400", problemResponse("Unknown filter or sort field, or a bad value"));
        op.setResponses(responses);
    }

    private void create(Operation op, String name) {
        if (op == null) return;
        dropContentTypeParameter(op);
        op.setRequestBody(body(name, "application/json"));
        ApiResponse created = json("Created; the body may carry duplicate warnings", "#/components/schemas/" + name);
        created.addHeaderObject("Location", new Header().description("URL of the new record").schema(new StringSchema()));
        created.addHeaderObject("ETag", new Header().description("\"<version>\"").schema(new StringSchema()));
        op.setResponses(new ApiResponses().addApiResponse("201", created)
                .addApiResponse("400", problemResponse("Invalid fields, each named in errors[]"))
                .addApiResponse("409", problemResponse("A unique value is taken (existing_id names the record)")));
    }

    private void read(Operation op, String name) {
        if (op == null) return;
        ApiResponse ok = json("The record, with the records that link to it", "#/components/schemas/" + name);
        ok.addHeaderObject("ETag", new Header().description("\"<version>\"").schema(new StringSchema()));
        op.setResponses(new ApiResponses().addApiResponse("200", ok).addApiResponse("404", problemResponse("No such record")));
    }

    private void write(Operation op, String name, String mediaType) {
        if (op == null) return;
        dropContentTypeParameter(op);
        op.setRequestBody(body(name, mediaType));
        ApiResponse ok = json("The record as stored; the body may carry duplicate warnings", "#/components/schemas/" + name);
        ok.addHeaderObject("ETag", new Header().description("\"<version>\"").schema(new StringSchema()));
        op.setResponses(new ApiResponses().addApiResponse("200", ok)
                .addApiResponse("400", problemResponse("Invalid fields, each named in errors[]"))
                .addApiResponse("404", problemResponse("No such record"))
                .addApiResponse("409", problemResponse("A unique value is taken (existing_id names the record)"))
                .addApiResponse("412", problemResponse("If-Match does not match the record's version; nothing was written")));
    }

    private void delete(Operation op) {
        if (op == null) return;
        op.setResponses(new ApiResponses().addApiResponse("204", new ApiResponse().description("Deleted"))
                .addApiResponse("404", problemResponse("No such record"))
                .addApiResponse("409", problemResponse("Still in use; delete with ?detach=true to detach the users"))
                .addApiResponse("412", problemResponse("If-Match does not match the record's version")));
    }

    private static void dropContentTypeParameter(Operation op) {
        if (op.getParameters() != null) op.getParameters().removeIf(p -> "header".equals(p.getIn()) && "Content-Type".equalsIgnoreCase(p.getName()));
    }

    private static RequestBody body(String name, String mediaType) {
        Content content = new Content().addMediaType(mediaType, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + name)));
        if (!mediaType.equals("application/json")) content.addMediaType("application/json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + name)));
        return new RequestBody().required(true).content(content);
    }

    private static ApiResponse json(String description, String ref) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType("application/json", new MediaType().schema(new Schema<>().$ref(ref))));
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }

    private static Parameter query(String name, Schema<?> schema, String description) {
        return new Parameter().in("query").name(name).required(false).schema(schema).description(description);
    }

    // ---- schemas

    private static String schemaName(Kind kind) {
        return kind.label().replace(" ", "");
    }

    private Schema<?> record(Kind kind) {
        ObjectSchema s = new ObjectSchema();
        s.setDescription(kind.label() + " (api-v1.md)");
        s.addProperty("id", readOnly(new UUIDSchema()));
        properties(s, kind.fields());
        if (!kind.global()) s.addProperty("team_id", new UUIDSchema().description("owning team; defaults to the caller's default team"));
        for (Kind.Count c : kind.counts()) s.addProperty(c.name(), readOnly(new IntegerSchema().format("int64")));
        s.addProperty("created_at", readOnly(new StringSchema().format("date-time")));
        s.addProperty("updated_at", readOnly(new StringSchema().format("date-time")));
        s.addProperty("version", readOnly(new IntegerSchema().format("int64").description("+1 on every change; the ETag")));
        s.addProperty("warnings", readOnly(new ArraySchema().items(new ObjectSchema()
                .addProperty("code", new StringSchema()).addProperty("field", new StringSchema())
                .addProperty("message", new StringSchema()).addProperty("conflicts", new ArraySchema().items(new UUIDSchema())))));
        return s;
    }

    private void properties(ObjectSchema target, Iterable<Field> fields) {
        for (Field f : fields) {
            target.addProperty(f.name, provenance(f, schema(f)));
            if (f.isRequired()) target.addRequiredItem(f.name);
        }
    }

    /** Provenance (sources.md) is read-only: set by sources, never by people's writes; drift reads as a list. */
    private static Schema<?> provenance(Field f, Schema<?> schema) {
        boolean provenance = f.provenance() != Field.Provenance.NONE
                || (f.type == Field.Type.OBJECT && !f.children().isEmpty() && f.children().values().stream().allMatch(c -> c.provenance() != Field.Provenance.NONE));
        if (!provenance) return schema;
        if (f.name.equals("drift")) {
            schema = new ArraySchema().items(new ObjectSchema().addProperty("field", new StringSchema())
                    .addProperty("discovered", new Schema<>()).addProperty("current", new Schema<>()))
                    .description("fields whose value is a person's and differs from what the source reports; filter drift=true|false");
        } else if (f.name.endsWith("_at") || f.name.endsWith("_since")) {
            schema = new StringSchema().format("date-time");
        }
        return readOnly(schema);
    }

    private Schema<?> schema(Field f) {
        return switch (f.type) {
            case OBJECT -> {
                ObjectSchema o = new ObjectSchema();
                properties(o, f.children().values());
                if (f.children().values().stream().anyMatch(c -> c.type == Field.Type.SECRET)) {
                    o.addProperty("has_secret", readOnly(new BooleanSchema()));
                }
                yield o;
            }
            case LIST -> new ArraySchema().items(schema(f.item())).maxItems(f.maxItems());
            case FREEFORM -> new ObjectSchema().description("free-form object");
            case ANY -> new Schema<>().description("any JSON value");
            case REFS -> new ArraySchema().items(f.linkAttribute() == null ? new UUIDSchema()
                    : new ObjectSchema().addProperty("target_id", new UUIDSchema()).addProperty(f.linkAttribute(),
                    option(f.linkAttributeOptions()))).description("ids of " + String.join(" or ", f.refKinds()));
            case TAGS -> new ArraySchema().items(new ObjectSchema().addProperty("key", new StringSchema().maxLength(128))
                    .addProperty("value", new StringSchema()));
            case SERVICES -> new ArraySchema().items(new ObjectSchema()
                    .addProperty("service_id", new UUIDSchema()).addProperty("name", new StringSchema().description("catalog name; created when new"))
                    .addProperty("version", new StringSchema()).addProperty("status", option("service_status"))
                    .addProperty("origin", readOnly(new StringSchema()._enum(List.of("manual", "auto"))))
                    .addProperty("source_id", readOnly(new UUIDSchema())));
            case SECRET -> {
                Schema<?> s = new StringSchema().description("write-only: stored encrypted, never returned (reads show has_secret)");
                s.setWriteOnly(true);
                yield s;
            }
            default -> scalar(f);
        };
    }

    private static Schema<?> scalar(Field f) {
        Schema<?> s = switch (f.type) {
            case INTEGER -> new IntegerSchema().format("int64");
            case NUMBER -> new NumberSchema();
            case BOOLEAN -> new BooleanSchema();
            case REF, ID -> new UUIDSchema();
            case OPTION -> option(f.optionList());
            case IPV4 -> new StringSchema().format("ipv4");
            case HOSTNAME -> new StringSchema().format("hostname").maxLength(f.maxLength());
            case URL -> new StringSchema().format("uri").maxLength(f.maxLength());
            case CATALOG -> new StringSchema().description("a name in the " + f.refKinds().get(0) + " catalog; created when new");
            default -> new StringSchema().maxLength(f.maxLength());
        };
        if (f.acceptsNumbers()) s.setDescription("a string; a number is accepted too");
        return s;
    }

    private static Schema<?> option(String list) {
        return new StringSchema().description("a value of the option list '" + list + "' (GET /api/v1/options/" + list
                + "); its value, label or an alias in any case is accepted and stored as the value");
    }

    private static <T extends Schema<?>> T readOnly(T s) {
        s.setReadOnly(true);
        return s;
    }

    private static Schema<?> page(String name) {
        return new ObjectSchema()
                .addProperty("items", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + name)))
                .addProperty("total", new IntegerSchema().format("int64").description("absent with total=false"))
                .addProperty("page", new IntegerSchema())
                .addProperty("size", new IntegerSchema());
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
