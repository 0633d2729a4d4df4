/**
 * Identity: who a caller is. The embedded OAuth2/OIDC token issuer and its signing keys, users and
 * service accounts, API keys, and the validation of bearer tokens from the embedded or an external
 * issuer into a {@link io.sextant.identity.SextantPrincipal}.
 */
@ApplicationModule(
        displayName = "Identity",
        allowedDependencies = {"shared", "tenancy", "secrets"})
@NullMarked
package io.sextant.identity;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
