package io.sextant.demo;

import io.sextant.demo.DemoMap.Place;
import io.sextant.demo.DemoMap.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The fifty demo vehicles and what their devices report. Not thread-safe: one simulator thread
 * owns it.
 */
final class Fleet {

    static final int SIZE = 50;
    /** A longer gap (an outage, a paused process) is driven as this much time, not as a jump. */
    private static final Duration MAX_GAP = Duration.ofMinutes(1);
    /** Standard deviation of the GPS noise on each axis, metres. */
    private static final double JITTER_METERS = 3;

    /** A vehicle that left stop {@code from} (an index in {@link DemoMap#STOPS}) for stop {@code to}. */
    record Departure(String externalId, int from, int to) {}

    /** What a step of the fleet produced: the fixes to send, the departures a dispatcher sees. */
    record Tick(List<Fix> fixes, List<Departure> departures) {}

    /** What one vehicle's device reports: a position with its speed (m/s) and heading. */
    record Fix(
            String externalId, Instant time, double lon, double lat, double speed, double heading, double accuracy) {}

    private final RandomGenerator random;
    private final List<Vehicle> vehicles;
    private Instant time;

    private Fleet(RandomGenerator random, List<Vehicle> vehicles, Instant time) {
        this.random = random;
        this.vehicles = new ArrayList<>(vehicles);
        this.time = time;
    }

    static String externalId(int number) {
        return String.format(Locale.ROOT, "demo-van-%02d", number);
    }

    static String name(int number) {
        return String.format(Locale.ROOT, "Van %02d", number);
    }

    /** Vehicle {@code number}'s habit: two speeders, three that go silent now and then. */
    static Vehicle.Habit habit(int number) {
        return switch (number) {
            case 13, 42 -> Vehicle.Habit.SPEEDER;
            case 7, 23, 38 -> Vehicle.Habit.FLAKY;
            default -> Vehicle.Habit.STEADY;
        };
    }

    /**
     * The fleet at {@code start}: one in five vehicles a few dozen metres outside a site and driving
     * into it (so zone events come within seconds), the others parked at a depot or on their way.
     */
    static Fleet start(Instant start, RandomGenerator random) {
        List<Vehicle> vehicles = new ArrayList<>();
        int depots = DemoMap.DEPOTS.size();
        for (int number = 1; number <= SIZE; number++) {
            Vehicle.Habit habit = habit(number);
            double untilSilent = habit == Vehicle.Habit.FLAKY ? random.nextDouble(60, 300) : 0;
            int home = number % depots;
            Vehicle parked = new Vehicle(
                    externalId(number),
                    habit,
                    DemoMap.DEPOTS.get(home).center(),
                    List.of(),
                    home,
                    0,
                    0,
                    random.nextDouble(0, 360),
                    0,
                    0,
                    untilSilent);
            Vehicle vehicle = switch (number % 5) {
                case 1 -> arriving(parked, depots + (number / 5) % DemoMap.SITES.size(), random);
                case 3 -> parked.parkedFor(random.nextDouble(5, 60));
                default -> underway(parked, random);
            };
            vehicles.add(vehicle);
        }
        return new Fleet(random, vehicles, start);
    }

    /** Just outside the stop's zone, driving in at town speed. */
    private static Vehicle arriving(Vehicle vehicle, int stop, RandomGenerator random) {
        Place place = DemoMap.STOPS.get(stop);
        double angle = random.nextDouble(0, 2 * Math.PI);
        double distance = Math.hypot(place.halfWidth(), place.halfHeight()) + random.nextDouble(30, 80);
        Point outside = new Point(
                place.center().x() + distance * Math.sin(angle), place.center().y() + distance * Math.cos(angle));
        Vehicle there = vehicle.moved(outside, List.of(), 8, outside.bearingTo(place.center()));
        return Driving.headFor(there, stop, random);
    }

    /** Somewhere along a leg from its depot, at cruising speed. */
    private static Vehicle underway(Vehicle vehicle, RandomGenerator random) {
        Vehicle leaving = Driving.depart(vehicle, random);
        Point next = leaving.route().getFirst();
        Point position = leaving.position().towards(next, random.nextDouble(0, 0.9));
        double speed =
                Math.min(leaving.cruise(), Math.sqrt(2 * Driving.BRAKING * Driving.length(position, leaving.route())));
        return leaving.moved(position, leaving.route(), speed, position.bearingTo(next));
    }

    List<Vehicle> vehicles() {
        return List.copyOf(vehicles);
    }

    /**
     * Drives every vehicle up to {@code now}: the fixes of those reporting, dated {@code now}, and the
     * vehicles that set off for another stop.
     */
    Tick advance(Instant now) {
        Duration gap = Duration.between(time, now);
        if (gap.isNegative()) {
            return new Tick(List.of(), List.of());
        }
        double seconds = (gap.compareTo(MAX_GAP) > 0 ? MAX_GAP : gap).toNanos() / 1e9;
        time = now;
        List<Fix> fixes = new ArrayList<>(vehicles.size());
        List<Departure> departures = new ArrayList<>();
        for (int i = 0; i < vehicles.size(); i++) {
            Vehicle before = vehicles.get(i);
            Vehicle vehicle = Driving.step(before, seconds, random);
            vehicles.set(i, vehicle);
            if (vehicle.reporting()) {
                fixes.add(fix(vehicle, now));
            }
            if (vehicle.destination() != before.destination()) {
                departures.add(new Departure(vehicle.externalId(), before.destination(), vehicle.destination()));
            }
        }
        return new Tick(fixes, departures);
    }

    private Fix fix(Vehicle vehicle, Instant now) {
        Point seen = new Point(
                vehicle.position().x() + random.nextGaussian() * JITTER_METERS,
                vehicle.position().y() + random.nextGaussian() * JITTER_METERS);
        double speed = vehicle.speed() > 0 ? Math.max(0, vehicle.speed() + random.nextGaussian() * 0.2) : 0;
        double heading = vehicle.heading() >= 360 ? 0 : vehicle.heading();
        return new Fix(vehicle.externalId(), now, seen.lon(), seen.lat(), speed, heading, random.nextDouble(3, 8));
    }
}
