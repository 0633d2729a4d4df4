package io.sextant.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.NotFound;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded issuer's RSA signing keys, persisted so tokens survive a restart, their private
 * halves sealed by the secrets key (sealed again on start after a rotation of it). The newest live
 * key signs; every live key verifies and is published in the JWKS, so rotating (adding a key)
 * leaves tokens signed by the previous key valid until that key is retired. Other nodes pick up a
 * rotation within the refresh interval.
 */
@Service
public class SigningKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final String ALGORITHM = "RS256";

    private final SigningKeyRepository repository;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private volatile JWKSet live = new JWKSet();
    /** The live keys' public halves as Java keys, by key id, newest first: decoded once, not per token. */
    private volatile Map<String, RSAPublicKey> verifying = Map.of();

    SigningKeys(SigningKeyRepository repository, TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        TenantContext.callAsSystem(() -> {
            transactions.executeWithoutResult(status -> {
                repository.lock();
                int resealed = repository.reseal();
                if (resealed > 0) {
                    log.info("Sealed {} signing key(s) with the current secrets key", resealed);
                }
                if (repository.live().isEmpty()) {
                    repository.insert(generate());
                    log.info("Created the first signing key of the embedded issuer");
                }
            });
            return true;
        });
        refresh();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return selector.select(live);
    }

    /**
     * The keys that may have signed a token with this header: none unless it is RS256, the live key
     * it names, or every live key when it names none — what Nimbus's {@code JWSVerificationKeySelector}
     * selects from this source, without converting the JWKs (private halves included) to Java keys for
     * every token.
     */
    List<RSAPublicKey> verificationKeys(JWSHeader header) {
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            return List.of();
        }
        Map<String, RSAPublicKey> keys = verifying;
        String kid = header.getKeyID();
        if (kid == null) {
            return List.copyOf(keys.values());
        }
        RSAPublicKey key = keys.get(kid);
        return key == null ? List.of() : List.of(key);
    }

    /** The key id that signs new tokens. */
    public String activeKeyId() {
        return live.getKeys().getFirst().getKeyID();
    }

    /** The public halves of the live keys, newest (signing) first. */
    @RequiresPermission("signing-keys:manage")
    public List<JWK> publicKeys() {
        return live.toPublicJWKSet().getKeys();
    }

    /** Adds a new key, which signs from now on; older keys keep verifying until retired. */
    @RequiresPermission("signing-keys:manage")
    public JWK rotate() {
        SigningKeyRepository.StoredKey key = generate();
        TenantContext.callAsSystem(() -> {
            repository.insert(key);
            return true;
        });
        refresh();
        log.info("Rotated the embedded issuer's signing key: {} signs from now on", key.kid());
        return live.getKeyByKeyId(key.kid()).toPublicJWK();
    }

    /** Retires a key: tokens it signed stop verifying. The last live key cannot be retired. */
    @RequiresPermission("signing-keys:manage")
    public void retire(String kid) {
        TenantContext.callAsSystem(() -> {
            transactions.executeWithoutResult(status -> {
                repository.lock();
                List<SigningKeyRepository.StoredKey> keys = repository.live();
                if (keys.stream().noneMatch(k -> k.kid().equals(kid))) {
                    throw new NotFound("signing key", kid);
                }
                if (keys.size() == 1) {
                    throw new Conflict("signing key " + kid + " is the last live key; rotate before retiring it");
                }
                repository.retire(kid);
            });
            return true;
        });
        refresh();
    }

    @Scheduled(fixedDelayString = "${sextant.auth.signing-key-refresh:30s}")
    void refresh() {
        List<JWK> keys = TenantContext.callAsSystem(repository::live).stream()
                .map(SigningKeys::toJwk)
                .toList();
        Map<String, RSAPublicKey> publicKeys = new LinkedHashMap<>();
        for (JWK key : keys) {
            try {
                publicKeys.put(key.getKeyID(), key.toRSAKey().toRSAPublicKey());
            } catch (com.nimbusds.jose.JOSEException e) {
                throw new IllegalStateException("signing key " + key.getKeyID() + " has no RSA public key", e);
            }
        }
        live = new JWKSet(keys);
        verifying = java.util.Collections.unmodifiableMap(publicKeys);
    }

    private SigningKeyRepository.StoredKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String kid = now.toString().replaceAll("[^0-9]", "").substring(0, 14) + "-" + Secrets.random(6);
            return new SigningKeyRepository.StoredKey(
                    kid,
                    ALGORITHM,
                    pair.getPrivate().getEncoded(),
                    pair.getPublic().getEncoded(),
                    now,
                    null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is part of every JDK", e);
        }
    }

    private static JWK toJwk(SigningKeyRepository.StoredKey key) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            var publicKey = (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(key.publicKey()));
            var privateKey = (RSAPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(key.privateKey()));
            return new RSAKey.Builder(publicKey)
                    .privateKey(privateKey)
                    .keyID(key.kid())
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.RS256)
                    .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                    .issueTime(java.util.Date.from(key.createdAt()))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key " + key.kid() + " cannot be decoded", e);
        }
    }
}
