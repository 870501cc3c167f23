package io.maestro.web;

import io.maestro.core.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

import java.util.List;

/**
 * What every page's frame needs (the signed-in name, the navigation), and errors of the pages
 * as HTML pages in the frame, ahead of the API's problem+json handler.
 */
@ControllerAdvice(basePackages = "io.maestro.web")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class WebAdvice {
    private final Views views;

    public WebAdvice(Views views) {
        this.views = views;
    }

    @ModelAttribute("me")
    public String me() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || auth instanceof AnonymousAuthenticationToken || !auth.isAuthenticated() ? null : auth.getName();
    }

    @ModelAttribute("navInventory")
    public List<KindView> navInventory() {
        return views.inventory();
    }

    @ModelAttribute("navSettings")
    public List<KindView> navSettings() {
        return views.settings();
    }

    /** The first path segment, to mark the current navigation entry. */
    @ModelAttribute("section")
    public String section(HttpServletRequest request) {
        String[] parts = request.getRequestURI().split("/");
        return parts.length > 1 ? parts[1] : "";
    }

    /** The global search box keeps its text on the search page. */
    @ModelAttribute("searchQ")
    public String searchQ(HttpServletRequest request) {
        return request.getRequestURI().equals("/search") ? request.getParameter("q") : null;
    }

    @ExceptionHandler(ProblemException.class)
    public String problem(ProblemException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(e.status());
        model.addAttribute("section", section(request));
        model.addAttribute("me", me());
        model.addAttribute("navInventory", views.inventory());
        model.addAttribute("navSettings", views.settings());
        model.addAttribute("status", e.status());
        model.addAttribute("title", e.title());
        model.addAttribute("message", e.getMessage());
        return "problem";
    }
}
