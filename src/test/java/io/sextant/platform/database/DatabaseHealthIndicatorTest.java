package io.sextant.platform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class DatabaseHealthIndicatorTest {

    @Test
    void a_database_that_answers_is_up() throws Exception {
        DataSource dataSource = mock(DataSource.class);
        Connection connection = mock(Connection.class);
        when(dataSource.getConnection()).thenReturn(connection);
        when(connection.isValid(1)).thenReturn(true);

        assertThat(new DatabaseHealthIndicator(dataSource, Duration.ofSeconds(1))
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void a_database_that_refuses_connections_is_down() throws Exception {
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenThrow(new SQLTransientConnectionException("refused"));

        assertThat(new DatabaseHealthIndicator(dataSource, Duration.ofSeconds(1))
                        .health()
                        .getStatus())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void a_database_that_does_not_answer_is_down_after_the_timeout_and_later_probes_share_the_waiting_check()
            throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenAnswer(invocation -> {
            never.await();
            return null;
        });
        DatabaseHealthIndicator health = new DatabaseHealthIndicator(dataSource, Duration.ofMillis(200));

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        verify(dataSource, timeout(5000)).getConnection();
        verify(dataSource, times(1)).getConnection();
        never.countDown();
    }
}
