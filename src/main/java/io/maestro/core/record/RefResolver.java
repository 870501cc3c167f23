package io.maestro.core.record;

import io.maestro.core.access.AccessStore;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Resolves the ids and catalog names found in validated input against stored records: one
 * query per target kind for a whole batch of drafts. Unknown or unreadable ids become field
 * errors that do not reveal whether the record exists; new catalog names are created.
 */
@Component
class RefResolver {
    private final Kinds kinds;
    private final RecordStore store;
    private final Renderer renderer;
    private final ChangeLog changeLog;
    private final AccessStore access;

    RefResolver(Kinds kinds, RecordStore store, Renderer renderer, ChangeLog changeLog, AccessStore access) {
        this.kinds = kinds;
        this.store = store;
        this.renderer = renderer;
        this.changeLog = changeLog;
        this.access = access;
    }

    /** A draft and the validation context that produced it. */
    record Item(Draft draft, Validator.Context ctx) {
    }

    void resolve(List<Item> items, Scope scope, String actor, OffsetDateTime now) {
        Map<String, List<UUID>> wanted = new LinkedHashMap<>();
        for (Item item : items) {
            for (PendingRef ref : item.ctx().refs) {
                if (ref.id() != null) ref.kinds().forEach(k -> wanted.computeIfAbsent(k, x -> new ArrayList<>()).add(ref.id()));
            }
        }
        Map<UUID, String> kindOf = new HashMap<>();
        wanted.forEach((collection, ids) -> {
            List<UUID> distinct = ids.stream().distinct().toList();
            Kind k = kinds.find(collection).orElse(null);
            List<UUID> found = k != null ? store.existing(k, distinct, scope) : identityIds(collection, distinct);
            found.forEach(id -> kindOf.putIfAbsent(id, collection));
        });
        Map<String, UUID> catalogIds = new HashMap<>();
        Map<UUID, String> catalogNames = new HashMap<>();
        for (Item item : items) {
            Draft draft = item.draft();
            for (PendingRef ref : item.ctx().refs) {
                if (ref.id() != null && !kindOf.containsKey(ref.id())) {
                    item.ctx().errors.add(ref.path(), "no " + String.join(" or ", ref.kinds().stream().map(this::singular).toList())
                            + " with id " + ref.id());
                }
            }
            draft.links.replaceAll((field, list) -> list.stream()
                    .filter(l -> kindOf.containsKey(l.target()))
                    .map(l -> new Draft.Link(l.target(), kindOf.get(l.target()), l.attribute())).toList());
            if (!item.ctx().errors.isEmpty()) continue;
            for (PendingRef ref : item.ctx().refs) {
                if (ref.catalogName() == null || !draft.values.containsKey(ref.path())) continue;
                String collection = ref.kinds().get(0);
                UUID id = catalogIds.computeIfAbsent(collection + "\u0000" + ref.catalogName().toLowerCase(),
                        k -> catalogEntry(collection, ref.catalogName(), actor, now));
                draft.values.put(ref.path(), catalogNames.computeIfAbsent(id,
                        x -> store.findAll(kinds.get(collection), List.of(x)).get(0).name()));
            }
            if (draft.services != null) {
                String catalog = kinds.serviceCatalog().collection();
                draft.services = draft.services.stream().map(s -> s.serviceId() != null ? s : s.withServiceId(
                        catalogIds.computeIfAbsent(catalog + "\u0000" + s.name().toLowerCase(), k -> catalogEntry(catalog, s.name(), actor, now))))
                        .toList();
            }
        }
    }

    /** The id of the catalog entry named {@code name} (any case), created when missing. */
    UUID catalogEntry(String collection, String name, String actor, OffsetDateTime now) {
        Kind catalog = kinds.get(collection);
        java.util.Optional<UUID> known = store.idByName(catalog, name);
        if (known.isPresent()) return known.get();
        store.lockName(catalog, name); // a concurrent write may be creating it: look again once it is done
        return store.idByName(catalog, name).orElseGet(() -> {
            Draft d = new Draft();
            d.values.put("name", name.strip());
            UUID id = UUID.randomUUID();
            UUID defaultTeam = access.teamId("default").orElseThrow();
            store.insert(catalog, id, defaultTeam, now, d);
            Map<String, Object> doc = renderer.render(catalog, store.findAll(catalog, List.of(id)), Scope.unrestricted()).get(0);
            changeLog.record(catalog, id, "create", actor, doc, now);
            return id;
        });
    }

    private List<UUID> identityIds(String collection, List<UUID> ids) {
        String table = switch (collection) {
            case "teams" -> "team";
            case "users" -> "app_user";
            default -> throw new IllegalStateException("unknown reference kind " + collection);
        };
        return access.existingPrincipals(table, ids);
    }

    String singular(String collection) {
        return kinds.find(collection).map(k -> k.label().toLowerCase()).orElse(collection.replaceAll("s$", ""));
    }
}
