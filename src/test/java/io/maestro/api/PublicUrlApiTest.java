package io.maestro.api;

import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With MAESTRO_PUBLIC_URL set, the URLs Maestro writes name the public site whatever Host or
 * X-Forwarded-* header the request carried (a client reaching a node directly cannot make it name
 * another site); requests are written by hand because Java's HTTP clients refuse to set Host.
 */
@TestPropertySource(properties = "maestro.public-url=https://cmdb.example.com")
class PublicUrlApiTest extends ApiTest {

    @Test
    void aCreatedRecordsLocationNamesThePublicUrlNotTheHostTheClientSent() {
        String body = "{\"hostname\": \"public-url-01\"}";
        String response = send("POST /api/v1/servers HTTP/1.1\r\nHost: evil.example:9999\r\nX-Forwarded-Host: evil-too.example\r\n"
                + "X-Forwarded-Proto: http\r\nAuthorization: Basic " + basic() + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(response).startsWith("HTTP/1.1 201");
        assertThat(header(response, "Location")).matches("https://cmdb\\.example\\.com/api/v1/servers/[0-9a-f-]{36}");
    }

    @Test
    void theSignInRedirectNamesThePublicUrl() {
        String response = send("GET /servers HTTP/1.1\r\nHost: evil.example\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 302");
        assertThat(header(response, "Location")).isEqualTo("https://cmdb.example.com/login");
    }

    @Test
    void aPublicUrlWithAPathOrWithoutAHostStopsTheStartWithTheReason() {
        assertThatThrownBy(() -> new io.maestro.core.api.PublicUrlFilter("https://cmdb.example.com/maestro"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MAESTRO_PUBLIC_URL").hasMessageContaining("no path");
        assertThatThrownBy(() -> new io.maestro.core.api.PublicUrlFilter("cmdb.example.com"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("http or https URL with a host");
        // a trailing slash is the same origin
        new io.maestro.core.api.PublicUrlFilter("http://cmdb.example.com:8443/");
    }

    private static String basic() {
        return Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private String send(String request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(String response, String name) {
        for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).strip();
        }
        return null;
    }
}
