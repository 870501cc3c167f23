package io.maestro.web;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.api.OptionsController;
import io.maestro.core.options.Option;
import io.maestro.core.options.OptionsService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings › Options: the option lists behind every select (environments, OS bases, engines ...).
 * Everyone signed in reads them; global admins edit them, checked by the same code as the API.
 */
@Controller
@RequestMapping("/options")
public class OptionPages {
    private static final Pattern ROW = Pattern.compile("options\\[(\\d{1,4})]\\.");

    private final OptionsService options;
    private final CallerProvider callers;

    public OptionPages(OptionsService options, CallerProvider callers) {
        this.options = options;
        this.callers = callers;
    }

    public record ListSummary(String name, String label, int size, String sample) {
    }

    @GetMapping
    public String index(Model model) {
        callers.current();
        List<ListSummary> lists = new ArrayList<>();
        options.all().forEach((name, opts) -> lists.add(new ListSummary(name, Labels.humanize(name), opts.size(),
                String.join(", ", opts.stream().limit(6).map(Option::label).toList()) + (opts.size() > 6 ? ", …" : ""))));
        model.addAttribute("lists", lists);
        return "options";
    }

    @GetMapping("/{list}")
    public String show(@PathVariable("list") String list, Model model) {
        Caller caller = callers.current();
        model.addAttribute("name", list);
        model.addAttribute("label", Labels.humanize(list));
        model.addAttribute("items", options.list(list));
        model.addAttribute("canEdit", caller.globalAdmin());
        return "option";
    }

    @GetMapping("/{list}/edit")
    public String edit(@PathVariable("list") String list, Model model) {
        requireAdmin();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Option o : options.list(list)) rows.add(row(o.value(), o.label(), String.join(", ", o.aliases()), attrsText(o.attrs())));
        form(model, list, rows, List.of(), null);
        return "option-form";
    }

    @PostMapping("/{list}/edit")
    public String save(@PathVariable("list") String list, HttpServletRequest request, Model model, RedirectAttributes redirect,
                       HttpServletResponse response) {
        requireAdmin();
        options.list(list); // 404 for a list that does not exist
        Map<String, String[]> params = request.getParameterMap();
        TreeSet<Integer> indices = new TreeSet<>();
        params.keySet().forEach(k -> {
            Matcher m = ROW.matcher(k);
            if (m.lookingAt()) indices.add(Integer.parseInt(m.group(1)));
        });
        List<Map<String, Object>> typed = new ArrayList<>();
        List<Object> body = new ArrayList<>();
        for (int i : indices) {
            String value = param(params, "options[" + i + "].value");
            String label = param(params, "options[" + i + "].label");
            String aliases = param(params, "options[" + i + "].aliases");
            String attrs = param(params, "options[" + i + "].attrs");
            if (value == null && label == null && aliases == null && attrs == null) continue;
            typed.add(row(value, label, aliases, attrs));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("value", value);
            if (label != null) o.put("label", label);
            o.put("aliases", split(aliases, ","));
            Map<String, String> a = new LinkedHashMap<>();
            for (String pair : split(attrs, ";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) a.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            o.put("attrs", a);
            body.add(o);
        }
        try {
            options.replace(list, OptionsController.parse(list, body));
        } catch (ProblemException e) {
            response.setStatus(e.status());
            form(model, list, typed, e.errors(), e.getMessage());
            return "option-form";
        }
        redirect.addFlashAttribute("flash", "Option list saved.");
        return "redirect:/options/" + list;
    }

    private void requireAdmin() {
        if (!callers.current().globalAdmin()) throw ProblemException.forbidden("Only global admins edit option lists");
    }

    private static Map<String, Object> row(String value, String label, String aliases, String attrs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", value);
        m.put("label", label);
        m.put("aliases", aliases);
        m.put("attrs", attrs);
        return m;
    }

    /** The form as a rows node, so it is drawn (and rows added) like every other repeatable group. */
    private void form(Model model, String list, List<Map<String, Object>> rows, List<FieldError> errors, String problem) {
        Node n = new Node();
        n.widget = "rows";
        n.name = "options";
        n.id = "f-options";
        n.label = "Options";
        n.quiet = true;
        n.addLabel = "Add option";
        n.columns = List.of("Value", "Label", "Aliases (comma-separated)", "Attributes (key=value; …)");
        List<Nodes.Problem> problems = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) n.rows.add(cells(String.valueOf(i), rows.get(i), errors, problems));
        n.template = cells("__i__", Map.of(), List.of(), new ArrayList<>());
        errors.stream().filter(e -> !e.field().matches("options\\[\\d+]\\..*"))
                .forEach(e -> problems.add(new Nodes.Problem(e.field(), null, e.message())));
        model.addAttribute("name", list);
        model.addAttribute("label", Labels.humanize(list));
        model.addAttribute("node", n);
        model.addAttribute("problem", problem);
        model.addAttribute("problems", problems);
    }

    private static Node.Row cells(String index, Map<String, Object> row, List<FieldError> errors, List<Nodes.Problem> problems) {
        List<Node> cells = new ArrayList<>();
        for (String c : List.of("value", "label", "aliases", "attrs")) {
            Node cell = new Node();
            cell.widget = "text";
            cell.name = "options[" + index + "]." + c;
            cell.id = Nodes.id(cell.name);
            cell.label = Labels.humanize(c);
            cell.required = c.equals("value");
            Object v = row.get(c);
            cell.value = v == null ? null : v.toString();
            String path = c.equals("attrs") || c.equals("aliases") ? "options[" + index + "]." + c : cell.name;
            for (FieldError e : errors) {
                if (e.field().equals(path) || (c.equals("value") && e.field().equals("options[" + index + "]"))) {
                    cell.errors.add(e.message());
                    problems.add(new Nodes.Problem("Option " + (Integer.parseInt(index) + 1) + " › " + cell.label, "#" + cell.id, e.message()));
                }
            }
            cells.add(cell);
        }
        return new Node.Row(index, cells);
    }

    private static String attrsText(Map<String, String> attrs) {
        List<String> parts = new ArrayList<>();
        attrs.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join("; ", parts);
    }

    private static List<String> split(String text, String separator) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String s : text.split(separator)) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    private static String param(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 || v[0] == null || v[0].isBlank() ? null : v[0].strip();
    }
}
