package io.maestro.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.maestro.core.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the browser tests: Debian's Chromium driven by Playwright against the real server.
 * Every page a test opens is watched for JavaScript errors (console errors and uncaught
 * exceptions, including CSP refusals); any fails the test. Runs on H2 only, to keep CI quick.
 */
public abstract class UiTest extends ApiTest {
    public static final int WIDE = 1280;
    public static final int NARROW = 390;
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private static Playwright playwright;
    private static Browser browser;
    private static String axeSource;

    protected BrowserContext context;
    protected Page page;
    protected final List<String> consoleErrors = new ArrayList<>();
    /** How wide the last page screenshotted was at 390 px: wider means the page scrolls sideways. */
    protected int narrowScrollWidth;

    /** One browser for every UI test class of the run: starting Playwright unpacks its driver, which takes seconds. */
    @BeforeAll
    static synchronized void launch() {
        Assumptions.assumeFalse("postgresql".equals(database()), "browser tests run on H2 only");
        if (browser != null) return;
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium")))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            browser.close();
            playwright.close();
        }));
    }

    @BeforeEach
    void openBrowser() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(WIDE, 900).setLocale("en-US"));
        context.setDefaultTimeout(10_000);
        // assertions retry until they hold: on a loaded machine a form post and its redirect can take longer than the 5 s default
        com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        page = context.newPage();
        watch(page);
    }

    /** Fails on any console error or uncaught exception of a page (a CSP refusal is a console error). */
    protected void watch(Page p) {
        p.onConsoleMessage(m -> {
            // a form answered with its errors comes with a 4xx status, which Chromium reports; that is no script error
            boolean documentStatus = m.text().startsWith("Failed to load resource") && m.location() != null && m.location().startsWith(p.url());
            if (m.type().equals("error") && !documentStatus) consoleErrors.add(p.url() + ": " + m.text() + " at " + m.location());
        });
        p.onPageError(e -> consoleErrors.add(p.url() + ": uncaught " + e));
    }

    @AfterEach
    void closeBrowser() {
        try {
            assertThat(consoleErrors).as("JavaScript errors in the browser console").isEmpty();
        } finally {
            if (context != null) context.close();
        }
    }

    protected String base() {
        return "http://localhost:" + port;
    }

    /** Opens a path of the UI and waits until it has loaded. */
    protected Page open(String path) {
        page.navigate(base() + path);
        page.waitForLoadState();
        return page;
    }

    protected void signIn(String user, String password) {
        signIn(page, user, password);
    }

    /** Signs in on another page (another browser context: a second user signed in at the same time). */
    protected void signIn(Page p, String user, String password) {
        p.navigate(base() + "/login");
        p.getByLabel("Username").fill(user);
        p.getByLabel("Password").fill(password);
        // the form posts and is answered with a redirect either way: wait for that page, not the login page still shown
        p.waitForNavigation(() -> p.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click());
        p.waitForLoadState();
    }

    protected void signInAsAdmin() {
        signIn("admin", ADMIN_PASSWORD);
        assertThat(page.url()).as("signed in").doesNotContain("/login");
    }

    /** The id at the end of the current URL (/servers/{id}). */
    protected String currentId() {
        String path = page.url().replaceAll("[?#].*$", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Saves a full-page screenshot at both widths under target/screenshots/{name}-{width}.png. */
    protected void screenshots(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        for (int width : List.of(WIDE, NARROW)) {
            page.setViewportSize(width, width == WIDE ? 900 : 844);
            page.evaluate("() => window.scrollTo(0, 0)"); // sticky bars would otherwise show mid-page in a full-page capture
            if (width == NARROW) narrowScrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + "-" + width + ".png")).setFullPage(true));
        }
        page.setViewportSize(WIDE, 900);
    }

    /** No serious accessibility problem, no sideways scrolling at 390 px; screenshots at both widths. */
    protected void checkPage(String name) {
        assertThat(accessibilityViolations()).as(name).isEmpty();
        screenshots(name);
        assertThat(narrowScrollWidth).as(name + " width at " + NARROW + " px").isLessThanOrEqualTo(NARROW);
    }

    /** Presses Tab until {@code target} has the focus, as someone using the keyboard alone would (at most 80 stops). */
    protected void tabTo(com.microsoft.playwright.Locator target) {
        target.waitFor();
        for (int i = 0; i < 80; i++) {
            if (Boolean.TRUE.equals(target.evaluate("e => e === document.activeElement"))) return;
            page.keyboard().press("Tab");
        }
        throw new AssertionError("not reachable with Tab: " + target);
    }

    /** Serious or critical accessibility problems axe-core finds on the current page, as readable lines. */
    @SuppressWarnings("unchecked")
    protected List<String> accessibilityViolations() {
        page.evaluate("() => { if (!window.axe) { " + axe() + "\n } return !!window.axe; }");
        String json = (String) page.evaluate("async () => {"
                + " const r = await axe.run(document, { resultTypes: ['violations'] });"
                + " return JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + "   .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })));"
                + "}");
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(json.getBytes(StandardCharsets.UTF_8))) {
            Map<String, Object> v = (Map<String, Object>) o;
            out.add(v.get("impact") + " " + v.get("id") + ": " + v.get("help") + " at " + v.get("nodes"));
        }
        return out;
    }

    private static synchronized String axe() {
        if (axeSource == null) {
            try (InputStream in = UiTest.class.getResourceAsStream("/axe.min.js")) {
                assertThat(in).as("axe.min.js on the test classpath").isNotNull();
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return axeSource;
    }
}
