package io.sextant.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

@Repository
@Transactional
class SigningKeyRepository {

    private final JdbcClient jdbc;

    SigningKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StoredKey key) {
        jdbc.sql("""
                insert into signing_key (kid, algorithm, private_key, public_key, created_at)
                values (:kid, :algorithm, :privateKey, :publicKey, :createdAt)""")
                .param("kid", key.kid())
                .param("algorithm", key.algorithm())
                .param("privateKey", key.privateKey())
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
                        rs.getBytes("private_key"),
                        rs.getBytes("public_key"),
                        rs.getTimestamp("created_at").toInstant(),
                        null))
                .list();
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
