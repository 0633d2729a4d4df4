package io.sextant.tracking;

import io.sextant.platform.RequestBodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    /** Ingest batches may be larger than ordinary API requests. */
    @Bean
    RequestBodyLimit positionBatchLimit(TrackingProperties properties) {
        return new RequestBodyLimit(
                "/api/v1/positions", properties.maxBatchSize().toBytes());
    }
}
