package io.sextant.shared.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GeoPointTest {

    @Test
    void the_extreme_valid_coordinates_are_accepted() {
        assertThat(new GeoPoint(-180, -90)).isEqualTo(new GeoPoint(-180.0, -90.0));
        assertThat(new GeoPoint(180, 90).lon()).isEqualTo(180);
    }

    @Test
    void a_longitude_beyond_180_degrees_is_rejected_with_its_value() {
        assertThatThrownBy(() -> new GeoPoint(180.0000001, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longitude")
                .hasMessageContaining("180.0000001");
        assertThatThrownBy(() -> new GeoPoint(-181, 0)).hasMessageContaining("longitude");
    }

    @Test
    void a_latitude_beyond_a_pole_is_rejected_with_its_value() {
        assertThatThrownBy(() -> new GeoPoint(0, 90.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latitude")
                .hasMessageContaining("90.5");
        assertThatThrownBy(() -> new GeoPoint(0, -91)).hasMessageContaining("latitude");
    }

    @Test
    void non_finite_coordinates_are_rejected() {
        assertThatThrownBy(() -> new GeoPoint(Double.NaN, 0)).hasMessageContaining("longitude");
        assertThatThrownBy(() -> new GeoPoint(0, Double.NaN)).hasMessageContaining("latitude");
        assertThatThrownBy(() -> new GeoPoint(Double.POSITIVE_INFINITY, 0)).hasMessageContaining("longitude");
        assertThatThrownBy(() -> new GeoPoint(0, Double.NEGATIVE_INFINITY)).hasMessageContaining("latitude");
    }
}
