package io.sextant.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.TestGeometries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in a real browser against the running service: an operator signs in, watches an
 * asset move, draws a zone with the mouse (a bad one first), and sees an asset's entry appear in
 * the events list. Reads the map through the console's read-only hook {@code window.sextantConsole}.
 * Screenshots of each step go to {@code target/console-screenshots}.
 */
class ConsoleBrowserIT extends BrowserIT {

    @Test
    void an_operator_watches_an_asset_move_draws_a_zone_and_sees_the_asset_enter_it() {
        TenantFixture tenant = newTenant();
        String assetId = createAsset(tenant.adminToken(), "console-truck", "vehicle", List.of())
                .get("id")
                .asString();
        post(tenant, 4.80, 45.76, 8.0);
        // A yard with a van parked in it since before the operator signs in: the console must show
        // it occupied from what the server knows, not from events it saw.
        Response yard = api.post("/api/v1/zones")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "Yard", "geometry", TestGeometries.square(4.85, 45.80, 0.004)))
                .send();
        assertThat(yard.status()).as("%s", yard).isEqualTo(201);
        createAsset(tenant.adminToken(), "parked-van", "vehicle", List.of());
        post(tenant, "parked-van", 4.852, 45.802, 0.0);

        signIn(tenant);
        waitForAssetAt(assetId, 4.80, 45.76);
        browser.waiting(WAIT)
                .withMessage(() ->
                        "the yard occupied; zones: " + browser.script("return JSON.stringify(sextantConsole.zones())"))
                .until(driver -> browser.script(
                        "const z = sextantConsole.zones().find(z => z.name === 'Yard'); return !!z && z.occupied"));
        browser.screenshot("01-signed-in");
        assertThat(browser.accessibilityViolations())
                .as("WCAG 2 A/AA, signed in")
                .isEmpty();

        post(tenant, 4.801, 45.76, 8.0);
        waitForAssetAt(assetId, 4.801, 45.76);
        assertThat(browser.script(
                        "return sextantConsole.assets().find(a => a.assetId === arguments[0]).state", assetId))
                .isEqualTo("moving");
        browser.screenshot("02-asset-moved");

        tab("zones");
        click(By.id("draw-polygon"));
        // A bow tie: its edges cross, which the zone API refuses with the crossing's place.
        clickMap(-120, -90, false);
        clickMap(120, -90, false);
        clickMap(-120, 90, false);
        clickMap(120, 90, true);
        type(By.id("zone-name"), "Bow tie");
        click(By.id("zone-save"));
        WebElement errors = browser.waiting(WAIT)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#zone-form .form-errors")));
        assertThat(errors.getText()).contains("self-intersection");
        assertThat(browser.driver.findElements(By.cssSelector(".error-marker"))).hasSize(1);
        browser.screenshot("03-bad-zone-refused");
        assertThat(browser.accessibilityViolations())
                .as("WCAG 2 A/AA, a refused zone in the form")
                .isEmpty();
        click(By.cssSelector("#zone-form .cancel"));

        click(By.id("draw-polygon"));
        clickMap(-120, -90, false);
        clickMap(120, -90, false);
        clickMap(120, 90, false);
        clickMap(-120, 90, false);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        type(By.id("zone-name"), "Console depot");
        type(By.id("zone-tags"), "depot");
        click(By.id("zone-save"));
        List<?> bbox = (List<?>) browser.waiting(WAIT)
                .until(driver -> browser.script(
                        "const z = sextantConsole.zones().find(z => z.name === 'Console depot'); return z && z.bbox"));
        double west = ((Number) bbox.get(0)).doubleValue();
        double south = ((Number) bbox.get(1)).doubleValue();
        double east = ((Number) bbox.get(2)).doubleValue();
        double north = ((Number) bbox.get(3)).doubleValue();
        browser.screenshot("04-zone-saved");

        post(tenant, west - (east - west), (south + north) / 2, 5.0);
        post(tenant, (west + east) / 2, (south + north) / 2, 5.0);
        waitForAssetAt(assetId, (west + east) / 2, (south + north) / 2);
        tab("events");
        WebElement entered = browser.waiting(WAIT)
                .until(driver ->
                        driver
                                .findElements(By.cssSelector("#event-list button[data-type='sextant.zone.entered']"))
                                .stream()
                                .filter(row ->
                                        row.isDisplayed() && row.getText().contains("Console depot"))
                                .findFirst()
                                .orElse(null));
        browser.waiting(WAIT)
                .until(driver ->
                        browser.script("return sextantConsole.zones().find(z => z.name === 'Console depot').occupied"));
        // Enter on the row (a button) flies the map to where the asset entered.
        entered.sendKeys(Keys.ENTER);
        browser.waiting(WAIT).until(driver -> browser.script("""
                        const c = sextantConsole.map.getCenter();
                        return !sextantConsole.map.isMoving() && c.lng > arguments[0] && c.lng < arguments[1]
                            && c.lat > arguments[2] && c.lat < arguments[3];""", west, east, south, north));
        browser.screenshot("05-entered-event");

        browser.viewport(390, 844, true);
        browser.waiting(WAIT)
                .until(driver -> browser.script(
                        "return document.querySelector('#map canvas').getBoundingClientRect().width <= 390"));
        browser.screenshot("06-phone");
        assertThat(browser.accessibilityViolations())
                .as("WCAG 2 A/AA, phone width")
                .isEmpty();

        assertThat(browser.severeLogEntries())
                .as("browser console errors")
                .allSatisfy(entry -> assertThat(entry)
                        // Expected: the refused bow tie, and nothing else.
                        .contains(
                                "/api/v1/zones - Failed to load resource: the server responded with a status of 400"));
    }

    private void signIn(TenantFixture tenant) {
        browser.driver.get("http://127.0.0.1:" + port + "/console");
        browser.waiting(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("sign-in-button")));
        assertThat(browser.accessibilityViolations()).as("WCAG 2 A/AA, sign-in").isEmpty();
        type(By.id("username"), tenant.adminUsername());
        type(By.id("password"), "password-of-" + tenant.slug());
        browser.screenshot("00-sign-in");
        click(By.id("sign-in-button"));
        browser.waiting(WAIT).until(driver -> "true".equals(browser.script("return document.body.dataset.ready")));
        assertThat(browser.driver.findElement(By.id("who")).getText()).contains(tenant.adminUsername());
    }

    private void waitForAssetAt(String assetId, double lon, double lat) {
        browser.waiting(WAIT)
                .withMessage(() -> "asset at " + lon + ", " + lat + "; the map has "
                        + browser.script("return JSON.stringify(sextantConsole.assets())"))
                .until(driver -> browser.script("""
                        const a = sextantConsole.assets().find(a => a.assetId === arguments[0]);
                        return !!a && Math.abs(a.coordinates[0] - arguments[1]) < 1e-9
                            && Math.abs(a.coordinates[1] - arguments[2]) < 1e-9;""", assetId, lon, lat));
    }

    private void post(TenantFixture tenant, double lon, double lat, double speed) {
        post(tenant, "console-truck", lon, lat, speed);
    }

    private void post(TenantFixture tenant, String externalId, double lon, double lat, double speed) {
        Response response = api.post("/api/v1/positions")
                .bearer(tenant.adminToken())
                .json(List.of(Map.of(
                        "externalId", externalId,
                        "time", Instant.now().toString(),
                        "lon", lon,
                        "lat", lat,
                        "speed", speed)))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).as("%s", response).isEqualTo(1);
    }

    private void tab(String name) {
        click(By.id("tab-" + name));
    }

    /** Clicks the map at an offset in pixels from its centre; a double click finishes a shape. */
    private void clickMap(int dx, int dy, boolean twice) {
        WebElement canvas = browser.driver.findElement(By.cssSelector("#map canvas"));
        int before = browser.driver.findElements(By.cssSelector(".vertex")).size();
        Actions actions = new Actions(browser.driver).moveToElement(canvas, dx, dy);
        (twice ? actions.doubleClick() : actions.click()).perform();
        browser.waiting(WAIT)
                .until(driver -> driver.findElements(By.cssSelector(".vertex")).size() > before);
    }
}
