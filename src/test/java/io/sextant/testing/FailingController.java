package io.sextant.testing;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test-only endpoint that fails the way a bug would, so tests can check what an unexpected error
 * looks like from outside (a bare 500 problem, nothing of the exception leaked). Not part of the
 * product, so hidden from the OpenAPI document.
 */
@Hidden
@RestController
class FailingController {

    static final String SECRET = "secret internals";

    @GetMapping("/api/v1/test/boom")
    String boom() {
        throw new IllegalStateException(SECRET);
    }
}
