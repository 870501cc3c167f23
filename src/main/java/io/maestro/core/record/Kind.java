package io.maestro.core.record;

import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes one kind of record (servers, databases, ...). The shared machinery in {@code core}
 * validates, stores, lists, relates and renders every kind from this description; a kind's
 * package only says what is particular to it.
 */
public abstract class Kind {

    /** Collection name in URLs: {@code servers}. */
    public abstract String collection();

    /** Table name: {@code server}. */
    public abstract String table();

    /** Singular label for messages and the UI: {@code Server}. */
    public abstract String label();

    /** A record id from a URL; text that is no id names no record of this kind (404, like an unknown id). */
    public java.util.UUID id(String text) {
        return io.maestro.core.Ids.parse(text, label());
    }

    /** Fields particular to this kind; core adds name, description, tags and team_id. */
    protected abstract List<Field> ownFields();

    /** Catalog kinds (services, providers) belong to no team: readable by all, written by global admins. */
    public boolean global() {
        return false;
    }

    /** Whether {@code name} must be unique (case-insensitive) across the whole kind. */
    public boolean uniqueName() {
        return global();
    }

    /** Whether {@code name} is required on input; a kind may instead derive it in {@link #prepare}. */
    public boolean nameRequired() {
        return true;
    }

    /** Columns {@code q} searches, besides name. */
    public List<String> searchColumns() {
        return List.of();
    }

    /** Fields whose equal values in one team produce a warning, not an error. */
    public List<DuplicateRule> duplicateRules() {
        return List.of();
    }

    /** Values that must be unique together across the kind (409 with the existing record's id). */
    public List<UniqueRule> uniqueRules() {
        return List.of();
    }

    /** Kinds others depend on (datacenters, catalog entries) refuse deletion while used, unless asked to detach. */
    public boolean protectedWhileUsed() {
        return global();
    }

    /** The catalog service this record runs on the servers it links (database engine, load balancer service). */
    public AutoService autoService() {
        return null;
    }

    /** What the kind's pages show besides its schema (columns, filters, tabs, labels ...); null: generic pages. */
    public KindUi ui() {
        return null;
    }

    /** Counts shown on reads, e.g. a datacenter's server_count. */
    public List<Count> counts() {
        return List.of();
    }

    /** Read-only names a client may send back (GET-edit-PUT); they are ignored on writes. */
    public Set<String> ignoredOnWrite() {
        return Set.of();
    }

    /** Fill derived values before validation, e.g. a server's name from its hostname. */
    public void prepare(Map<String, Object> input) {
    }

    /** Cross-field rules the schema cannot say; add errors to {@code errors}. */
    public void check(Draft draft, Errors errors) {
    }

    private List<Field> fields;

    /** The whole schema: common fields then the kind's own. */
    public final synchronized List<Field> fields() {
        if (fields == null) {
            List<Field> all = new ArrayList<>();
            Field name = Field.string("name");
            if (nameRequired()) name.required();
            all.add(name);
            all.addAll(ownFields());
            if (all.stream().noneMatch(f -> f.name.equals("description"))) all.add(Field.text("description"));
            all.add(Field.tags());
            all.addAll(Provenance.fields());
            fields = List.copyOf(all);
        }
        return fields;
    }

    public record UniqueRule(List<String> paths, String message) {
    }

    public record DuplicateRule(String field, String code, boolean ignoreCase) {
    }

    /** {@code serviceOf} turns the record's stored values into the catalog service name, or null for none. */
    public record AutoService(String serversField, java.util.function.Function<Draft, String> serviceOf) {
    }

    /** {@code name}: count of {@code kind} records whose column {@code column} holds this record's id. */
    public record Count(String name, String kind, String column) {
    }
}
