package io.maestro.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The URLs an operator lets users point the server at (discovery endpoints, webhook receivers):
 * a comma-separated list of URL prefixes, each matched on scheme and host exactly, on the port when
 * the prefix names one (else any), and on the start of the path, so that {@code http://127.0.0.1}
 * allows {@code http://127.0.0.1:9000/x} but not {@code http://127.0.0.1.example.com/}. Anything else the server would fetch is a request forgery
 * waiting to happen.
 */
public final class AllowedUrls {
    private record Prefix(String scheme, String host, int port, String path) {
    }

    private final List<Prefix> prefixes;

    private AllowedUrls(List<Prefix> prefixes) {
        this.prefixes = prefixes;
    }

    /** From the setting's value (blank: none). A prefix that is not an http(s) URL with a host stops the start, naming it. */
    public static AllowedUrls parse(String setting, String name) {
        return new AllowedUrls(Arrays.stream(setting == null ? new String[0] : setting.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> {
                    URI u = uri(s);
                    if (u == null) throw new IllegalStateException(name + ": '" + s + "' is not an http or https URL with a host");
                    return new Prefix(u.getScheme().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT), u.getPort(),
                            u.getRawPath() == null ? "" : u.getRawPath());
                }).toList());
    }

    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** An http or https URL with a host and no user:password, or null. */
    public static URI uri(String url) {
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getHost().isBlank() || u.getRawUserInfo() != null) {
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Whether one of the prefixes allows the URL. */
    public boolean allows(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost().toLowerCase(Locale.ROOT);
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return prefixes.stream().anyMatch(p -> p.scheme.equals(scheme) && p.host.equals(host) && (p.port == -1 || p.port == port(url))
                && path.startsWith(p.path));
    }

    /**
     * Null when the host resolves only to public addresses; else why not: loopback, private,
     * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, unique local, multicast or
     * unspecified. A host that does not resolve is refused only when {@code unresolvedRefused}
     * (before sending; a receiver saved before its name is in DNS is fine).
     */
    public static String notPublic(URI url, boolean unresolvedRefused) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return unresolvedRefused ? "its host " + url.getHost() + " does not resolve" : null;
        }
        for (InetAddress a : addresses) {
            byte[] b = a.getAddress();
            boolean cgnat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
            boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
            if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()
                    || cgnat || uniqueLocal) {
                return "its host " + url.getHost() + " is a loopback, private or link-local address (" + a.getHostAddress() + ")";
            }
        }
        return null;
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
