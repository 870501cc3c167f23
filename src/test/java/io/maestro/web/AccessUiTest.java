package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** A member of another team sees only their team's records, in lists, search, pickers and forms. */
class AccessUiTest extends UiTest {
    private static final String BOB_PASSWORD = "ui-viewer-password-1";

    @Autowired
    PasswordEncoder encoder;

    @BeforeEach
    void bobInTeamBlue() {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM app_user WHERE username = 'ui-viewer'", Long.class) > 0) return;
        UUID team = UUID.randomUUID();
        UUID user = UUID.randomUUID();
        jdbc.update("INSERT INTO team (id, name, created_at) VALUES (?, 'ui-blue', ?)", team, OffsetDateTime.now());
        jdbc.update("INSERT INTO app_user (id, username, password_hash, global_admin, created_at) VALUES (?, 'ui-viewer', ?, FALSE, ?)",
                user, encoder.encode(BOB_PASSWORD), OffsetDateTime.now());
        jdbc.update("INSERT INTO team_member (team_id, user_id, role) VALUES (?, ?, 'admin')", team, user);
    }

    @Test
    void recordsOfOtherTeamsStayInvisible() {
        String secretServer = admin().post("/servers", Map.of("hostname", "admin-only-01", "ipv4_private", "10.1.1.1")).id();
        as("ui-viewer", BOB_PASSWORD).post("/servers", Map.of("hostname", "blue-01"));
        signIn("ui-viewer", BOB_PASSWORD);
        assertThat(page.locator(".usermenu summary")).containsText("ui-viewer");

        open("/servers");
        assertThat(page.locator(".list-meta")).hasText("1–1 of 1");
        assertThat(page.locator("main")).not().containsText("admin-only-01");
        open("/search?q=01");
        assertThat(page.locator("main")).containsText("blue-01");
        assertThat(page.locator("main")).not().containsText("admin-only-01");
        var r = page.navigate(base() + "/servers/" + secretServer);
        assertThat(r.status()).isEqualTo(404);
        r = page.navigate(base() + "/servers/" + secretServer + "/edit");
        assertThat(r.status()).isEqualTo(404);

        // the picker offers only readable records, and an id slipped into the form is refused
        open("/applications/new");
        page.locator("[name=name]").fill("blue-app");
        page.locator("#f-server_ids").fill("01");
        assertThat(page.locator("#f-server_ids-list .pick-option")).hasCount(1);
        assertThat(page.locator("#f-server_ids-list")).containsText("blue-01");
        page.evaluate("id => { const i = document.createElement('input'); i.type = 'hidden'; i.name = 'server_ids'; i.value = id;"
                + " document.querySelector('.record-form').appendChild(i); }", secretServer);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create application")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("no server with id " + secretServer);
        assertThat((List<?>) as("ui-viewer", BOB_PASSWORD).get("/applications").body().get("items")).isEmpty();

        // catalogs are read-only for people who are not global admins
        open("/services");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New service"))).hasCount(0);
        r = page.navigate(base() + "/services/new");
        assertThat(r.status()).isEqualTo(403);
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Only global admins");
    }
}
