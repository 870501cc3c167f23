package io.maestro.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} (or the bare token) on the API. A valid token signs the request in as its
 * user, with {@link CurrentCaller.TokenDetails} as details (so the caller knows its scope); a read
 * token gets 403 on anything but GET/HEAD/OPTIONS. Any other token (malformed, unknown, expired,
 * revoked) answers 401 at once. Not a bean: it runs only inside the API filter chain.
 */
class BearerTokenFilter extends OncePerRequestFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private final ApiTokens tokens;

    BearerTokenFilter(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        // A bare token (no scheme) is what Prometheus 2.42's http_sd_configs send for
        // authorization: {credentials: <token>}: its default type Bearer is not applied there.
        boolean bare = header != null && header.startsWith("mae_");
        if (header == null || !bare && (!header.regionMatches(true, 0, "Bearer", 0, 6)
                || (header.length() > 6 && !Character.isWhitespace(header.charAt(6))))) {
            chain.doFilter(request, response);
            return;
        }
        ApiTokens.Holder holder;
        try {
            holder = tokens.authenticate(bare ? header.strip() : header.substring(6).strip());
        } catch (ApiTokens.Refused refused) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            SecurityConfig.write(response, 401, "Unauthorized", refused.getMessage(), request.getRequestURI());
            return;
        }
        if (holder.readOnly() && !SAFE.contains(request.getMethod())) {
            SecurityConfig.write(response, 403, "Forbidden", "This token may only read (its scope is read)", request.getRequestURI());
            return;
        }
        UsernamePasswordAuthenticationToken auth = UsernamePasswordAuthenticationToken.authenticated(holder.username(), null,
                List.of(new SimpleGrantedAuthority(holder.globalAdmin() ? "ROLE_ADMIN" : "ROLE_USER")));
        auth.setDetails(new CurrentCaller.TokenDetails(holder.tokenId(), holder.tokenName(), holder.readOnly()));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(auth);
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
