package io.maestro.web;

import io.maestro.core.Ids;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.identity.Accounts;
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
import java.util.Map;
import java.util.UUID;

/**
 * Admin › Users. Global admins list everyone, create users, edit them (display name, email,
 * global admin, a new password), disable and enable them and delete them; others see themselves
 * and the members of their teams, exactly as {@code GET /api/v1/users} answers them. Every change
 * goes through {@link Accounts}, like the API's {@code PATCH} and {@code DELETE /users/{id}}.
 */
@Controller
@RequestMapping("/users")
public class UserPages {
    private static final int PAGE_SIZE = 50;

    private final Accounts accounts;
    private final CallerProvider callers;

    public UserPages(Accounts accounts, CallerProvider callers) {
        this.accounts = accounts;
        this.callers = callers;
    }

    @GetMapping
    public String list(@RequestParam(value = "page", defaultValue = "0") int page, Model model) {
        Caller caller = callers.current();
        int p = Math.max(page, 0);
        Map<String, Object> listing = accounts.listUsers(caller, p, PAGE_SIZE);
        long total = ((Number) listing.get("total")).longValue();
        model.addAttribute("users", listing.get("items"));
        model.addAttribute("total", total);
        model.addAttribute("prev", p > 0 ? "/users?page=" + (p - 1) : null);
        model.addAttribute("next", (long) (p + 1) * PAGE_SIZE < total ? "/users?page=" + (p + 1) : null);
        model.addAttribute("canCreate", caller.globalAdmin());
        return "users";
    }

    @GetMapping("/{id}")
    public String show(@PathVariable("id") String id, Model model) {
        return page(model, Ids.parse(id, "User"), null);
    }

    private String page(Model model, UUID id, String problem) {
        Caller caller = callers.current();
        Map<String, Object> user = accounts.getUser(caller, id);
        model.addAttribute("user", user);
        model.addAttribute("created", Pages.when(user.get("created_at")));
        model.addAttribute("canManage", caller.globalAdmin());
        model.addAttribute("self", id.equals(caller.userId()));
        model.addAttribute("problem", problem);
        return "user";
    }

    @GetMapping("/new")
    public String create(Model model) {
        requireGlobalAdmin("create users"); // the form is offered to those who may send it; the service checks again on save
        return formPage(model, form(null, null, null, false));
    }

    @PostMapping("/new")
    public String create(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect,
                         HttpServletResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", SimpleForm.input(params, "username"));
        body.put("password", password(params));
        body.put("email", SimpleForm.input(params, "email"));
        body.put("display_name", SimpleForm.input(params, "display_name"));
        body.put("global_admin", params.containsKey("global_admin"));
        try {
            Map<String, Object> user = accounts.createUser(callers.current(), body);
            redirect.addFlashAttribute("flash", "User " + user.get("username") + " created.");
            return "redirect:/users/" + user.get("id");
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 400) throw e; // not a matter of the input: the error page
            response.setStatus(e.status());
            SimpleForm f = form(params.get("username"), params.get("display_name"), params.get("email"), params.containsKey("global_admin"));
            f.refused(e);
            return formPage(model, f);
        }
    }

    @GetMapping("/{id}/edit")
    public String edit(@PathVariable("id") String id, Model model) {
        requireGlobalAdmin("edit users");
        UUID uuid = Ids.parse(id, "User");
        Map<String, Object> user = accounts.getUser(callers.current(), uuid);
        SimpleForm f = editForm(text(user.get("display_name")), text(user.get("email")), Boolean.TRUE.equals(user.get("global_admin")));
        return editPage(model, user, f);
    }

    @PostMapping("/{id}/edit")
    public String edit(@PathVariable("id") String id, @RequestParam Map<String, String> params, Model model,
                       RedirectAttributes redirect, HttpServletResponse response) {
        requireGlobalAdmin("edit users");
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "User");
        Map<String, Object> user = accounts.getUser(caller, uuid);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("display_name", SimpleForm.input(params, "display_name"));
        body.put("email", SimpleForm.input(params, "email"));
        boolean admin = params.containsKey("global_admin");
        // unchanged, it is left out: an admin saving their own email is no demotion to check
        if (admin != Boolean.TRUE.equals(user.get("global_admin"))) body.put("global_admin", admin);
        String password = password(params);
        if (password != null) body.put("password", password); // empty: the password stays as it is
        try {
            accounts.patchUser(caller, uuid, body);
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 400 && e.status() != 409) throw e;
            response.setStatus(e.status());
            SimpleForm f = editForm(params.get("display_name"), params.get("email"), admin);
            f.refused(e);
            return editPage(model, user, f);
        }
        redirect.addFlashAttribute("flash", "User " + user.get("username") + " saved."
                + (password != null ? " The new password works from now on; the old one no longer does." : ""));
        return "redirect:/users/" + uuid;
    }

    /** Disabling keeps the user and what they own; they sign in no more until enabled again. */
    @PostMapping("/{id}/disable")
    public String disable(@PathVariable("id") String id, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        return setDisabled(id, true, model, redirect, response);
    }

    @PostMapping("/{id}/enable")
    public String enable(@PathVariable("id") String id, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        return setDisabled(id, false, model, redirect, response);
    }

    private String setDisabled(String id, boolean disabled, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        UUID uuid = Ids.parse(id, "User");
        Map<String, Object> user;
        try {
            user = accounts.patchUser(callers.current(), uuid, Map.of("disabled", disabled));
        } catch (ProblemException e) {
            if (e.status() != 409) throw e;
            response.setStatus(e.status());
            return page(model, uuid, e.getMessage()); // yourself, or the last enabled global admin
        }
        redirect.addFlashAttribute("flash", disabled
                ? "User " + user.get("username") + " disabled: they cannot sign in, and their sessions and API tokens stop working."
                : "User " + user.get("username") + " enabled: they can sign in again.");
        return "redirect:/users/" + uuid;
    }

    @GetMapping("/{id}/delete")
    public String confirmDelete(@PathVariable("id") String id, Model model) {
        requireGlobalAdmin("delete users");
        model.addAttribute("user", accounts.getUser(callers.current(), Ids.parse(id, "User")));
        return "user-delete";
    }

    @PostMapping("/{id}/delete")
    public String delete(@PathVariable("id") String id, Model model, RedirectAttributes redirect, HttpServletResponse response) {
        Caller caller = callers.current();
        UUID uuid = Ids.parse(id, "User");
        Map<String, Object> user = accounts.getUser(caller, uuid);
        try {
            accounts.deleteUser(caller, uuid);
        } catch (ProblemException e) {
            if (e.status() != 409) throw e;
            response.setStatus(e.status());
            return page(model, uuid, e.getMessage());
        }
        redirect.addFlashAttribute("flash", "User " + user.get("username") + " deleted.");
        return "redirect:/users";
    }

    private void requireGlobalAdmin(String what) {
        if (!callers.current().globalAdmin()) throw ProblemException.forbidden("Only global admins " + what);
    }

    /** As typed: spaces count; an empty field is no password. */
    private static String password(Map<String, String> params) {
        String password = params.get("password");
        return password == null || password.isEmpty() ? null : password;
    }

    private static String text(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private static SimpleForm form(String username, String displayName, String email, boolean admin) {
        SimpleForm f = new SimpleForm("");
        f.text("username", "Username", username).required = true;
        Node password = f.password("password", "Password");
        password.required = true;
        password.hint = "At least 10 characters.";
        f.text("display_name", "Display name", displayName);
        f.text("email", "Email", email);
        f.checkbox("global_admin", "Global admin (sees and changes everything)", admin);
        return f;
    }

    private static SimpleForm editForm(String displayName, String email, boolean admin) {
        SimpleForm f = new SimpleForm("");
        f.text("display_name", "Display name", displayName).hint = "Shown beside the username; empty for none.";
        f.text("email", "Email", email);
        f.checkbox("global_admin", "Global admin (sees and changes everything)", admin);
        Node password = f.password("password", "New password");
        password.hint = "Leave empty to keep the password. At least 10 characters; the old one stops working at once.";
        return f;
    }

    private static String formPage(Model model, SimpleForm f) {
        return f.page(model, "New user", "/users", "Users", "/users/new", "Create user");
    }

    private static String editPage(Model model, Map<String, Object> user, SimpleForm f) {
        return f.page(model, "Edit user " + user.get("username"), "/users/" + user.get("id"), String.valueOf(user.get("username")),
                "/users/" + user.get("id") + "/edit", "Save user");
    }
}
