package io.maestro.web;

import io.maestro.core.Ids;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.identity.ApiTokens;
import jakarta.servlet.http.HttpServletResponse;
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
 * Admin › Tokens: the signed-in user's API tokens. A new token's value is shown once, on the page
 * answering the form (never stored in the session or shown again); revoking asks first.
 */
@Controller
@RequestMapping("/tokens")
public class TokenPages {
    private static final Map<String, String> SCOPES = scopes();

    private final ApiTokens tokens;
    private final CallerProvider callers;

    public TokenPages(ApiTokens tokens, CallerProvider callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    /** A token as the list shows it. */
    public record Row(String id, String name, String scope, String expires, boolean expired, String lastUsed, String created) {
    }

    @GetMapping
    public String list(Model model) {
        model.addAttribute("tokens", tokens.list(callers.current().userId()).stream().map(TokenPages::row).toList());
        return "tokens";
    }

    @GetMapping("/new")
    public String create(Model model) {
        callers.current();
        return formPage(model, form(null, "read", null));
    }

    @PostMapping("/new")
    public String create(@RequestParam Map<String, String> params, Model model, HttpServletResponse response) {
        Caller caller = callers.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", SimpleForm.input(params, "name"));
        body.put("scope", SimpleForm.input(params, "scope"));
        String expires = SimpleForm.input(params, "expires_at");
        if (expires != null) body.put("expires_at", expires);
        try {
            Map<String, Object> token = tokens.create(caller.userId(), body);
            response.setHeader("Cache-Control", "no-store"); // the value must not linger in any cache
            model.addAttribute("token", row(token));
            model.addAttribute("value", token.get("token"));
            return "token-created";
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 409) throw e;
            response.setStatus(e.status());
            SimpleForm f = form(params.get("name"), params.get("scope"), expires);
            f.refused(e);
            return formPage(model, f);
        }
    }

    @GetMapping("/{id}/revoke")
    public String confirmRevoke(@PathVariable("id") String id, Model model) {
        Map<String, Object> token = tokens.find(callers.current().userId(), Ids.parse(id, "Token"))
                .orElseThrow(() -> ProblemException.notFound("Token"));
        model.addAttribute("token", row(token));
        return "token-revoke";
    }

    @PostMapping("/{id}/revoke")
    public String revoke(@PathVariable("id") String id, RedirectAttributes redirect) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "Token");
        if (!tokens.revoke(caller.userId(), uuid, caller.globalAdmin())) throw ProblemException.notFound("Token");
        redirect.addFlashAttribute("flash", "Token revoked: scripts using it are refused from now on.");
        return "redirect:/tokens";
    }

    private static Row row(Map<String, Object> t) {
        return new Row(String.valueOf(t.get("id")), String.valueOf(t.get("name")), String.valueOf(t.get("scope")),
                Pages.when(t.get("expires_at")), Boolean.TRUE.equals(t.get("expired")), Pages.when(t.get("last_used_at")),
                Pages.when(t.get("created_at")));
    }

    private static SimpleForm form(String name, String scope, String expires) {
        SimpleForm f = new SimpleForm("");
        f.text("name", "Name", name).required = true;
        f.select("scope", "Scope", SCOPES, scope);
        Node date = f.date("expires_at", "Expires", expires);
        date.hint = "Optional: without a date the token lasts until you revoke it.";
        return f;
    }

    private static String formPage(Model model, SimpleForm f) {
        return f.page(model, "New token", "/tokens", "Tokens", "/tokens/new", "Create token");
    }

    private static Map<String, String> scopes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("read", "read — GET only");
        m.put("write", "write — everything you may do");
        return m;
    }
}
