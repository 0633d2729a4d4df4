package io.sextant.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Seals secrets before they are stored and opens them when they are read: AES-256-GCM through
 * Google Tink, under a keyset from {@code SEXTANT_SECRETS_KEYSET} or the keyset file, never from the
 * database. Each ciphertext is bound to its row by associated data ({@code context}, such as {@code
 * subscription/<id>}), so a sealed value copied to another row does not open.
 *
 * <p>A sealed value is {@code sxs1:} and the base64 of Tink's ciphertext, which names the key that
 * sealed it. The keyset may hold several keys: its primary seals, all of them open, and {@link
 * #needsResealing} tells the owners of stored secrets which values to seal again after a rotation
 * (or which are still plain text from before encryption at rest).
 */
@Component
public class SecretCipher {

    /** Marks a sealed value, and the format's version. */
    public static final String PREFIX = "sxs1:";

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    // Tink's ciphertext prefix: a version byte, then the id of the key that sealed it.
    private static final byte TINK_PREFIX_VERSION = 1;

    private final Aead aead;
    private final int primaryKeyId;
    private final String source;

    @Autowired
    SecretCipher(SecretsProperties properties) {
        this(Keysets.load(properties));
    }

    private SecretCipher(Keysets.Loaded loaded) {
        this(loaded.keyset(), loaded.source());
    }

    /** A cipher over {@code keyset}; {@code source} names where it came from, for error messages. */
    static SecretCipher of(KeysetHandle keyset, String source) {
        return new SecretCipher(keyset, source);
    }

    private SecretCipher(KeysetHandle keyset, String source) {
        try {
            this.aead = keyset.getPrimitive(Keysets.registry(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(source + " holds no usable AEAD key: " + e.getMessage(), e);
        }
        this.primaryKeyId = keyset.getPrimary().getId();
        this.source = source;
    }

    /** {@code plaintext} sealed for the row {@code context} names. */
    public String seal(String plaintext, String context) {
        return PREFIX
                + Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    /** Opens what {@link #seal(String, String)} sealed for the same {@code context}. */
    public String open(String stored, String context) {
        return new String(decrypt(ciphertext(stored, context), context), StandardCharsets.UTF_8);
    }

    /** {@code plaintext} sealed for {@code context}, as the ASCII bytes of the sealed text. */
    public byte[] seal(byte[] plaintext, String context) {
        return (PREFIX + Base64.getEncoder().encodeToString(encrypt(plaintext, context)))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Opens what {@link #seal(byte[], String)} sealed for the same {@code context}. */
    public byte[] open(byte[] stored, String context) {
        if (!isSealed(stored)) {
            throw new IllegalStateException("the secret of " + context + " is not sealed");
        }
        return decrypt(ciphertext(new String(stored, StandardCharsets.US_ASCII), context), context);
    }

    public static boolean isSealed(String value) {
        return value.startsWith(PREFIX);
    }

    public static boolean isSealed(byte[] value) {
        return value.length >= PREFIX_BYTES.length
                && Arrays.equals(value, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length);
    }

    /** True for plain text and for values sealed by a key that is no longer the primary one. */
    public boolean needsResealing(String value) {
        if (!isSealed(value)) {
            return true;
        }
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return true;
        }
        return ciphertext.length < 5
                || ciphertext[0] != TINK_PREFIX_VERSION
                || ByteBuffer.wrap(ciphertext, 1, 4).getInt() != primaryKeyId;
    }

    public boolean needsResealing(byte[] value) {
        return !isSealed(value) || needsResealing(new String(value, StandardCharsets.US_ASCII));
    }

    private byte[] encrypt(byte[] plaintext, String context) {
        try {
            return aead.encrypt(plaintext, associatedData(context));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the secret of " + context, e);
        }
    }

    private byte[] decrypt(byte[] ciphertext, String context) {
        try {
            return aead.decrypt(ciphertext, associatedData(context));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the stored secret of " + context + " cannot be opened with " + source
                            + ": no key there sealed it (a different or lost keyset?), or the value was"
                            + " moved from another row. Start with the keyset the secrets were sealed with.",
                    e);
        }
    }

    private static byte[] ciphertext(String stored, String context) {
        if (!isSealed(stored)) {
            throw new IllegalStateException("the secret of " + context + " is not sealed");
        }
        try {
            return Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the sealed secret of " + context + " is not base64", e);
        }
    }

    private static byte[] associatedData(String context) {
        return context.getBytes(StandardCharsets.UTF_8);
    }
}
