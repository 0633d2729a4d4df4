package io.sextant.demo;

import io.sextant.demo.DemoMap.Point;
import java.util.List;

/**
 * One simulated vehicle at an instant: where it truly is (its fixes add GPS noise), the waypoints
 * left on its leg, and whether it is parked or silent. {@link Driving} moves it on.
 *
 * @param externalId the asset's external id, {@code demo-van-01}
 * @param habit how it drives and reports
 * @param position where it is
 * @param route the waypoints still ahead on this leg, the destination last; empty while parked
 * @param destination the index in {@link DemoMap#STOPS} of the stop it drives to or is parked at
 * @param speed metres per second
 * @param cruise the speed it keeps on this leg, metres per second
 * @param heading degrees from north, of its last movement
 * @param parked seconds it still stays parked (0: driving)
 * @param silent seconds it still sends nothing (0: reporting)
 * @param untilSilent seconds until a {@link Habit#FLAKY} vehicle next goes silent
 */
record Vehicle(
        String externalId,
        Habit habit,
        Point position,
        List<Point> route,
        int destination,
        double speed,
        double cruise,
        double heading,
        double parked,
        double silent,
        double untilSilent) {

    Vehicle {
        route = List.copyOf(route);
    }

    /** How a vehicle drives and reports. */
    enum Habit {
        /** Keeps to 30-90 km/h and reports every tick. */
        STEADY(Driving.MAX_CRUISE_KMH),
        /** Drives some legs at 100-120 km/h: the speeding rule catches it. */
        SPEEDER(Driving.MAX_SPEEDING_KMH),
        /** Goes silent for a few minutes now and then: the stale rule catches it. */
        FLAKY(Driving.MAX_CRUISE_KMH);

        /** The fastest it ever goes, km/h. */
        final double maxKmh;

        Habit(double maxKmh) {
            this.maxKmh = maxKmh;
        }
    }

    boolean reporting() {
        return silent <= 0;
    }

    Vehicle moved(Point position, List<Point> route, double speed, double heading) {
        return new Vehicle(
                externalId, habit, position, route, destination, speed, cruise, heading, parked, silent, untilSilent);
    }

    Vehicle parkedFor(double seconds) {
        return new Vehicle(
                externalId, habit, position, List.of(), destination, 0, cruise, heading, seconds, silent, untilSilent);
    }

    Vehicle silence(double silent, double untilSilent) {
        return new Vehicle(
                externalId, habit, position, route, destination, speed, cruise, heading, parked, silent, untilSilent);
    }

    Vehicle leg(List<Point> route, int destination, double cruise) {
        return new Vehicle(
                externalId, habit, position, route, destination, speed, cruise, heading, 0, silent, untilSilent);
    }
}
