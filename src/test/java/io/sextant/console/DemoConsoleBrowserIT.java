package io.sextant.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.context.TestPropertySource;

/**
 * What a newcomer sees: the demo user signs in to the console and watches the demo fleet drive on
 * the offline map, its zones drawn. The screenshot {@code demo-fleet.png} is the README's.
 */
@TestPropertySource(
        properties = {
            "sextant.demo.enabled=true",
            "sextant.demo.password=demo-password-for-tests",
            "sextant.demo.interval=500ms"
        })
class DemoConsoleBrowserIT extends BrowserIT {

    @Test
    void the_demo_user_watches_the_demo_fleet_drive_on_the_map() {
        browser.driver.get("http://127.0.0.1:" + port + "/console");
        type(By.id("username"), "demo");
        type(By.id("password"), "demo-password-for-tests");
        click(By.id("sign-in-button"));
        browser.waiting(WAIT).until(driver -> "true".equals(browser.script("return document.body.dataset.ready")));

        // Fifty vans with names, the demo's fifteen zones.
        browser.waiting(WAIT)
                .withMessage(() ->
                        "50 named vans on the map; it has " + browser.script("return sextantConsole.assets().length"))
                .until(driver -> browser.script(
                        "return sextantConsole.assets().filter(a => /^Van \\d\\d$/.test(a.name)).length === 50"));
        assertThat(((Number) browser.script("return sextantConsole.zones().length")).intValue())
                .isEqualTo(15);

        // The vans driving now: one of them is somewhere else a moment later. (One alone may be about
        // to park at its stop, and then stays there for minutes.)
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> driving = (List<Map<String, Object>>)
                browser.script("return sextantConsole.assets().filter(a => a.state === 'moving')"
                        + ".map(a => ({assetId: a.assetId, coordinates: a.coordinates}))");
        assertThat(driving).as("the vans driving").isNotEmpty();
        browser.waiting(WAIT)
                .withMessage(() -> "one of the driving vans to move from where it was: " + driving)
                .until(driver -> driving.stream().anyMatch(van -> {
                    List<?> now = (List<?>) browser.script(
                            "return sextantConsole.assets().find(a => a.assetId === arguments[0]).coordinates",
                            van.get("assetId"));
                    return !now.equals(van.get("coordinates"));
                }));

        // Zoomed to the city with the vans spread out, for the README.
        browser.script("sextantConsole.map.jumpTo({center: [4.85, 45.755], zoom: 11.6})");
        browser.waiting(WAIT).until(driver -> browser.script("return sextantConsole.map.loaded()"));
        browser.screenshot("demo-fleet");

        // Every view, with the demo's data in it, against the WCAG 2 A and AA rules.
        for (String tab : List.of("assets", "events", "zones", "history", "ops")) {
            browser.waiting(WAIT)
                    .until(ExpectedConditions.elementToBeClickable(By.id("tab-" + tab)))
                    .click();
            browser.waiting(WAIT)
                    .until(driver -> "true"
                            .equals(driver.findElement(By.id("tab-" + tab)).getAttribute("aria-selected")));
            assertThat(browser.accessibilityViolations())
                    .as("WCAG 2 A/AA, %s view", tab)
                    .isEmpty();
        }
        assertThat(browser.severeLogEntries()).as("browser console errors").isEmpty();
    }
}
