package io.maestro.web;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.maestro.support.UiTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** Settings › Options: a global admin adds a choice, and every form's select offers it. */
class OptionsUiTest extends UiTest {
    private Object original;

    @AfterEach
    void restore() {
        if (original != null) admin().put("/options/deploy_type", Map.of("options", original));
    }

    @Test
    void anAddedChoiceAppearsInTheForms() {
        original = admin().get("/options/deploy_type").body().get("options");
        signInAsAdmin();
        open("/options");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Deploy type")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Edit")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add option")).click();
        int last = page.locator("#f-options tbody tr").count() - 1;
        // a repeated value is refused by the field, and nothing changes
        page.locator("[name=\"options[" + last + "].value\"]").fill("git");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("is repeated");
        assertThat(page.locator("[name=\"options[" + last + "].value\"]")).hasValue("git");
        page.locator("[name=\"options[" + last + "].value\"]").fill("Helm");
        page.locator("[name=\"options[" + last + "].aliases\"]").fill("helm chart, charts");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(page.getByRole(AriaRole.STATUS).first()).containsText("saved");
        assertThat(page.locator("main table")).containsText("helm chart, charts");
        List<?> now = (List<?>) admin().get("/options/deploy_type").body().get("options");
        assertThat(now).hasSize(((List<?>) original).size() + 1);

        open("/applications/new");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add deploy")).click();
        assertThat(page.locator("[name=\"deploy[0].type\"] option[value=Helm]")).hasCount(1);
    }
}
