/**
 * Secrets at rest: the one cipher ({@link io.sextant.secrets.SecretCipher}) that every module seals
 * the secrets it stores with (the issuer's signing keys, webhook signing secrets), under a key that
 * lives outside the database.
 */
@ApplicationModule(
        displayName = "Secrets",
        allowedDependencies = {})
@NullMarked
package io.sextant.secrets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
