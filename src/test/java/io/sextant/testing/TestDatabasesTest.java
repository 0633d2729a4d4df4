package io.sextant.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestDatabasesTest {

    @Test
    void the_database_of_a_server_url_is_replaced_and_its_parameters_kept() {
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x?user=postgres");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://h:1?user=u", "x"))
                .isEqualTo("jdbc:postgresql://h:1/x?user=u");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://h:1/db", "x")).isEqualTo("jdbc:postgresql://h:1/x");
    }
}
