package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.sources.DriftService;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Use discovered value" on a record page: hands a drifting field back to its source (sources.md, rule 2). */
@Controller
public class DriftPages {
    private final Kinds kinds;
    private final DriftService drift;
    private final CallerProvider callers;

    public DriftPages(Kinds kinds, DriftService drift, CallerProvider callers) {
        this.kinds = kinds;
        this.drift = drift;
        this.callers = callers;
    }

    @PostMapping("/{collection}/{id}/drift/{field}/accept")
    public String accept(@PathVariable("collection") String collection, @PathVariable("id") String id, @PathVariable("field") String field,
                         RedirectAttributes redirect) {
        Kind kind = kinds.find(collection).orElseThrow(() -> ProblemException.notFound("Page"));
        drift.accept(kind, kind.id(id), field, callers.current());
        redirect.addFlashAttribute("flash", "The discovered value of " + field + " is back, and later runs keep it current.");
        return "redirect:/" + collection + "/" + id;
    }
}
