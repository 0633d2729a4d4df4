package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sextant.shared.FailureCounters;
import io.sextant.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sign-in throttle with Redis configured: every test of {@link SignInThrottleIT} again, on the
 * counts in Redis, and failures made on two nodes adding up to one lockout that both nodes enforce. The
 * other node is a second throttle over the same Redis with its own memory, as another process has.
 */
class SharedSignInThrottleIT extends SignInThrottleIT {

    private static final String PREFIX = TestRedis.prefix("sign-in");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        // Keys of this run alone: the addresses of the inherited tests repeat from run to run.
        registry.add("sextant.redis.key-prefix", () -> PREFIX);
    }

    @Autowired
    FailureCounters counters;

    @Autowired
    IdentityProperties properties;

    @Test
    void failures_on_two_nodes_add_up_and_the_lockout_holds_on_both() {
        assertThat(counters.shared()).isTrue();
        SignInThrottle otherNode =
                new SignInThrottle(properties, Clock.systemUTC(), counters, new SimpleMeterRegistry());
        SignInThrottle nodeAlone =
                new SignInThrottle(properties, Clock.systemUTC(), FailureCounters.NONE, new SimpleMeterRegistry());
        String username = createUser();

        // Two wrong passwords here, the third on the other node (from another address): three in all.
        for (int i = 0; i < 2; i++) {
            assertThat(signIn(username, "wrong-password-" + i, address).status())
                    .isEqualTo(401);
        }
        // The name the sign-in endpoint counts under (Authentications: "user:" + username).
        String name = "user:" + username;
        assertThat(otherNode.lockout(name, "198.51.100.7")).isZero();
        otherNode.failed(name, "198.51.100.7");

        assertThat(otherNode.lockout(name, "198.51.100.7")).isPositive();
        assertThrottled(signIn(username, password(username), address), 5);
        // A node that keeps its counts to itself has seen none of this.
        assertThat(nodeAlone.lockout(name, "198.51.100.7")).isEqualTo(Duration.ZERO);
    }
}
