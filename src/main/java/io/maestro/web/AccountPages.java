package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.identity.Accounts;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.LinkedHashMap;
import java.util.Map;

/** The signed-in user's own account: their email and password, changed through the same service as PATCH /users/{id}. */
@Controller
@RequestMapping("/account")
public class AccountPages {
    private final Accounts accounts;
    private final CallerProvider callers;

    public AccountPages(Accounts accounts, CallerProvider callers) {
        this.accounts = accounts;
        this.callers = callers;
    }

    @GetMapping
    public String show(Model model) {
        return page(model, null, null);
    }

    @PostMapping("/email")
    public String email(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        Caller caller = callers.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", SimpleForm.input(params, "email"));
        try {
            accounts.patchUser(caller, caller.userId(), body);
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 400) throw e;
            response.setStatus(e.status());
            SimpleForm f = emailForm(params.get("email"));
            f.refused(e);
            return page(model, f, null);
        }
        redirect.addFlashAttribute("flash", "Email saved.");
        return "redirect:/account";
    }

    @PostMapping("/password")
    public String password(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        Caller caller = callers.current();
        String password = params.get("password");
        SimpleForm f = passwordForm();
        if (password != null && !password.equals(params.get("password_again"))) {
            f.error("password_again", "does not match the new password");
            f.problem = "Nothing was saved.";
            response.setStatus(400);
            return page(model, null, f);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("current_password", params.getOrDefault("current_password", ""));
        body.put("password", password == null || password.isEmpty() ? null : password); // as typed: spaces count
        try {
            accounts.patchUser(caller, caller.userId(), body);
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 400) throw e;
            response.setStatus(e.status());
            f.refused(e);
            return page(model, null, f);
        }
        redirect.addFlashAttribute("flash", "Password changed. Use the new one from now on.");
        return "redirect:/account";
    }

    private String page(Model model, SimpleForm email, SimpleForm password) {
        Caller caller = callers.current();
        Map<String, Object> me = accounts.me(caller);
        model.addAttribute("account", me);
        model.addAttribute("emailForm", email != null ? email : emailForm(me.get("email") == null ? null : String.valueOf(me.get("email"))));
        model.addAttribute("passwordForm", password != null ? password : passwordForm());
        model.addAttribute("byToken", caller.via() != null);
        return "account";
    }

    private static SimpleForm emailForm(String email) {
        SimpleForm f = new SimpleForm("email-");
        f.text("email", "Email", email);
        return f;
    }

    private static SimpleForm passwordForm() {
        SimpleForm f = new SimpleForm("pw-");
        f.password("current_password", "Current password").required = true;
        Node n = f.password("password", "New password");
        n.required = true;
        n.hint = "At least 10 characters.";
        f.password("password_again", "New password again").required = true;
        return f;
    }
}
