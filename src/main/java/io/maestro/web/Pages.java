package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.options.OptionsService;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the page controllers. */
@Component
class Pages {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Views views;
    private final Kinds kinds;
    private final RecordService records;
    private final OptionsService options;

    Pages(Views views, Kinds kinds, RecordService records, OptionsService options) {
        this.views = views;
        this.kinds = kinds;
        this.records = records;
        this.options = options;
    }

    KindView view(String collection) {
        return views.find(collection).orElseThrow(() -> ProblemException.notFound("Page /" + collection));
    }

    /** A value inside a record by dotted path ({@code os.base}). */
    static Object at(Map<String, Object> doc, String path) {
        Object cur = doc;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(part);
        }
        return cur;
    }

    static String when(Object iso) {
        if (iso == null) return null;
        try {
            return SHORT.format(Instant.parse(iso.toString()));
        } catch (RuntimeException e) {
            return iso.toString();
        }
    }

    /** CSS class of an environment badge: production, staging, development or other. */
    static String envClass(Object env) {
        if (env == null) return "env";
        return switch (env.toString().toLowerCase()) {
            case "production" -> "env env-production";
            case "staging" -> "env env-staging";
            case "development" -> "env env-development";
            default -> "env env-other";
        };
    }

    /** The label an option list shows for a stored value. */
    String optionLabel(String list, Object value) {
        if (value == null) return null;
        return options.find(list, value.toString()).map(io.maestro.core.options.Option::label).orElse(value.toString());
    }

    List<io.maestro.core.options.Option> optionsOf(String list) {
        return options.all().getOrDefault(list, List.of());
    }

    /** Names of catalog entries (services, providers) for the datalists of a form. */
    Map<String, List<String>> catalogNames(Iterable<String> collections, io.maestro.core.access.Caller caller) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String c : collections) {
            kinds.find(c).ifPresent(k -> out.put("dl-" + c, records.list(k, Map.of("size", new String[]{"1000"}), caller)
                    .items().stream().map(m -> String.valueOf(m.get("name"))).toList()));
        }
        return out;
    }
}
