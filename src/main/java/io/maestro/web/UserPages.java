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

/**
 * Admin › Users. Global admins list everyone and create users; others see themselves and the
 * members of their teams, exactly as {@code GET /api/v1/users} answers them ({@link Accounts}).
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
        Map<String, Object> user = accounts.getUser(callers.current(), Ids.parse(id, "User"));
        model.addAttribute("user", user);
        model.addAttribute("created", Pages.when(user.get("created_at")));
        return "user";
    }

    @GetMapping("/new")
    public String create(Model model) {
        // the form is offered to those who may send it; the service checks again on save
        if (!callers.current().globalAdmin()) throw ProblemException.forbidden("Only global admins create users");
        return formPage(model, form(null, null, false));
    }

    @PostMapping("/new")
    public String create(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect,
                         HttpServletResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", SimpleForm.input(params, "username"));
        String password = params.get("password");
        body.put("password", password == null || password.isEmpty() ? null : password); // as typed: spaces count
        body.put("email", SimpleForm.input(params, "email"));
        body.put("global_admin", params.containsKey("global_admin"));
        try {
            Map<String, Object> user = accounts.createUser(callers.current(), body);
            redirect.addFlashAttribute("flash", "User " + user.get("username") + " created.");
            return "redirect:/users/" + user.get("id");
        } catch (ProblemException e) {
            if (e.errors().isEmpty() && e.status() != 400) throw e; // not a matter of the input: the error page
            response.setStatus(e.status());
            SimpleForm f = form(params.get("username"), params.get("email"), params.containsKey("global_admin"));
            f.refused(e);
            return formPage(model, f);
        }
    }

    private static SimpleForm form(String username, String email, boolean admin) {
        SimpleForm f = new SimpleForm("");
        f.text("username", "Username", username).required = true;
        Node password = f.password("password", "Password");
        password.required = true;
        password.hint = "At least 10 characters.";
        f.text("email", "Email", email);
        f.checkbox("global_admin", "Global admin (sees and changes everything)", admin);
        return f;
    }

    private static String formPage(Model model, SimpleForm f) {
        return f.page(model, "New user", "/users", "Users", "/users/new", "Create user");
    }
}
