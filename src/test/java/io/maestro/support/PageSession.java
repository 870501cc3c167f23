package io.maestro.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A browser's session without a browser: signs in through the login form, then GETs and POSTs pages with its cookie and CSRF token. */
public final class PageSession {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final int port;
    private String csrf;

    /** A page's status and HTML, and the text of a table's rows. */
    public record Page(int status, String html) {
        /** Each body row of the table with this id (or the first table in the element with it), its cells' text joined by spaces. */
        public List<String> rows(String id) {
            int at = html.indexOf("id=\"" + id + "\"");
            assertThat(at).as("element #" + id + " in the page").isGreaterThanOrEqualTo(0);
            int body = html.indexOf("<tbody", at);
            String rows = html.substring(body, html.indexOf("</tbody>", body));
            return Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(rows).results()
                    .map(r -> r.group(1).replaceAll("<[^>]+>", " ").replace("&amp;", "&").replaceAll("\\s+", " ").replace(" ,", ",").strip())
                    .toList();
        }
    }

    public PageSession(int port, String user, String password) {
        this.port = port;
        String login = raw("/login").body();
        csrf = token(login);
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf))));
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
        csrf = token(raw("/").body());
    }

    public Page get(String path) {
        HttpResponse<String> r = raw(path);
        return new Page(r.statusCode(), r.body());
    }

    public HttpResponse<String> raw(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path, String form) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + enc(csrf))));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String token(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (m.find()) return m.group(1);
        m = Pattern.compile("&quot;X-CSRF-TOKEN&quot;: &quot;([^&]+)&quot;").matcher(html);
        assertThat(m.find()).as("a CSRF token in the page").isTrue();
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
