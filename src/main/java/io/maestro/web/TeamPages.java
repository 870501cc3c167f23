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
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Admin › Teams: the caller's teams (global admins: all), creating one (the creator becomes its
 * admin), and its members. Team admins and global admins add members, change roles and remove
 * members; anyone may leave. Every change goes through {@link Accounts}, like the API's.
 */
@Controller
@RequestMapping("/teams")
public class TeamPages {
    private static final Map<String, String> ROLES = roles();

    private final Accounts accounts;
    private final CallerProvider callers;
    private final Directory directory;

    public TeamPages(Accounts accounts, CallerProvider callers, Directory directory) {
        this.accounts = accounts;
        this.callers = callers;
        this.directory = directory;
    }

    @GetMapping
    public String list(Model model) {
        model.addAttribute("teams", accounts.listTeams(callers.current()).get("items"));
        return "teams";
    }

    @GetMapping("/new")
    public String create(Model model) {
        callers.current();
        return formPage(model, teamForm(null, null));
    }

    @PostMapping("/new")
    public String create(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect,
                         HttpServletResponse response) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", SimpleForm.input(params, "name"));
        body.put("email", SimpleForm.input(params, "email"));
        try {
            Map<String, Object> team = accounts.createTeam(callers.current(), body);
            redirect.addFlashAttribute("flash", "Team " + team.get("name") + " created; you are its admin.");
            return "redirect:/teams/" + team.get("id");
        } catch (ProblemException e) {
            response.setStatus(e.status());
            SimpleForm f = teamForm(params.get("name"), params.get("email"));
            f.refused(e);
            return formPage(model, f);
        }
    }

    @GetMapping("/{id}")
    public String show(@PathVariable("id") String id, Model model) {
        return page(model, Ids.parse(id, "Team"), memberForm(null, "member"), null);
    }

    /** Adds a member or changes the role of one already in the team. */
    @PostMapping("/{id}/members")
    public String addMember(@PathVariable("id") String id, @RequestParam(value = "username", defaultValue = "") String username,
                            @RequestParam(value = "role", defaultValue = "") String role, Model model,
                            RedirectAttributes redirect, HttpServletResponse response) {
        UUID team = Ids.parse(id, "Team");
        SimpleForm f = memberForm(username, role);
        String name = username.strip();
        // the API names the user in its path; a name that resolves to nobody is an input error here
        if (name.isEmpty()) f.error("username", "is required");
        else if (directory.userId(name).isEmpty()) f.error("username", "no user with this name");
        int status = 400;
        if (!f.failed()) {
            try {
                accounts.setMember(callers.current(), team, name, Map.of("role", role));
                redirect.addFlashAttribute("flash", name + " is now " + (role.equals("admin") ? "an admin" : "a member") + " of the team.");
                return "redirect:/teams/" + team;
            } catch (ProblemException e) {
                if (e.status() == 404 || e.status() == 403) throw e;
                status = e.status();
                f.refused(e);
            }
        }
        response.setStatus(status);
        return page(model, team, f, null);
    }

    @PostMapping("/{id}/members/{user}")
    public String changeRole(@PathVariable("id") String id, @PathVariable("user") String user,
                             @RequestParam(value = "role", defaultValue = "") String role, Model model,
                             RedirectAttributes redirect, HttpServletResponse response) {
        UUID team = Ids.parse(id, "Team");
        try {
            accounts.setMember(callers.current(), team, user, Map.of("role", role));
        } catch (ProblemException e) {
            return refused(e, model, team, response);
        }
        redirect.addFlashAttribute("flash", "Role changed.");
        return "redirect:/teams/" + team;
    }

    @PostMapping("/{id}/members/{user}/remove")
    public String remove(@PathVariable("id") String id, @PathVariable("user") String user, Model model,
                         RedirectAttributes redirect, HttpServletResponse response) {
        UUID team = Ids.parse(id, "Team");
        Caller caller = callers.current();
        try {
            accounts.removeMember(caller, team, user);
        } catch (ProblemException e) {
            return refused(e, model, team, response);
        }
        if (user.equals(String.valueOf(caller.userId()))) {
            redirect.addFlashAttribute("flash", "You left the team.");
            return "redirect:/teams";
        }
        redirect.addFlashAttribute("flash", "Member removed.");
        return "redirect:/teams/" + team;
    }

    /** A refused role change or removal (the last admin of a team stays): the team page with the reason. */
    private String refused(ProblemException e, Model model, UUID team, HttpServletResponse response) {
        if (e.status() == 404 || e.status() == 403) throw e;
        response.setStatus(e.status());
        return page(model, team, memberForm(null, "member"), e.getMessage());
    }

    private String page(Model model, UUID id, SimpleForm memberForm, String problem) {
        Caller caller = callers.current();
        Map<String, Object> team = accounts.getTeam(caller, id);
        model.addAttribute("team", team);
        model.addAttribute("created", Pages.when(team.get("created_at")));
        boolean canManage = caller.isTeamAdmin(id);
        model.addAttribute("canManage", canManage);
        model.addAttribute("myId", String.valueOf(caller.userId()));
        model.addAttribute("roles", ROLES);
        model.addAttribute("memberForm", memberForm);
        model.addAttribute("problem", problem);
        // names to pick from: the users the caller may see, as GET /api/v1/users shows them
        Object users = canManage ? accounts.listUsers(caller, 0, 200).get("items") : List.of();
        model.addAttribute("usernames", users instanceof List<?> l ? l.stream().map(u -> ((Map<?, ?>) u).get("username")).toList() : List.of());
        return "team";
    }

    private static SimpleForm teamForm(String name, String email) {
        SimpleForm f = new SimpleForm("");
        f.text("name", "Name", name).required = true;
        f.text("email", "Email", email);
        return f;
    }

    private static SimpleForm memberForm(String username, String role) {
        SimpleForm f = new SimpleForm("member-");
        Node user = f.text("username", "Username", username);
        user.widget = "catalog";
        user.datalist = "dl-usernames";
        user.required = true;
        f.select("role", "Role", ROLES, role);
        return f;
    }


    private static Map<String, String> roles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("member", "Member");
        m.put("admin", "Admin");
        return m;
    }

    private static String formPage(Model model, SimpleForm f) {
        return f.page(model, "New team", "/teams", "Teams", "/teams/new", "Create team");
    }
}
