package io.maestro.web;

import io.maestro.core.Ids;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.sources.imports.Imports;
import io.maestro.sources.imports.maestro.MaestroExport;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settings › Imports (sources.md, UI): upload a Terraform state, Ansible facts or a Maestro file
 * (the page posts the file's bytes to {@code POST /api/v1/imports}), follow the import live, read a
 * dry run's plan as a table filtered by action, and apply it. The import service decides every right.
 */
@Controller
@RequestMapping("/imports")
public class SourceImportPages {
    private final Imports imports;
    private final MaestroExport export;
    private final RecordService records;
    private final Kinds kinds;
    private final Directory directory;
    private final CallerProvider callers;

    private final long maxBytes;

    public SourceImportPages(Imports imports, MaestroExport export, RecordService records, Kinds kinds, Directory directory, CallerProvider callers,
                             @org.springframework.beans.factory.annotation.Value("${maestro.import.max-bytes:268435456}") long maxBytes) {
        this.export = export;
        this.maxBytes = maxBytes;
        this.imports = imports;
        this.records = records;
        this.kinds = kinds;
        this.directory = directory;
        this.callers = callers;
    }

    @GetMapping
    public String list(Model model) {
        Caller caller = callers.current();
        model.addAttribute("imports", imports.list(caller));
        model.addAttribute("formats", imports.formats());
        Map<String, String> teams = new LinkedHashMap<>();
        directory.teamsFor(caller).forEach((id, name) -> teams.put(id.toString(), name));
        model.addAttribute("teams", teams);
        model.addAttribute("defaultTeam", caller.defaultTeamId() == null ? null : caller.defaultTeamId().toString());
        model.addAttribute("datacenters", ConnectionPages.datacenters(records, kinds, caller));
        model.addAttribute("section", "imports");
        return "imports";
    }

    /**
     * The page's upload: the file's bytes as the body, the import's settings as parameters (the API
     * takes only tokens and Basic; this is the signed-in browser's way in). Answers {@code {id}}, or
     * the refusal as the API words it.
     */
    @PostMapping("/upload")
    @org.springframework.web.bind.annotation.ResponseBody
    public org.springframework.http.ResponseEntity<Map<String, Object>> upload(@RequestParam Map<String, String> params,
                                                                                jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
        try {
            if (request.getContentLengthLong() > maxBytes) {
                throw new ProblemException(413, "Payload too large", "The file is larger than " + maxBytes + " bytes (MAESTRO_IMPORT_MAX_BYTES)");
            }
            Map<String, Object> started = imports.start(params, io.maestro.core.api.BulkFormats.limited(request.getInputStream(), maxBytes,
                    "MAESTRO_IMPORT_MAX_BYTES"), callers.current());
            return org.springframework.http.ResponseEntity.status(202).body(Map.of("id", started.get("id")));
        } catch (ProblemException e) {
            Map<String, Object> refusal = new LinkedHashMap<>();
            refusal.put("detail", e.getMessage());
            refusal.put("errors", e.errors().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
            return org.springframework.http.ResponseEntity.status(e.status()).body(refusal);
        }
    }

    /** The all-kinds export of what the signed-in user may read, as {@code GET /api/v1/export} writes it. */
    @GetMapping("/export")
    public void export(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        Caller caller = callers.current();
        response.setCharacterEncoding("UTF-8");
        response.setContentType("application/json");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + MaestroExport.FILE_NAME + "\"");
        export.write(caller, response.getOutputStream());
    }

    @GetMapping("/{id}")
    public String show(@PathVariable("id") String id, @RequestParam(name = "action", required = false) String action,
                       @RequestParam(name = "offset", defaultValue = "0") int offset, Model model) {
        model.addAttribute("imp", view(Ids.parse(id, "Import"), action, offset));
        model.addAttribute("action", action);
        model.addAttribute("offset", offset);
        model.addAttribute("section", "imports");
        return "import-run";
    }

    /** The live part: htmx swaps it every second while the import runs. */
    @GetMapping("/{id}/progress")
    public String progress(@PathVariable("id") String id, @RequestParam(name = "action", required = false) String action,
                           @RequestParam(name = "offset", defaultValue = "0") int offset, Model model) {
        model.addAttribute("imp", view(Ids.parse(id, "Import"), action, offset));
        model.addAttribute("action", action);
        model.addAttribute("offset", offset);
        return "import-run :: progress";
    }

    @PostMapping("/{id}/apply")
    public String apply(@PathVariable("id") String id, RedirectAttributes redirect) {
        try {
            imports.apply(Ids.parse(id, "Import"), callers.current());
            redirect.addFlashAttribute("flash", "Applying the plan: the records are written as it shows.");
        } catch (ProblemException e) {
            if (e.status() != 409) throw e;
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/imports/" + id;
    }

    private Map<String, Object> view(UUID id, String action, int offset) {
        if (action != null && action.isBlank()) action = null; // "All" links carry an empty action
        Map<String, Object> imp = new LinkedHashMap<>(imports.get(id, action, Math.max(0, offset), 100, callers.current()));
        @SuppressWarnings("unchecked") Map<String, Object> progress = (Map<String, Object>) imp.get("progress");
        long done = ((Number) progress.get("done")).longValue();
        long total = ((Number) progress.get("total")).longValue();
        boolean active = ConnectionPages.ACTIVE.contains(imp.get("status"));
        imp.put("active", active);
        imp.put("percent", ConnectionPages.percent(active, done, total));
        imp.put("applicable", Boolean.TRUE.equals(imp.get("dry_run")) && imp.get("applied_at") == null && "succeeded".equals(imp.get("status")));
        imp.put("actions", List.of("create", "update", "unchanged", "conflict"));
        return imp;
    }
}
