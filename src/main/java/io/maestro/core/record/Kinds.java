package io.maestro.core.record;

import io.maestro.core.ProblemException;
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

    public Kinds(List<Kind> kinds) {
        kinds.stream()
                .sorted(java.util.Comparator.comparingInt(k -> ORDER.indexOf(k.collection()) < 0 ? 99 : ORDER.indexOf(k.collection())))
                .forEach(k -> byCollection.put(k.collection(), k));
    }

    /** The order of the user guide, used for menus and reverse-relation lists. */
    private static final List<String> ORDER = List.of("servers", "applications", "databases", "loadbalancers",
            "datacenters", "systems", "clients", "services", "providers");

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

    public Collection<Kind> all() {
        return byCollection.values();
    }
}
