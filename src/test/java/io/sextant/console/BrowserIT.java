package io.sextant.console;

import io.sextant.testing.SextantIT;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A console test in a real browser: one headless Chromium per test, skipped without one (see {@link Browser}). */
abstract class BrowserIT extends SextantIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    Browser browser;

    @BeforeEach
    void startBrowser() {
        Browser.requireInstalled();
        browser = Browser.start();
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    void click(By by) {
        browser.waiting(WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    void type(By by, String text) {
        WebElement input = browser.waiting(WAIT).until(ExpectedConditions.elementToBeClickable(by));
        input.clear();
        input.sendKeys(text);
    }
}
