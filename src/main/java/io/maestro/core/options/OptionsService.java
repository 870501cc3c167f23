package io.maestro.core.options;

import io.maestro.core.ProblemException;
import io.maestro.core.cluster.ClusterVersion;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configurable option lists (environments, OS bases, engines ...). Input matches a value,
 * label or alias case-insensitively and is stored as the value. Lists are cached while the
 * cluster's {@code options} counter is unchanged: every change moves it, so this node re-reads at
 * once and every other node within {@link ClusterVersion}'s recheck time.
 */
@Service
public class OptionsService {
    private static final String VERSION = "options";

    private final OptionStore rows;
    private final ClusterVersion versions;
    private record Cached(Map<String, List<Option>> lists, long version) {
    }
    private volatile Cached cache;

    public OptionsService(OptionStore rows, ClusterVersion versions) {
        this.rows = rows;
        this.versions = versions;
    }

    /** Adds default lists that are missing (first start, or a list new in this version). */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void seedDefaults() {
        List<String> present = rows.listNames();
        // another node starting at the same moment may be adding the same defaults: the same rows, once
        DefaultOptions.all().forEach((list, options) -> {
            if (!present.contains(list)) rows.insertAll(list, options, true);
        });
        cache = null;
    }

    public Map<String, List<Option>> all() {
        long version = versions.current(VERSION); // read before the rows: what is loaded is at least this new
        Cached c = cache;
        if (c == null || c.version != version) {
            c = new Cached(load(), version);
            cache = c;
        }
        return c.lists;
    }

    public List<Option> list(String name) {
        List<Option> l = all().get(name);
        if (l == null) throw ProblemException.notFound("Option list '" + name + "'");
        return l;
    }

    public boolean exists(String name) {
        return all().containsKey(name);
    }

    /** The stored value for what a user typed, if the list knows it. */
    public Optional<String> canonical(String list, String input) {
        return find(list, input).map(Option::value);
    }

    public Optional<Option> find(String list, String input) {
        if (input == null) return Optional.empty();
        String trimmed = input.trim();
        return all().getOrDefault(list, List.of()).stream().filter(o -> o.matches(trimmed)).findFirst();
    }

    public String allowedValues(String list) {
        List<Option> options = all().getOrDefault(list, List.of());
        String joined = String.join(", ", options.stream().map(Option::value).limit(20).toList());
        return options.size() > 20 ? joined + ", ..." : joined;
    }

    @Transactional
    public void replace(String list, List<Option> options) {
        rows.deleteList(list);
        rows.insertAll(list, options, false);
        versions.bump(VERSION);
        cache = null;
    }

    @Transactional
    public void delete(String list) {
        rows.deleteList(list);
        versions.bump(VERSION);
        cache = null;
    }

    private Map<String, List<Option>> load() {
        Map<String, List<Option>> m = rows.all();
        m.replaceAll((k, v) -> List.copyOf(v));
        return java.util.Collections.unmodifiableMap(m);
    }
}
