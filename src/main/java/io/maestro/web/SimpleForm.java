package io.maestro.web;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import org.springframework.ui.Model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small form of plain inputs (a user, a team, a token, a share): its fields with what was typed,
 * and the service's field errors next to each field and in a summary. It validates nothing
 * itself: the service decides, the form only shows its answer.
 */
final class SimpleForm {
    final List<Node> fields = new ArrayList<>();
    final List<Nodes.Problem> problems = new ArrayList<>();
    /** The service's message when it refused the form; null before any attempt. */
    String problem;
    private final String idPrefix;
    private final Map<String, Node> byName = new LinkedHashMap<>();

    /** A submitted value, null when left empty: an empty input is a missing field to the services ("is required"). */
    static String input(Map<String, String> params, String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** {@code idPrefix} keeps input ids unique where a page holds several forms. */
    SimpleForm(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    Node text(String name, String label, String value) {
        Node n = add("text", name, label);
        n.value = value;
        return n;
    }

    /** Passwords are never written back into the page, also not after an error. */
    Node password(String name, String label) {
        Node n = add("text", name, label);
        n.inputType = "password";
        return n;
    }

    Node date(String name, String label, String value) {
        Node n = text(name, label, value);
        n.inputType = "date";
        return n;
    }

    Node select(String name, String label, Map<String, String> choices, String selected) {
        Node n = add("select", name, label);
        List<Node.Opt> opts = new ArrayList<>();
        choices.forEach((value, text) -> opts.add(new Node.Opt(value, text, value.equals(selected), null)));
        n.options = opts;
        return n;
    }

    Node checkbox(String name, String label, boolean checked) {
        Node n = add("checkbox", name, label);
        n.checked = checked;
        return n;
    }

    /** An error found before the service was asked (an unknown username typed where an id is needed). */
    void error(String field, String message) {
        Node n = byName.get(field);
        if (n != null) n.errors.add(message);
        problems.add(new Nodes.Problem(n == null ? field : n.label, n == null ? null : "#" + n.id, message));
        if (problem == null) problem = "Nothing was saved.";
    }

    /** The service's answer: field errors by their field (renamed through {@code aliases}), the message in the summary. */
    void refused(ProblemException e, Map<String, String> aliases) {
        problem = e.getMessage();
        for (FieldError fe : e.errors()) error(aliases.getOrDefault(fe.field(), fe.field()), fe.message());
    }

    void refused(ProblemException e) {
        refused(e, Map.of());
    }

    boolean failed() {
        return problem != null;
    }

    /** This form alone on its page ({@code simple-form.html}): a title, the way back, where it posts. */
    String page(Model model, String title, String backHref, String backLabel, String action, String submit) {
        model.addAttribute("form", this);
        model.addAttribute("title", title);
        model.addAttribute("backHref", backHref);
        model.addAttribute("backLabel", backLabel);
        model.addAttribute("action", action);
        model.addAttribute("submit", submit);
        return "simple-form";
    }

    public List<Node> getFields() {
        return fields;
    }

    public List<Nodes.Problem> getProblems() {
        return problems;
    }

    public String getProblem() {
        return problem;
    }

    private Node add(String widget, String name, String label) {
        Node n = new Node();
        n.widget = widget;
        n.name = name;
        n.id = Nodes.id(idPrefix + name);
        n.label = label;
        fields.add(n);
        byName.put(name, n);
        return n;
    }
}
