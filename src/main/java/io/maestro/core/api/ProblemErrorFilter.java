package io.maestro.core.api;

import io.maestro.core.Json;
import io.maestro.core.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Errors that never reach the API's exception handler (no handler matched: 404, 405, 406; the
 * security firewall; the servlet container) end in {@code sendError}, which would render Boot's
 * error page as HTML or plain JSON. Under /api/ they become application/problem+json instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ProblemErrorFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chainWithProblems(request, response, chain);
        } catch (RuntimeException | ServletException e) {
            // a filter (authentication) needed the database and it was unreachable or busy: 503, not 500
            if (!io.maestro.core.reliability.TransientDatabaseError.is(e) || response.isCommitted()) throw e;
            org.slf4j.LoggerFactory.getLogger(ProblemErrorFilter.class).warn("Database temporarily unavailable on {} {}: {}",
                    request.getMethod(), request.getRequestURI(), io.maestro.core.reliability.TransientDatabaseError.cause(e));
            response.setHeader("Retry-After", io.maestro.core.ApiExceptionHandler.RETRY_AFTER_SECONDS);
            writeProblem(request, response, 503, "The database is busy or unreachable; nothing was stored. Retry in a moment");
        }
    }

    private void chainWithProblems(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void sendError(int status) throws IOException {
                sendError(status, null);
            }

            @Override
            public void sendError(int status, String message) throws IOException {
                if (isCommitted()) return;
                writeProblem(request, (HttpServletResponse) getResponse(), status, detail(request, status));
            }
        });
    }

    static void writeProblem(HttpServletRequest request, HttpServletResponse response, int status, String detail) throws IOException {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error " + status : known.getReasonPhrase();
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(Problems.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        byte[] body = Json.write(Problems.body(status, title, detail, null, null, request.getRequestURI())).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    private static String detail(HttpServletRequest request, int status) {
        return switch (status) {
            case 404 -> "No such resource: " + request.getRequestURI();
            case 405 -> request.getMethod() + " is not supported here";
            case 406 -> "This resource answers application/json (or application/problem+json for errors)";
            case 415 -> "Send application/json, in UTF-8";
            default -> HttpStatus.resolve(status) == null ? "The request failed" : HttpStatus.resolve(status).getReasonPhrase();
        };
    }
}
