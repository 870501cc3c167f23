package io.maestro.core.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;

/**
 * With {@code maestro.public-url} set (MAESTRO_PUBLIC_URL, e.g. {@code https://cmdb.example.com}),
 * every absolute URL Maestro writes — {@code Location} headers, sign-in redirects, the single
 * sign-on {@code redirect_uri}, the integrations page's examples — starts with it, whatever
 * {@code Host} or {@code X-Forwarded-*} header a request carried. Without it they follow the
 * request (and, behind a balancer, its forwarded headers), so a client that reaches a node
 * directly could make Maestro name another site. Runs first, before Spring Security.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PublicUrlFilter extends OncePerRequestFilter {
    private static final Set<String> FORWARDED = Set.of("forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-forwarded-prefix", "x-forwarded-ssl");

    private final URI publicUrl;

    public PublicUrlFilter(@Value("${maestro.public-url:}") String publicUrl) {
        this.publicUrl = parse(publicUrl);
    }

    /** The setting as an origin (scheme, host, optional port), or null when unset; anything else stops the start with the reason. */
    static URI parse(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.strip().replaceAll("/+$", "");
        try {
            URI u = new URI(v);
            if (!("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
                throw new IllegalStateException("MAESTRO_PUBLIC_URL must be an http or https URL with a host, e.g. https://cmdb.example.com; got " + value);
            }
            if ((u.getRawPath() != null && !u.getRawPath().isEmpty()) || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new IllegalStateException("MAESTRO_PUBLIC_URL is the site's origin only (scheme, host and port, no path): got " + value);
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("MAESTRO_PUBLIC_URL is not a URL: " + value, e);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return publicUrl == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new PublicRequest(request, publicUrl), new PublicResponse(response, publicUrl.toString()));
    }

    /** Redirects to a path on this site go to the public URL (the container would make them absolute from the request's Host). */
    private static final class PublicResponse extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final String origin;

        PublicResponse(HttpServletResponse response, String origin) {
            super(response);
            this.origin = origin;
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            super.sendRedirect(location.startsWith("/") && !location.startsWith("//") ? origin + location : location);
        }
    }

    /** The request as if it had been addressed to the public URL. */
    private static final class PublicRequest extends HttpServletRequestWrapper {
        private final String scheme;
        private final String host;
        private final int port;
        private final String hostHeader;
        private final String origin;

        PublicRequest(HttpServletRequest request, URI url) {
            super(request);
            origin = url.toString();
            scheme = url.getScheme().toLowerCase(Locale.ROOT);
            host = url.getHost();
            port = url.getPort() != -1 ? url.getPort() : "https".equals(scheme) ? 443 : 80;
            hostHeader = url.getPort() != -1 ? host + ":" + port : host;
        }

        @Override
        public String getScheme() {
            return scheme;
        }

        @Override
        public boolean isSecure() {
            return "https".equals(scheme);
        }

        @Override
        public String getServerName() {
            return host;
        }

        @Override
        public int getServerPort() {
            return port;
        }

        @Override
        public StringBuffer getRequestURL() {
            return new StringBuffer(origin).append(getRequestURI());
        }

        @Override
        public String getHeader(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("host")) return hostHeader;
            return FORWARDED.contains(n) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("host")) return Collections.enumeration(java.util.List.of(hostHeader));
            return FORWARDED.contains(n) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(h -> !FORWARDED.contains(h.toLowerCase(Locale.ROOT))).toList());
        }
    }
}
