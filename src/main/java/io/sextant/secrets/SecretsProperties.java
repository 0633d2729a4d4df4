package io.sextant.secrets;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the key that seals stored secrets comes from.
 *
 * @param keyset a Tink keyset in its JSON form, or that JSON in base64 ({@code SEXTANT_SECRETS_KEYSET});
 *     wins over the file
 * @param keysetFile the keyset file, read if it exists and generated (owner-only permissions)
 *     if it does not, when {@code keyset} is empty ({@code SEXTANT_SECRETS_KEYSET_FILE})
 */
@ConfigurationProperties("sextant.secrets")
public record SecretsProperties(
        @Nullable String keyset,
        @DefaultValue("data/secrets.keyset") Path keysetFile) {}
