package io.sextant.secrets;

import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the keyset from the environment or its file, or generates the file on first start. A
 * keyset that cannot be read stops the start with the reason: running without the key would leave
 * every stored secret unreadable.
 */
final class Keysets {

    private static final Logger log = LoggerFactory.getLogger(Keysets.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private Keysets() {}

    /** The keyset and a description of where it came from, for messages. */
    record Loaded(KeysetHandle keyset, String source, boolean generated) {}

    static Loaded load(SecretsProperties properties) {
        String configured = properties.keyset();
        if (configured != null && !configured.isBlank()) {
            return new Loaded(parse(configured, "SEXTANT_SECRETS_KEYSET"), "SEXTANT_SECRETS_KEYSET", false);
        }
        Path file = properties.keysetFile().toAbsolutePath();
        String source = "the keyset file " + file + " (SEXTANT_SECRETS_KEYSET_FILE)";
        if (!Files.exists(file)) {
            try {
                KeysetHandle generated = generate(file);
                log.warn(
                        "Generated the key that seals stored secrets in {}. Back it up with the database: without it"
                                + " signing keys and webhook secrets cannot be read. Every node must use the same key.",
                        file);
                return new Loaded(generated, source, true);
            } catch (FileAlreadyExistsException raced) {
                log.info("Another process created {} first; reading it", file);
            }
        }
        warnIfReadableByOthers(file);
        try {
            return new Loaded(parse(Files.readString(file, StandardCharsets.UTF_8), source), source, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    static KeysetHandle parse(String text, String source) {
        String json = text.strip();
        if (!json.startsWith("{")) {
            try {
                json = new String(Base64.getDecoder().decode(json.replaceAll("\\s", "")), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source + " is neither a Tink JSON keyset nor one in base64", e);
            }
        }
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, registry(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(source + " is not a valid Tink keyset: " + e.getMessage(), e);
        }
    }

    static String toJson(KeysetHandle keyset) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, registry(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialise a keyset", e);
        }
    }

    static KeysetHandle newKeyset() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, registry());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an AES-256-GCM key", e);
        }
    }

    /** Tink's registry with the AEAD key types in it, which every keyset operation here needs. */
    static Configuration registry() {
        try {
            AeadConfig.register();
            return RegistryConfiguration.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot register Tink's AEAD key types", e);
        }
    }

    /** Writes a new keyset to {@code file}, never over an existing one, readable by its owner only. */
    private static KeysetHandle generate(Path file) throws FileAlreadyExistsException {
        KeysetHandle keyset = newKeyset();
        try {
            Path directory = file.getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".secrets", ".tmp");
            try {
                restrictToOwner(temporary);
                Files.writeString(temporary, toJson(keyset), StandardCharsets.UTF_8);
                // No REPLACE_EXISTING: a keyset another node or process wrote first must win.
                Files.move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the keyset file " + file, e);
        }
        return keyset;
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null
                    && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                log.warn(
                        "{} is {}: anyone who can read it can read the stored secrets; chmod 600 it",
                        file,
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        } catch (IOException e) {
            log.warn("cannot read the permissions of {}: {}", file, e.getMessage());
        }
    }
}
