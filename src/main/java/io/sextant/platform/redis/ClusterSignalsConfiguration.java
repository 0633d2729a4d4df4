package io.sextant.platform.redis;

import io.sextant.shared.ClusterSignals;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link ClusterSignals} of this installation: over Redis when it is configured, none otherwise. */
@Configuration(proxyBeanMethods = false)
class ClusterSignalsConfiguration {

    @Bean
    ClusterSignals clusterSignals(ObjectProvider<PlatformRedis> redis) {
        PlatformRedis shared = redis.getIfAvailable();
        return shared == null ? ClusterSignals.NONE : new RedisClusterSignals(shared);
    }
}
