package io.maestro.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;

/**
 * Failed form logins go back to the login page, as usual (a disabled account's right password
 * with its own message); a username locked by the
 * {@link LoginThrottle} answers 429 with a short page saying when to try again.
 */
class LoginFailureHandler extends SimpleUrlAuthenticationFailureHandler {
    LoginFailureHandler() {
        super("/login?error");
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException, jakarta.servlet.ServletException {
        if (e instanceof CachingPasswordAuthentication.AccountDisabled) {
            getRedirectStrategy().sendRedirect(request, response, "/login?disabled");
            return;
        }
        if (!(e instanceof LoginThrottle.ThrottledException locked)) {
            super.onAuthenticationFailure(request, response, e);
            return;
        }
        response.setStatus(429);
        response.setHeader("Retry-After", String.valueOf(locked.retryAfterSeconds()));
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many failed logins - Maestro</title>"
                + "</head><body><main><h1>Too many failed logins</h1><p>" + HtmlUtils.htmlEscape(locked.getMessage())
                + "</p><p><a href=\"/login\">Back to the login page</a></p></main></body></html>");
    }
}
