package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.AsOf;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The pages' "as of" control: the browser's date-time field has no offset, so its value is read
 * as UTC (the pages show times in UTC); a time still to come is refused, as a list of it would
 * silently be today's. And "restore this version" from the History tab, through the record
 * service's restore (a new change, with the same rules as any write).
 */
@Controller
@RequestMapping("/{collection:(?!css$|js$|img$)[a-z]+}")
public class TimeTravel {
    private static final Pattern LOCAL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
    private static final DateTimeFormatter FIELD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter FIELD_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final Pages pages;
    private final RecordService records;
    private final CallerProvider callers;

    public TimeTravel(Pages pages, RecordService records, CallerProvider callers) {
        this.pages = pages;
        this.records = records;
        this.callers = callers;
    }

    /** The instant of an {@code as_of} value of a page; null when none; 400 naming as_of when unreadable or in the future. */
    static OffsetDateTime instant(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip();
        if (LOCAL.matcher(v).matches()) v = v + "Z";
        OffsetDateTime at = AsOf.instant("as_of", v);
        if (at.isAfter(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(5))) {
            throw ProblemException.badField("as_of", "is in the future (" + shown(at) + "): choose a past date and time");
        }
        return at;
    }

    /** Rewrites a page's {@code as_of} parameter into the ISO-8601 instant the services take. */
    static void normalise(Map<String, String[]> params) {
        String[] v = params.get("as_of");
        if (v == null || v.length == 0) return;
        OffsetDateTime at = instant(v[0]);
        if (at == null) params.remove("as_of");
        else params.put("as_of", new String[]{at.toString()});
    }

    static String shown(OffsetDateTime at) {
        return SHOWN.format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** The value of a datetime-local field (seconds included, UTC). */
    static String field(OffsetDateTime at) {
        return (at.getNano() != 0 ? FIELD_MS : FIELD).format(at.withOffsetSameInstant(ZoneOffset.UTC));
    }

    @PostMapping("/{id}/restore")
    public String restore(@PathVariable("collection") String collection, @PathVariable("id") String id,
                          @RequestParam(value = "as_of", required = false) String asOf, RedirectAttributes redirect) {
        KindView view = pages.view(collection);
        Kind kind = view.kind();
        UUID uuid = kind.id(id);
        Caller caller = callers.current();
        OffsetDateTime at = instant(asOf);
        if (at == null) throw ProblemException.badField("as_of", "is required: which version to restore");
        try {
            RecordService.Written w = records.restore(kind, uuid, at, caller);
            redirect.addFlashAttribute("flash", "Restored the version of " + shown(at) + " as version " + w.version() + ".");
        } catch (ProblemException e) {
            if (e.status() == 404 || e.status() == 403) throw e;
            // a conflict (the name or instance id is taken meanwhile): said on the record's page, nothing changed
            redirect.addFlashAttribute("flashError", "Not restored: " + e.getMessage());
            return "redirect:/" + collection + "/" + uuid + "?as_of=" + java.net.URLEncoder.encode(at.toString(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return "redirect:/" + collection + "/" + uuid + "#p-history";
    }
}
