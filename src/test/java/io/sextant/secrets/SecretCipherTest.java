package io.sextant.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ROW = "subscription/01966c5e-6c0e-7000-8000-000000000001";

    @TempDir
    Path directory;

    private final SecretCipher cipher = SecretCipher.of(Keysets.newKeyset(), "a test keyset");

    @Test
    void a_sealed_secret_is_not_the_secret_and_opens_to_it() {
        String sealed = cipher.seal(SECRET, ROW);

        assertThat(sealed).startsWith("sxs1:").doesNotContain(SECRET).doesNotContain(SECRET.substring(6));
        assertThat(cipher.seal(SECRET, ROW)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(cipher.open(sealed, ROW)).isEqualTo(SECRET);
        assertThat(cipher.needsResealing(sealed)).isFalse();
    }

    @Test
    void sealed_bytes_are_recognisable_and_open_to_the_bytes() {
        byte[] key = {0x30, (byte) 0x82, 0x04, 0x01, 0x02, 0x03};

        byte[] sealed = cipher.seal(key, "signing_key/k1");

        assertThat(SecretCipher.isSealed(sealed)).isTrue();
        assertThat(SecretCipher.isSealed(key)).isFalse();
        assertThat(cipher.open(sealed, "signing_key/k1")).isEqualTo(key);
        assertThat(cipher.needsResealing(key))
                .as("plain text from before encryption")
                .isTrue();
    }

    @Test
    void a_secret_sealed_for_one_row_does_not_open_for_another() {
        String sealed = cipher.seal(SECRET, ROW);

        assertThatThrownBy(() -> cipher.open(sealed, "subscription/another"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("subscription/another");
    }

    @Test
    void another_keyset_fails_loudly_naming_the_row_and_where_its_key_came_from() {
        String sealed = cipher.seal(SECRET, ROW);
        SecretCipher stranger = SecretCipher.of(Keysets.newKeyset(), "SEXTANT_SECRETS_KEYSET");

        assertThatThrownBy(() -> stranger.open(sealed, ROW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ROW)
                .hasMessageContaining("SEXTANT_SECRETS_KEYSET")
                .hasMessageContaining("keyset");
        assertThat(stranger.needsResealing(sealed)).isTrue();
    }

    @Test
    void the_keyset_file_is_generated_for_its_owner_only_and_read_back_on_the_next_start() throws Exception {
        Path file = directory.resolve("data/secrets.keyset");
        SecretsProperties properties = new SecretsProperties(null, file);

        SecretCipher first = new SecretCipher(properties);
        String sealed = first.seal(SECRET, ROW);
        SecretCipher second = new SecretCipher(properties);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(second.open(sealed, ROW)).isEqualTo(SECRET);
    }

    @Test
    void a_keyset_in_the_environment_wins_over_the_file_as_json_or_base64() {
        KeysetHandle keyset = Keysets.newKeyset();
        String json = Keysets.toJson(keyset);
        String sealed = SecretCipher.of(keyset, "test").seal(SECRET, ROW);
        Path file = directory.resolve("never-written.keyset");

        SecretCipher fromJson = new SecretCipher(new SecretsProperties(json, file));
        SecretCipher fromBase64 = new SecretCipher(
                new SecretsProperties(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), file));

        assertThat(fromJson.open(sealed, ROW)).isEqualTo(SECRET);
        assertThat(fromBase64.open(sealed, ROW)).isEqualTo(SECRET);
        assertThat(file).doesNotExist();
    }

    @Test
    void a_keyset_that_is_not_one_stops_the_start_with_the_reason() {
        Path file = directory.resolve("unused.keyset");

        assertThatThrownBy(() -> new SecretCipher(new SecretsProperties("{\"not\": \"a keyset\"}", file)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SEXTANT_SECRETS_KEYSET is not a valid Tink keyset");
        assertThatThrownBy(() -> new SecretCipher(new SecretsProperties("%%%", file)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither a Tink JSON keyset nor one in base64");
    }

    /** Rotation as docs/configuration.md describes it: add a key, make it primary, reseal, retire the old one. */
    @Test
    void after_a_rotation_old_secrets_still_open_need_resealing_and_open_without_the_old_key_once_resealed()
            throws Exception {
        KeysetHandle original = Keysets.newKeyset();
        String before = SecretCipher.of(original, "test").seal(SECRET, ROW);

        KeysetHandle rotated = KeysetHandle.newBuilder(original)
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                        .withRandomId()
                        .makePrimary())
                .build();
        SecretCipher during = SecretCipher.of(rotated, "test");
        assertThat(during.open(before, ROW)).isEqualTo(SECRET);
        assertThat(during.needsResealing(before)).isTrue();
        String resealed = during.seal(during.open(before, ROW), ROW);
        assertThat(during.needsResealing(resealed)).isFalse();

        KeysetHandle.Builder retiring = KeysetHandle.newBuilder(rotated);
        for (int i = 0; i < retiring.size(); i++) {
            if (rotated.getAt(i).getId() == original.getPrimary().getId()) {
                retiring.getAt(i).setStatus(KeyStatus.DISABLED);
            }
        }
        SecretCipher after = SecretCipher.of(retiring.build(), "test");
        assertThat(after.open(resealed, ROW)).isEqualTo(SECRET);
        assertThatThrownBy(() -> after.open(before, ROW)).isInstanceOf(IllegalStateException.class);
    }
}
