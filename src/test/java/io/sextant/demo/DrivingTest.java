package io.sextant.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.sextant.demo.DemoFleet.Plan;
import io.sextant.demo.DemoMap.Point;
import io.sextant.demo.DemoProperties.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DrivingTest {

    private static final Instant START = Instant.parse("2026-12-04T08:00:00Z");
    /** Metres of rounding a step may add to what its speeds allow. */
    private static final double EPSILON = 1e-6;

    @Property(tries = 40)
    void vehicles_keep_their_speed_limits_and_never_jump(
            @ForAll long seed, @ForAll @DoubleRange(min = 0.2, max = 5) double tick) {
        SplittableRandom random = new SplittableRandom(seed);
        Fleet fleet = Fleet.start(START, random);
        List<Vehicle> before = fleet.vehicles();
        Instant now = START;
        for (int step = 0; step < 600; step++) {
            now = now.plus(Duration.ofNanos((long) (tick * 1e9)));
            assertThat(fleet.advance(now).fixes()).hasSizeLessThanOrEqualTo(Fleet.SIZE);
            List<Vehicle> after = fleet.vehicles();
            for (int i = 0; i < after.size(); i++) {
                Vehicle was = before.get(i);
                Vehicle is = after.get(i);
                double maxSpeed = is.habit().maxKmh / 3.6;
                assertThat(is.speed()).isBetween(0.0, maxSpeed + EPSILON);
                assertThat(is.position().distanceTo(was.position()))
                        .as("%s moved further than its speeds allow", is.externalId())
                        .isLessThanOrEqualTo(maxSpeed * tick + EPSILON);
                assertThat(Math.abs(is.speed() - was.speed()))
                        .as("%s changed speed faster than it can brake", is.externalId())
                        .isLessThanOrEqualTo(2 * Driving.BRAKING * tick + EPSILON);
                assertThat(Math.hypot(is.position().x(), is.position().y()))
                        .as("%s stays in the demo's area", is.externalId())
                        .isLessThan(15_000);
            }
            before = after;
        }
    }

    @Property(tries = 200)
    void a_leg_is_cruised_at_30_to_90_kmh_unless_the_driver_is_a_speeder(
            @ForAll long seed, @ForAll @DoubleRange(min = 10, max = 20_000) double length) {
        SplittableRandom random = new SplittableRandom(seed);
        assertThat(Driving.cruise(Vehicle.Habit.STEADY, length, random))
                .isBetween(Driving.MIN_CRUISE_KMH, Driving.MAX_CRUISE_KMH);
        assertThat(Driving.cruise(Vehicle.Habit.SPEEDER, length, random))
                .isBetween(Driving.MIN_CRUISE_KMH, Driving.MAX_SPEEDING_KMH);
    }

    @Property(tries = 20)
    void every_vehicle_reaches_a_stop_and_parks_there(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int number) {
        SplittableRandom random = new SplittableRandom(seed);
        Fleet fleet = Fleet.start(START, random);
        Instant now = START;
        boolean parked = false;
        for (int step = 0; step < 1800 && !parked; step++) {
            now = now.plusSeconds(1);
            assertThat(fleet.advance(now).fixes()).hasSizeLessThanOrEqualTo(Fleet.SIZE);
            Vehicle vehicle = fleet.vehicles().get(number - 1);
            if (vehicle.parked() > 0) {
                Point stop = DemoMap.STOPS.get(vehicle.destination()).center();
                assertThat(vehicle.position().distanceTo(stop))
                        .isLessThanOrEqualTo(
                                DemoMap.STOPS.get(vehicle.destination()).parkingRadius() + EPSILON);
                parked = true;
            }
        }
        assertThat(parked).as("parked within half an hour").isTrue();
    }

    @Test
    void a_flaky_vehicle_goes_silent_for_minutes_and_comes_back() {
        assertThat(Fleet.habit(7)).isEqualTo(Vehicle.Habit.FLAKY);
        Fleet fleet = Fleet.start(START, new SplittableRandom(7));
        Instant now = START;
        int silentSeconds = 0;
        boolean backAfterSilence = false;
        for (int step = 0; step < 1800; step++) {
            now = now.plusSeconds(1);
            boolean reported = fleet.advance(now).fixes().stream()
                    .anyMatch(fix -> fix.externalId().equals(Fleet.externalId(7)));
            if (!reported) {
                silentSeconds++;
            } else if (silentSeconds > 0) {
                backAfterSilence = true;
            }
        }
        assertThat(silentSeconds).as("seconds silent in half an hour").isGreaterThan(120);
        assertThat(backAfterSilence).isTrue();
    }

    @Test
    void auto_creates_the_demo_only_on_the_first_start_of_an_embedded_database() {
        assertThat(DemoFleet.plan(Mode.AUTO, true, true, false)).isEqualTo(Plan.CREATE);
        assertThat(DemoFleet.plan(Mode.AUTO, true, false, true)).isEqualTo(Plan.SIMULATE);
        assertThat(DemoFleet.plan(Mode.AUTO, true, false, false)).isEqualTo(Plan.NONE);
        assertThat(DemoFleet.plan(Mode.AUTO, false, true, false)).isEqualTo(Plan.NONE);
        assertThat(DemoFleet.plan(Mode.AUTO, false, false, true)).isEqualTo(Plan.NONE);
    }

    @Test
    void true_always_creates_and_false_never_does() {
        assertThat(DemoFleet.plan(Mode.TRUE, false, false, false)).isEqualTo(Plan.CREATE);
        assertThat(DemoFleet.plan(Mode.TRUE, true, false, true)).isEqualTo(Plan.CREATE);
        assertThat(DemoFleet.plan(Mode.FALSE, true, true, false)).isEqualTo(Plan.NONE);
        assertThat(DemoFleet.plan(Mode.FALSE, true, false, true)).isEqualTo(Plan.NONE);
    }

    @Test
    void an_interval_under_200_ms_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DemoProperties(Mode.AUTO, null, Duration.ofMillis(100)))
                .withMessageContaining("SEXTANT_DEMO_INTERVAL");
    }
}
