package io.sextant.demo;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo fleet.
 *
 * @param enabled {@code auto}: created on the first start of a fresh embedded database, simulated on
 *     every later start that finds it; {@code true}: created if missing, on any database, and
 *     simulated; {@code false}: neither ({@code SEXTANT_DEMO})
 * @param password the demo user's password, 12+ characters; empty: generated and printed once, when
 *     the demo is created ({@code SEXTANT_DEMO_PASSWORD})
 * @param interval one fix per vehicle this often, at least 200 ms ({@code SEXTANT_DEMO_INTERVAL})
 */
@ConfigurationProperties("sextant.demo")
public record DemoProperties(
        @DefaultValue("auto") Mode enabled,
        @Nullable String password,
        @DefaultValue("2s") Duration interval) {

    static final Duration MIN_INTERVAL = Duration.ofMillis(200);

    public DemoProperties {
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException(
                    "SEXTANT_DEMO_INTERVAL (" + interval + ") is shorter than " + MIN_INTERVAL.toMillis() + " ms");
        }
        if (password != null && !password.isBlank() && password.length() < 12) {
            throw new IllegalArgumentException("SEXTANT_DEMO_PASSWORD must be at least 12 characters");
        }
    }

    /** The configured password, if one is. */
    @Nullable
    String configuredPassword() {
        return password == null || password.isBlank() ? null : password;
    }

    /** When the demo is created and simulated. */
    public enum Mode {
        AUTO,
        TRUE,
        FALSE
    }
}
