package io.maestro.core.api;

import io.maestro.core.FieldError;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.options.Option;
import io.maestro.core.options.OptionsService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The option lists: readable by everyone signed in, replaced by global admins. */
@RestController
@RequestMapping("/api/v1/options")
public class OptionsController {
    private static final Pattern LIST_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private final OptionsService options;
    private final CallerProvider callers;

    public OptionsController(OptionsService options, CallerProvider callers) {
        this.options = options;
        this.callers = callers;
    }

    @GetMapping
    public Map<String, Object> all() {
        callers.current();
        Map<String, Object> out = new LinkedHashMap<>();
        options.all().forEach((name, list) -> out.put(name, list));
        return out;
    }

    @GetMapping("/{list}")
    public Map<String, Object> one(@PathVariable("list") String list) {
        callers.current();
        return Map.of("name", list, "options", options.list(list));
    }

    /** Replaces a list: {@code [{value, label, aliases}]} or {@code {"options": [...]}}. */
    @PutMapping("/{list}")
    public Map<String, Object> replace(@PathVariable("list") String list, @RequestBody(required = false) byte[] body) {
        if (!callers.current().globalAdmin()) throw ProblemException.forbidden("Only global admins edit option lists");
        Object parsed = Json.parse(body);
        if (parsed instanceof Map<?, ?> m && m.containsKey("options")) parsed = m.get("options");
        options.replace(list, parse(list, parsed));
        return Map.of("name", list, "options", options.list(list));
    }

    /**
     * Checks a list name and {@code [{value, label, aliases, attrs}]}; every problem is a field
     * error. Shared by this API and the web UI's option list form.
     */
    public static List<Option> parse(String list, Object parsed) {
        if (!LIST_NAME.matcher(list).matches()) throw ProblemException.badField("list", "must be lower-case letters, digits and _");
        if (!(parsed instanceof List<?> items) || items.isEmpty()) {
            throw ProblemException.badField("options", "must be a non-empty array of {value, label, aliases}");
        }
        List<FieldError> errors = new ArrayList<>();
        List<Option> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String p = "options[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> o)) {
                errors.add(new FieldError(p, "must be an object"));
                continue;
            }
            for (Object key : o.keySet()) {
                if (!Set.of("value", "label", "aliases", "attrs").contains(String.valueOf(key))) errors.add(new FieldError(p + "." + key, "unknown field"));
            }
            if (!(o.get("value") instanceof String v) || v.isBlank() || v.length() > 100) {
                errors.add(new FieldError(p + ".value", "must be a non-empty string of at most 100 characters"));
                continue;
            }
            if (!seen.add(v.strip().toLowerCase())) errors.add(new FieldError(p + ".value", "is repeated"));
            Object label = o.get("label");
            if (label != null && !(label instanceof String)) errors.add(new FieldError(p + ".label", "must be a string"));
            List<String> aliases = new ArrayList<>();
            if (o.get("aliases") instanceof List<?> al) {
                al.forEach(a -> {
                    if (a instanceof String s) aliases.add(s);
                    else errors.add(new FieldError(p + ".aliases", "must be strings"));
                });
            } else if (o.get("aliases") != null) {
                errors.add(new FieldError(p + ".aliases", "must be an array of strings"));
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            if (o.get("attrs") instanceof Map<?, ?> am) am.forEach((k, val) -> attrs.put(String.valueOf(k), String.valueOf(val)));
            result.add(new Option(v.strip(), label instanceof String s ? s : null, aliases, attrs));
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("The option list is invalid", errors);
        return result;
    }
}
