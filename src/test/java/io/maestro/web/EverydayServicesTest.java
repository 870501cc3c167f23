package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.support.ApiTest;
import io.maestro.views.SavedView;
import io.maestro.views.SavedViews;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The services behind the everyday UI, on both databases (the browser tests run on H2 only):
 * saved views and their sharing, and the rolled-back save that checks a form while it is typed.
 */
class EverydayServicesTest extends ApiTest {
    @Autowired
    SavedViews views;
    @Autowired
    RecordService records;
    @Autowired
    Kinds kinds;

    private UUID defaultTeam;
    private UUID adminId;

    @BeforeEach
    void setUp() {
        jdbc.update("DELETE FROM saved_view");
        defaultTeam = jdbc.queryForObject("SELECT id FROM team WHERE name = 'default'", UUID.class);
        adminId = jdbc.queryForObject("SELECT id FROM app_user WHERE username = 'admin'", UUID.class);
    }

    private Caller admin(boolean teamAdmin) {
        return new Caller(adminId, "admin", false, List.of(defaultTeam), teamAdmin ? List.of(defaultTeam) : List.of(), defaultTeam, null, false);
    }

    private Caller stranger() {
        return new Caller(UUID.randomUUID(), "stranger", false, List.of(UUID.randomUUID()), List.of(), null, null, false);
    }

    private Caller member() {
        return new Caller(UUID.randomUUID(), "member", false, List.of(defaultTeam), List.of(), defaultTeam, null, false);
    }

    @Test
    void viewsArePersonalOrSharedWithATeam() {
        SavedView mine = views.create("servers", "Mine", "environment=Production", "hostname,cpu", null, admin(true));
        SavedView shared = views.create("servers", "Shared", "sort=-hostname", null, defaultTeam, admin(true));
        views.create("applications", "Apps", "", null, null, admin(true));
        assertThat(mine.query()).isEqualTo("environment=Production");
        assertThat(mine.columns()).isEqualTo("hostname,cpu");
        assertThat(shared.team()).isEqualTo("default");
        assertThat(views.visible("servers", admin(true))).extracting(SavedView::name).containsExactly("Mine", "Shared");
        assertThat(views.visible(null, admin(true))).hasSize(3);
        assertThat(views.visible("servers", member())).extracting(SavedView::name).containsExactly("Shared");
        assertThat(views.visible("servers", stranger())).isEmpty();
        assertThatThrownBy(() -> views.get(mine.id(), member())).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> views.delete(shared.id(), member())).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(403));
        views.delete(shared.id(), admin(true));
        assertThat(views.visible("servers", member())).isEmpty();
    }

    @Test
    void aViewNeedsANameAndOneOfTheCallersTeams() {
        assertThatThrownBy(() -> views.create("servers", " ", "", null, null, admin(true)))
                .satisfies(e -> assertThat(((ProblemException) e).errors()).extracting(f -> f.field()).containsExactly("name"));
        assertThatThrownBy(() -> views.create("servers", "x", "", null, UUID.randomUUID(), admin(true)))
                .satisfies(e -> assertThat(((ProblemException) e).errors()).extracting(f -> f.field()).containsExactly("team_id"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM saved_view", Integer.class)).isZero();
    }

    @Test
    void aCheckAnswersWhatASaveWouldAndStoresNothing() {
        String dc = admin().post("/datacenters", Map.of("name", "aws-east", "provider", "AWS")).id();
        String web01 = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1",
                "datacenter", Map.of("id", dc, "instance_id", "i-1"))).id();
        Caller caller = admin(true);
        List<Map<String, Object>> warnings = records.check(kinds.get("servers"), null,
                Map.of("hostname", "WEB01", "ipv4_private", "10.0.0.1", "services", List.of(Map.of("name", "Brand-new service"))), caller);
        assertThat(warnings).extracting(w -> w.get("code")).containsExactlyInAnyOrder("duplicate_hostname", "duplicate_ipv4_private");
        assertThat(warnings.get(0).get("conflicts")).isEqualTo(List.of(web01));
        assertThatThrownBy(() -> records.check(kinds.get("servers"), null,
                Map.of("hostname", "web02", "datacenter", Map.of("id", dc, "instance_id", "i-1")), caller))
                .satisfies(e -> {
                    assertThat(((ProblemException) e).status()).isEqualTo(409);
                    assertThat(((ProblemException) e).extra()).containsEntry("existing_id", web01);
                });
        // the record itself is no duplicate of itself
        assertThat(records.check(kinds.get("servers"), UUID.fromString(web01), Map.of("hostname", "web01", "ipv4_private", "10.0.0.1",
                "datacenter", Map.of("id", dc, "instance_id", "i-1")), caller)).isEmpty();
        assertThat(admin().get("/servers?size=10").body().get("total")).isEqualTo(1);
        assertThat(admin().get("/services?name=Brand-new%20service").body().get("total")).isEqualTo(0);
        assertThat(admin().get("/servers/" + web01).body()).containsEntry("version", 1);
        assertThat((List<?>) admin().get("/history?kind=servers").body().get("items")).hasSize(1);
    }
}
