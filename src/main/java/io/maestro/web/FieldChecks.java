package io.maestro.web;

import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.ProblemException;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Warnings while typing: the form as it stands, checked by the record service as a save that is
 * rolled back (the same write pipeline), so a field that is left shows the duplicate warnings and
 * the instance-id conflict a save would give, before saving. Nothing is stored.
 */
@Controller
@RequestMapping("/{collection:(?!css$|js$|img$)[a-z]+}")
public class FieldChecks {
    private final Pages pages;
    private final RecordService records;
    private final CallerProvider callers;

    public FieldChecks(Pages pages, RecordService records, CallerProvider callers) {
        this.pages = pages;
        this.records = records;
        this.callers = callers;
    }

    /** A note at one field: a warning (saved anyway) or a conflict (refused on save), with links to the records concerned. */
    public record Note(String field, boolean conflict, String message, List<Node.Ref> records) {
    }

    /** Whether a kind has anything to check while typing (duplicate warnings or unique rules). */
    static boolean checks(Kind kind) {
        return !kind.duplicateRules().isEmpty() || !kind.uniqueRules().isEmpty();
    }

    /** The fields whose leaving triggers a check, space-separated (form input names). */
    static String fields(Kind kind) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        kind.duplicateRules().forEach(r -> out.add(r.field()));
        kind.uniqueRules().forEach(r -> out.addAll(r.paths()));
        return String.join(" ", out);
    }

    @PostMapping("/check")
    public String check(@PathVariable("collection") String collection, @RequestParam(value = "_id", required = false) String id,
                        HttpServletRequest request, Model model) {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        Caller caller = callers.current();
        Map<String, Object> body = FormInput.of(request.getParameterMap()).body(kind);
        UUID recordId = id == null || id.isBlank() ? null : kind.id(id);
        List<Note> notes = new ArrayList<>();
        try {
            warnings(kind, recordId, body, caller, notes);
        } catch (ProblemException e) {
            // a uniqueness conflict is said at its field; other refusals (a field still being typed) are the save's to say
            Object existing = e.extra().get("existing_id");
            if (e.status() == 409 && existing != null && !kind.uniqueRules().isEmpty()) {
                List<String> paths = kind.uniqueRules().get(0).paths();
                String field = paths.get(paths.size() - 1);
                notes.add(new Note(field, true, e.getMessage() + " (saving will be refused):",
                        refs(kind, List.of(UUID.fromString(existing.toString())), caller)));
                // the duplicate warnings still hold: checked again without the conflicting value
                try {
                    warnings(kind, recordId, without(body, field), caller, notes);
                } catch (ProblemException ignored) {
                    // nothing more to say at the fields
                }
            }
        }
        model.addAttribute("notes", notes);
        return "tools :: checks";
    }

    private void warnings(Kind kind, UUID recordId, Map<String, Object> body, Caller caller, List<Note> notes) {
        for (Map<String, Object> w : records.check(kind, recordId, body, caller)) {
            String field = String.valueOf(w.get("field"));
            List<UUID> ids = ((List<?>) w.get("conflicts")).stream().map(x -> UUID.fromString(x.toString())).toList();
            notes.add(new Note(field, false, "Another " + kind.label().toLowerCase() + " in this team has the same "
                    + Labels.field(kind.collection(), field).toLowerCase() + " (you can still save):", refs(kind, ids, caller)));
        }
    }

    /** A copy of the body without one dotted path. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> without(Map<String, Object> body, String path) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(body);
        String[] parts = path.split("\\.");
        Map<String, Object> m = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(m.get(parts[i]) instanceof Map<?, ?> inner)) return copy;
            Map<String, Object> c = new java.util.LinkedHashMap<>((Map<String, Object>) inner);
            m.put(parts[i], c);
            m = c;
        }
        m.remove(parts[parts.length - 1]);
        return copy;
    }

    private List<Node.Ref> refs(Kind kind, List<UUID> ids, Caller caller) {
        Map<UUID, String> names = records.names(kind, ids, caller);
        List<Node.Ref> out = new ArrayList<>();
        for (UUID cid : ids) {
            if (!names.containsKey(cid)) continue;
            Node.Ref r = new Node.Ref(cid.toString());
            r.collection = kind.collection();
            r.name = names.get(cid);
            out.add(r);
        }
        return out;
    }
}
