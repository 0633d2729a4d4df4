package io.sextant;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Sextant: positions, geofences, events, workflows and access control in space and time. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SextantApplication {

    public static void main(String[] args) {
        SpringApplication.run(SextantApplication.class, args);
    }
}
