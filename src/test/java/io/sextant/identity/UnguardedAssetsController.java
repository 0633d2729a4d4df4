package io.sextant.identity;

import io.sextant.asset.Asset;
import io.sextant.asset.Assets;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A test-only adapter with no permission check of its own, as a new adapter that forgot one would
 * be: what it serves, the service checks ({@link ServicePermissionsIT}). Hidden from the OpenAPI
 * document.
 */
@Hidden
@RestController
class UnguardedAssetsController {

    static final String PATH = "/api/v1/test/unguarded-assets";

    private final Assets assets;

    UnguardedAssetsController(Assets assets) {
        this.assets = assets;
    }

    @GetMapping(PATH)
    List<UUID> ids() {
        return assets.list(null, List.of(), null, 10).items().stream()
                .map(Asset::id)
                .toList();
    }
}
