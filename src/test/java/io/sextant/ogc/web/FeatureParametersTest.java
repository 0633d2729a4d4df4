package io.sextant.ogc.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.features.TimeInterval;
import io.sextant.shared.geo.BoundingBox;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.web.ErrorResponseException;

class FeatureParametersTest {

    @Test
    void limit_defaults_to_ten_refuses_less_than_one_and_serves_more_than_the_collections_maximum_as_that() {
        assertThat(FeatureParameters.limit(null, 1000)).isEqualTo(10);
        assertThat(FeatureParameters.limit("1", 1000)).isEqualTo(1);
        assertThat(FeatureParameters.limit("1000", 1000)).isEqualTo(1000);
        assertThat(FeatureParameters.limit("1001", 1000)).isEqualTo(1000);
        assertThat(FeatureParameters.limit("99999999999", 1000)).isEqualTo(1000);
        assertThat(FeatureParameters.limit("99999999999999999999", 1000)).isEqualTo(1000);
        assertThat(FeatureParameters.limit("600", 500))
                .as("a collection's own maximum")
                .isEqualTo(500);
        assertThat(FeatureParameters.limit(null, 5)).isEqualTo(5);
        for (String bad : new String[] {"0", "-3", "ten", "", "1.5", "-99999999999999999999"}) {
            assertThatThrownBy(() -> FeatureParameters.limit(bad, 1000))
                    .as(bad)
                    .isInstanceOf(ErrorResponseException.class)
                    .hasMessageContaining("400");
        }
    }

    @Test
    void bbox_takes_four_numbers_or_six_with_heights_and_may_cross_the_antimeridian() {
        assertThat(FeatureParameters.bbox(null)).isNull();
        assertThat(FeatureParameters.bbox("4.8,45.7,4.9,45.8")).isEqualTo(new BoundingBox(4.8, 45.7, 4.9, 45.8));
        assertThat(FeatureParameters.bbox("4.8, 45.7, -10, 4.9, 45.8, 3000"))
                .isEqualTo(new BoundingBox(4.8, 45.7, 4.9, 45.8));
        assertThat(FeatureParameters.bbox("170,-20,-170,-10").crossesAntimeridian())
                .isTrue();
        for (String bad : new String[] {
            "1,2,3", "1,2,3,4,5", "a,2,3,4", "1,2,3,NaN", "1,2,3,Infinity", "1,50,2,40", "1,-91,2,0", "181,0,182,1", ""
        }) {
            assertThatThrownBy(() -> FeatureParameters.bbox(bad))
                    .as(bad)
                    .isInstanceOf(ErrorResponseException.class)
                    .hasMessageContaining("400");
        }
    }

    @Test
    void datetime_is_an_instant_a_date_or_an_interval_with_open_ends() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(FeatureParameters.datetime(null)).isNull();
        assertThat(FeatureParameters.datetime("2026-12-07T11:00:00+01:00")).isEqualTo(TimeInterval.at(t));
        assertThat(FeatureParameters.datetime("2026-12-07"))
                .isEqualTo(new TimeInterval(
                        Instant.parse("2026-12-07T00:00:00Z"), Instant.parse("2026-12-07T23:59:59.999999999Z")));
        assertThat(FeatureParameters.datetime("2026-12-07T10:00:00Z/..")).isEqualTo(new TimeInterval(t, null));
        assertThat(FeatureParameters.datetime("/2026-12-07T10:00:00Z")).isEqualTo(new TimeInterval(null, t));
        assertThat(FeatureParameters.datetime("../..")).isEqualTo(new TimeInterval(null, null));
        assertThat(FeatureParameters.datetime("2026-12-06/2026-12-07"))
                .isEqualTo(new TimeInterval(
                        Instant.parse("2026-12-06T00:00:00Z"), Instant.parse("2026-12-07T23:59:59.999999999Z")));
        for (String bad : new String[] {
            "yesterday",
            "2026-12-07T10:00:00",
            "2026-13-01",
            "2026-12-07T10:00:00Z/2026-12-06T10:00:00Z",
            "a/b/c",
            "10000-01-01T00:00:00Z"
        }) {
            assertThatThrownBy(() -> FeatureParameters.datetime(bad))
                    .as(bad)
                    .isInstanceOf(ErrorResponseException.class)
                    .hasMessageContaining("400");
        }
    }

    @Test
    void a_parameter_the_operation_does_not_define_is_refused_naming_it() {
        FeatureParameters.onlyDefined(Map.of("limit", new String[] {"5"}), Set.of("limit", "bbox"));
        assertThatThrownBy(() -> FeatureParameters.onlyDefined(
                        Map.of("limit", new String[] {"5"}, "filter", new String[] {"x"}), Set.of("limit", "bbox")))
                .isInstanceOf(ErrorResponseException.class)
                .hasMessageContaining("400");
    }

    @Test
    void only_json_is_served() {
        FeatureParameters.format(null);
        FeatureParameters.format("json");
        FeatureParameters.format("geojson");
        assertThatThrownBy(() -> FeatureParameters.format("html")).isInstanceOf(ErrorResponseException.class);
    }
}
