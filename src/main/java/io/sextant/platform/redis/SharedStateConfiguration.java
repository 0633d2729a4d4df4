package io.sextant.platform.redis;

import io.sextant.shared.ClusterSignals;
import io.sextant.shared.FailureCounters;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the nodes of this installation share through Redis when it is configured — {@link
 * ClusterSignals} and {@link FailureCounters} — and their stand-ins for one node alone otherwise.
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

    @Bean
    ClusterSignals clusterSignals(ObjectProvider<PlatformRedis> redis) {
        PlatformRedis shared = redis.getIfAvailable();
        return shared == null ? ClusterSignals.NONE : new RedisClusterSignals(shared);
    }

    @Bean
    FailureCounters failureCounters(ObjectProvider<PlatformRedis> redis) {
        PlatformRedis shared = redis.getIfAvailable();
        return shared == null ? FailureCounters.NONE : new RedisFailureCounters(shared);
    }
}
