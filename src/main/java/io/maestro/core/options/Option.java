package io.maestro.core.options;

import java.util.List;
import java.util.Map;

/**
 * One entry of an option list: {@code value} is stored and returned by the API, {@code label}
 * is shown by the UI, {@code aliases} are also accepted on input; {@code attrs} carry extra
 * meaning (an engine's family and catalog service).
 */
public record Option(String value, String label, List<String> aliases, Map<String, String> attrs) {
    public Option {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        attrs = attrs == null ? Map.of() : Map.copyOf(attrs);
        if (label == null || label.isBlank()) label = value;
    }

    public static Option of(String value, String label, String... aliases) {
        return new Option(value, label, List.of(aliases), Map.of());
    }

    public static Option of(String value) {
        return new Option(value, value, List.of(), Map.of());
    }

    public Option withAttrs(Map<String, String> attrs) {
        return new Option(value, label, aliases, attrs);
    }

    boolean matches(String input) {
        if (value.equalsIgnoreCase(input) || label.equalsIgnoreCase(input)) return true;
        return aliases.stream().anyMatch(a -> a.equalsIgnoreCase(input));
    }
}
