package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ShutdownDrainTest {

    @Test
    void before_the_signal_requests_pass_through() throws Exception {
        ShutdownDrain drain = new ShutdownDrain(Duration.ofSeconds(1), null);
        drain.start();

        MockHttpServletResponse response = call(drain, "/api/v1/assets");

        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void while_draining_new_requests_get_a_503_problem_that_closes_the_connection_but_probes_still_pass()
            throws Exception {
        ShutdownDrain drain = new ShutdownDrain(Duration.ofMinutes(1), null);
        drain.start();
        AtomicBoolean stopped = new AtomicBoolean();

        drain.stop(() -> stopped.set(true));
        MockHttpServletResponse refused = call(drain, "/api/v1/assets");
        MockHttpServletResponse probe = call(drain, "/actuator/health/readiness");

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).contains("urn:sextant:problem:shutting-down");
        assertThat(refused.getHeader("Retry-After")).isEqualTo(ShutdownDrain.RETRY_AFTER_SECONDS);
        assertThat(refused.getHeader("Connection")).isEqualTo("close");
        assertThat(probe.getStatus()).isEqualTo(200);
        assertThat(stopped).as("the step lasts the drain period").isFalse();
    }

    @Test
    void the_step_ends_when_the_drain_period_is_over() {
        ShutdownDrain drain = new ShutdownDrain(Duration.ofMillis(100), null);
        drain.start();
        AtomicBoolean stopped = new AtomicBoolean();

        drain.stop(() -> stopped.set(true));

        await().atMost(Duration.ofSeconds(10)).untilTrue(stopped);
        assertThat(drain.isRunning()).isFalse();
    }

    @Test
    void pausing_the_context_as_the_test_framework_does_between_classes_does_not_drain() throws Exception {
        ShutdownDrain drain = new ShutdownDrain(Duration.ofMillis(100), null);
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean(ShutdownDrain.class, () -> drain);
            context.refresh();

            context.pause();
            context.restart();

            assertThat(call(drain, "/api/v1/assets").getStatus()).isEqualTo(200);
        }
    }

    private static MockHttpServletResponse call(ShutdownDrain drain, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        drain.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
