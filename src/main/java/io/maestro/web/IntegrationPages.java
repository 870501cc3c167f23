package io.maestro.web;

import io.maestro.core.Ids;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.integrations.webhook.Deliveries;
import io.maestro.integrations.webhook.Webhooks;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settings › Integrations: copy-ready Prometheus and Ansible snippets for this instance, the
 * webhooks of the caller's teams, a form for a new one, and each one's delivery log with
 * Redeliver and Ping. The integration services decide every right; these pages only show.
 */
@Controller
@RequestMapping("/integrations")
public class IntegrationPages {
    private final Webhooks webhooks;
    private final Deliveries deliveries;
    private final CallerProvider callers;

    public IntegrationPages(Webhooks webhooks, Deliveries deliveries, CallerProvider callers) {
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.callers = callers;
    }

    @GetMapping
    public String overview(HttpServletRequest request, Model model) {
        String base = ServletUriComponentsBuilder.fromContextPath(request).build().toUriString();
        model.addAttribute("base", base);
        model.addAttribute("prometheus", """
                scrape_configs:
                  - job_name: node
                    http_sd_configs:
                      - url: %s/api/v1/integrations/prometheus?port=9100
                        authorization:
                          credentials: <your API token, mae_…>
                    relabel_configs:
                      - source_labels: [__meta_maestro_hostname]
                        target_label: instance
                      - source_labels: [__meta_maestro_environment]
                        target_label: environment""".formatted(base));
        model.addAttribute("ansible", """
                export MAESTRO_URL=%s
                export MAESTRO_TOKEN=<your API token, mae_…>
                ansible-inventory -i contrib/ansible/maestro_inventory.py --graph
                ansible -i contrib/ansible/maestro_inventory.py environment_production -m ping""".formatted(base));
        model.addAttribute("webhooks", webhooks.list(callers.current()));
        return "integrations";
    }

    @GetMapping("/webhooks/new")
    public String newWebhook(Model model) {
        callers.current();
        return form(model, form(Map.of()));
    }

    @PostMapping("/webhooks/new")
    public String create(@RequestParam Map<String, String> params, Model model, jakarta.servlet.http.HttpServletResponse response,
                         RedirectAttributes redirect) {
        Caller caller = callers.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", SimpleForm.input(params, "name"));
        body.put("url", SimpleForm.input(params, "url"));
        String secret = SimpleForm.input(params, "secret");
        if (secret != null) body.put("secret", secret);
        body.put("collections", list(params.get("collections")));
        body.put("actions", list(params.get("actions")));
        body.put("enabled", params.containsKey("enabled"));
        try {
            Map<String, Object> hook = webhooks.create(body, caller);
            redirect.addFlashAttribute("flash", "Webhook created: changes are sent to it from now on.");
            return "redirect:/integrations/webhooks/" + hook.get("id");
        } catch (ProblemException e) {
            if (e.errors().isEmpty()) throw e;
            response.setStatus(e.status());
            SimpleForm f = form(params);
            f.refused(e, Map.of("collections[0]", "collections", "actions[0]", "actions"));
            return form(model, f);
        }
    }

    @GetMapping("/webhooks/{id}")
    public String webhook(@PathVariable("id") String id, Model model) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "Webhook");
        model.addAttribute("hook", webhooks.get(uuid, caller));
        model.addAttribute("deliveries", deliveries.list(uuid, 100, caller));
        return "webhook";
    }

    @PostMapping("/webhooks/{id}/ping")
    public String ping(@PathVariable("id") String id, RedirectAttributes redirect) {
        deliveries.ping(Ids.parse(id, "Webhook"), callers.current());
        redirect.addFlashAttribute("flash", "Ping queued: it shows below once sent.");
        return "redirect:/integrations/webhooks/" + id;
    }

    @PostMapping("/webhooks/{id}/deliveries/{delivery}/redeliver")
    public String redeliver(@PathVariable("id") String id, @PathVariable("delivery") String delivery, RedirectAttributes redirect) {
        deliveries.redeliver(Ids.parse(id, "Webhook"), Ids.parse(delivery, "Delivery"), callers.current());
        redirect.addFlashAttribute("flash", "Redelivery queued as a new delivery.");
        return "redirect:/integrations/webhooks/" + id;
    }

    /** "servers, applications" as a list; empty: absent (all). */
    private static List<String> list(String text) {
        if (text == null || text.isBlank()) return null;
        return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static SimpleForm form(Map<String, String> params) {
        SimpleForm f = new SimpleForm("");
        f.text("name", "Name", params.get("name")).required = true;
        Node url = f.text("url", "URL", params.get("url"));
        url.required = true;
        url.hint = "http or https; receives a POST for every change your team may read.";
        Node secret = f.password("secret", "Secret");
        secret.hint = "Optional: signs each body (X-Maestro-Signature: sha256=HMAC). Stored encrypted, never shown again.";
        Node collections = f.text("collections", "Collections", params.get("collections"));
        collections.hint = "Comma-separated, e.g. servers, applications. Empty: all.";
        Node actions = f.text("actions", "Actions", params.get("actions"));
        actions.hint = "Comma-separated: create, update, delete. Empty: all.";
        f.checkbox("enabled", "Enabled", params.isEmpty() || params.containsKey("enabled"));
        return f;
    }

    private static String form(Model model, SimpleForm f) {
        return f.page(model, "New webhook", "/integrations", "Integrations", "/integrations/webhooks/new", "Create webhook");
    }
}
