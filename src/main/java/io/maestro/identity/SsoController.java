package io.maestro.identity;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page's "Sign in with ..." button: on to the provider, or back with an error when it cannot be used. */
@Controller
public class SsoController {
    private final SsoSettings settings;
    private final SsoRegistrations registrations;

    public SsoController(SsoSettings settings, SsoRegistrations registrations) {
        this.settings = settings;
        this.registrations = registrations;
    }

    @GetMapping("/login/sso")
    public String start() {
        if (!settings.enabled()) return "redirect:/login";
        if (!registrations.available()) return "redirect:/login?sso_error=provider_unavailable";
        return "redirect:/oauth2/authorization/" + SsoSettings.REGISTRATION;
    }
}
