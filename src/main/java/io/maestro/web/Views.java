package io.maestro.web;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.schema.KindUi;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pages' view of every kind: what the kind declares in {@code Kind.ui()} (columns, filters,
 * tabs, labels), or the generic view of a kind that declares nothing. Navigation lists team-owned
 * kinds under Inventory and catalogs under Settings, in the kinds' order.
 */
@Component
public class Views {
    private final Map<String, KindView> views = new LinkedHashMap<>();

    public Views(Kinds kinds) {
        for (Kind k : kinds.all()) {
            KindUi ui = k.ui();
            views.put(k.collection(), ui == null ? KindView.generic(k) : new KindView(k, ui.columns(), ui.filters(), ui.tabs()));
            Labels.register(k.collection(), ui == null ? Map.of() : ui.labels());
        }
    }

    public Optional<KindView> find(String collection) {
        return Optional.ofNullable(views.get(collection));
    }

    public List<KindView> all() {
        return new ArrayList<>(views.values());
    }

    /** Team-owned kinds: the Inventory group. */
    public List<KindView> inventory() {
        return views.values().stream().filter(v -> !v.kind().global()).toList();
    }

    /** Catalog kinds: the Settings group. */
    public List<KindView> settings() {
        return views.values().stream().filter(v -> v.kind().global()).toList();
    }
}
