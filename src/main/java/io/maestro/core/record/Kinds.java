package io.maestro.core.record;

import io.maestro.core.ProblemException;
import io.maestro.core.schema.Field;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every registered kind, by collection name (the kinds' packages declare them as beans). */
@Component
public class Kinds {
    private final Map<String, Kind> byCollection = new LinkedHashMap<>();

    /** In the order the kinds declare with {@code @Order} (the user guide's): menus, reverse-relation lists, graph nodes. */
    public Kinds(List<Kind> kinds) {
        kinds.stream().sorted(AnnotationAwareOrderComparator.INSTANCE).forEach(k -> byCollection.put(k.collection(), k));
    }

    public Kind get(String collection) {
        Kind k = byCollection.get(collection);
        if (k == null) throw ProblemException.notFound("Collection '" + collection + "'");
        return k;
    }

    public Optional<Kind> find(String collection) {
        return Optional.ofNullable(byCollection.get(collection));
    }

    /** Names a client may send back on a write and that are ignored: read-only fields, counts, relation lists. */
    public java.util.Set<String> ignoredOnWrite(Kind kind) {
        java.util.Set<String> names = new java.util.HashSet<>(java.util.Set.of("id", "version", "created_at", "updated_at", "warnings"));
        names.addAll(kind.ignoredOnWrite());
        byCollection.keySet().forEach(names::add);
        kind.counts().forEach(c -> names.add(c.name()));
        return names;
    }

    /** The kind whose records run catalog services (the one with a {@code services} field: servers). */
    public Kind serviceHost() {
        return byCollection.values().stream().filter(k -> servicesField(k) != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kind has a services field"));
    }

    /** The catalog those services are entries of. */
    public Kind serviceCatalog() {
        return get(servicesField(serviceHost()).refKinds().get(0));
    }

    private static Field servicesField(Kind k) {
        return k.fields().stream().filter(f -> f.type == Field.Type.SERVICES).findFirst().orElse(null);
    }

    public Collection<Kind> all() {
        return byCollection.values();
    }
}
