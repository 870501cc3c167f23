package io.maestro.api;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** /clients: SLA owners and their contacts. */
class ClientApiTest extends KindApiTest {
    @Override
    String path() {
        return "/clients";
    }

    @Override
    List<String> contractFields() {
        return List.of("sla", "contacts");
    }

    @Override
    List<String> reverseLists() {
        return List.of("systems");
    }

    @Override
    Map<String, Object> minimal() {
        return json("{\"name\": \"ACME\"}");
    }

    @Override
    Map<String, Object> full() {
        return json("""
                {"name": "Globex", "description": "key account", "sla": "99.9%% monthly, 24/7 support",
                 "contacts": [{"channel": "e-mail", "value": "ops@globex.example"}, {"channel": "slack", "value": "#globex"},
                              {"channel": "Microsoft Teams", "value": "Globex Ops"}],
                 "tags": [{"key": "tier", "value": "gold"}]}
                """);
    }

    @Override
    Map<String, Object> expectedFull(Map<String, Object> full) {
        Map<String, Object> e = new LinkedHashMap<>(full);
        e.put("contacts", List.of(json("{\"channel\": \"Email\", \"value\": \"ops@globex.example\"}"),
                json("{\"channel\": \"Slack\", \"value\": \"#globex\"}"),
                json("{\"channel\": \"MS Teams\", \"value\": \"Globex Ops\"}")));
        return e;
    }

    @Override
    Map<String, Object> patch() {
        return json("{\"sla\": \"99.5%\"}");
    }

    @Test
    void textIsUtf8InAndOut() {
        String name = "Müller & Söhne — 東京 ☁";
        Response r = admin().post("/clients", json("{\"name\": \"%s\", \"sla\": \"24/7 ✓\"}", name));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).contains("json");
        assertThat(admin().get("/clients/" + r.id()).body()).containsEntry("name", name).containsEntry("sla", "24/7 ✓");
        assertThat(admin().get("/clients?q=東京").items()).extracting(i -> i.get("id")).containsExactly(r.id());
        assertThat(admin().get("/clients?q=SÖHNE").items()).extracting(i -> i.get("id")).containsExactly(r.id());
    }

    @Test
    void readsListTheSystemsItOwns() {
        String client = admin().post("/clients", minimal()).id();
        assertThat(admin().get("/clients/" + client).body()).containsEntry("systems", List.of());
    }
}
