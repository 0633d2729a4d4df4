package io.sextant.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void wildcards_match_as_mqtt_3_1_1_section_4_7_says() {
        assertThat(TopicFilter.parse("sport/tennis/player1/#").matches("sport/tennis/player1"))
                .isTrue();
        assertThat(TopicFilter.parse("sport/tennis/player1/#").matches("sport/tennis/player1/ranking"))
                .isTrue();
        assertThat(TopicFilter.parse("sport/tennis/player1/#").matches("sport/tennis/player1/score/wimbledon"))
                .isTrue();
        assertThat(TopicFilter.parse("sport/#").matches("sport")).isTrue();
        assertThat(TopicFilter.parse("sport/tennis/+").matches("sport/tennis/player1"))
                .isTrue();
        assertThat(TopicFilter.parse("sport/tennis/+").matches("sport/tennis/player1/ranking"))
                .isFalse();
        assertThat(TopicFilter.parse("sport/+").matches("sport")).isFalse();
        assertThat(TopicFilter.parse("sport/+").matches("sport/")).isTrue();
        assertThat(TopicFilter.parse("+/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("/+").matches("/finance")).isTrue();
        assertThat(TopicFilter.parse("+").matches("/finance")).isFalse();
        assertThat(TopicFilter.parse("a/b").matches("a/b")).isTrue();
        assertThat(TopicFilter.parse("a/b").matches("a/B")).isFalse();
        assertThat(TopicFilter.parse("a/b").matches("a/b/c")).isFalse();
    }

    @Test
    void a_wildcard_first_level_does_not_match_topics_starting_with_a_dollar() {
        assertThat(TopicFilter.parse("#").matches("$SYS/broker/clients")).isFalse();
        assertThat(TopicFilter.parse("+/monitor/Clients").matches("$SYS/monitor/Clients"))
                .isFalse();
        assertThat(TopicFilter.parse("$SYS/#").matches("$SYS/broker/clients")).isTrue();
    }

    @Test
    void a_shared_subscription_matches_by_its_filter_and_is_subscribed_as_written() {
        TopicFilter shared = TopicFilter.parse("$share/sextant/fleet/+/position");
        assertThat(shared.subscription()).isEqualTo("$share/sextant/fleet/+/position");
        assertThat(shared.levelCount()).isEqualTo(3);
        assertThat(shared.matches("fleet/truck-1/position")).isTrue();
        assertThat(shared.matches("$share/sextant/fleet/truck-1/position")).isFalse();
    }

    @Test
    void malformed_filters_are_refused() {
        for (String bad :
                new String[] {"", "a/#/b", "a/b#", "a/+b", "$share/", "$share/group", "$share//a", "$share/g/"}) {
            assertThatThrownBy(() -> TopicFilter.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
