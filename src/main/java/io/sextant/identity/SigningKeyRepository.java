package io.sextant.identity;

import io.sextant.secrets.SecretCipher;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The issuer's keys; private halves are stored sealed by {@link SecretCipher}, bound to their kid. */
@Repository
@Transactional
class SigningKeyRepository {

    private final JdbcClient jdbc;
    private final SecretCipher cipher;

    SigningKeyRepository(JdbcClient jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    void insert(StoredKey key) {
        jdbc.sql("""
                insert into signing_key (kid, algorithm, private_key, public_key, created_at)
                values (:kid, :algorithm, :privateKey, :publicKey, :createdAt)""")
                .param("kid", key.kid())
                .param("algorithm", key.algorithm())
                .param("privateKey", cipher.seal(key.privateKey(), context(key.kid())))
                .param("publicKey", key.publicKey())
                .param("createdAt", Timestamp.from(key.createdAt()))
                .update();
    }

    /** Keys not yet retired, newest first: the first one signs, all of them verify. */
    List<StoredKey> live() {
        return jdbc.sql("""
                select kid, algorithm, private_key, public_key, created_at, retired_at
                from signing_key where retired_at is null order by created_at desc, kid desc""")
                .query((rs, row) -> new StoredKey(
                        rs.getString("kid"),
                        rs.getString("algorithm"),
                        cipher.open(rs.getBytes("private_key"), context(rs.getString("kid"))),
                        rs.getBytes("public_key"),
                        rs.getTimestamp("created_at").toInstant(),
                        null))
                .list();
    }

    /**
     * Seals every private key stored in plain text (before encryption at rest) or under a key that
     * is no longer the primary one; returns how many. Conditional on the value read, so nodes
     * starting at once do not undo each other.
     */
    int reseal() {
        record Row(String kid, byte[] privateKey) {}
        List<Row> rows = jdbc.sql("select kid, private_key from signing_key")
                .query((rs, row) -> new Row(rs.getString("kid"), rs.getBytes("private_key")))
                .list();
        int resealed = 0;
        for (Row row : rows) {
            if (!cipher.needsResealing(row.privateKey())) {
                continue;
            }
            byte[] plain = SecretCipher.isSealed(row.privateKey())
                    ? cipher.open(row.privateKey(), context(row.kid()))
                    : row.privateKey();
            resealed += jdbc.sql(
                            "update signing_key set private_key = :stored where kid = :kid and private_key = :read")
                    .param("stored", cipher.seal(plain, context(row.kid())))
                    .param("kid", row.kid())
                    .param("read", row.privateKey())
                    .update();
        }
        return resealed;
    }

    private static String context(String kid) {
        return "signing_key/" + kid;
    }

    boolean retire(String kid) {
        return jdbc.sql("update signing_key set retired_at = now() where kid = :kid and retired_at is null")
                        .param("kid", kid)
                        .update()
                == 1;
    }

    /** Serialises key creation across nodes starting at once, so only one creates the first key. */
    void lock() {
        jdbc.sql("select pg_advisory_xact_lock(7365787461)").query().singleRow();
    }

    record StoredKey(
            String kid,
            String algorithm,
            byte[] privateKey,
            byte[] publicKey,
            Instant createdAt,
            @Nullable Instant retiredAt) {}
}
