package io.sextant.console.web;

import io.sextant.console.ConsoleProperties;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The console's entry points: the page itself and the settings it reads at start. */
@Controller
@Hidden
class ConsoleController {

    private final ConsoleProperties properties;

    ConsoleController(ConsoleProperties properties) {
        this.properties = properties;
    }

    /** {@code /console} without the slash: relative links in the page need the directory form. */
    @GetMapping("/console")
    String withoutSlash() {
        return "redirect:/console/";
    }

    @GetMapping("/console/")
    String page() {
        return "forward:/console/index.html";
    }

    @GetMapping("/console/config.json")
    @ResponseBody
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tileUrl", properties.tileUrl());
        config.put("tileAttribution", properties.tileAttribution());
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(config);
    }
}
