package io.sextant.events;

import javax.sql.DataSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** An {@link EventLog} over a database, without the application, for other modules' tests. */
public final class EventLogs {

    private EventLogs() {}

    /** The event log of {@code dataSource}, with no relay to wake. */
    public static EventLog over(DataSource dataSource) {
        EventRepository repository = new EventRepository(
                JdbcClient.create(dataSource),
                new JdbcTemplate(dataSource),
                JsonMapper.builder().build());
        return new EventLog(repository, new StaticListableBeanFactory().getBeanProvider(OutboxRelay.class));
    }
}
