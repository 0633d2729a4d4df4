package io.sextant.demo;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The demo's one piece of SQL: the lock that serialises its creation across nodes. */
@Repository
class DemoLockRepository {

    private final JdbcClient jdbc;

    DemoLockRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Held to the end of the transaction: nodes started at once create the demo once. */
    void lock() {
        jdbc.sql("select pg_advisory_xact_lock(7365787464)").query().singleRow();
    }
}
