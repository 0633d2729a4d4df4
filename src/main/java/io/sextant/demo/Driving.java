package io.sextant.demo;

import io.sextant.demo.DemoMap.Kind;
import io.sextant.demo.DemoMap.Place;
import io.sextant.demo.DemoMap.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How a demo vehicle moves: pure functions of its state, the time that passed and a source of
 * randomness. A leg runs in straight lines through a few waypoints scattered either side of the
 * direct line (there is no road network offline); the vehicle speeds up and brakes smoothly (at
 * most {@link #BRAKING}, to stop exactly at its destination), keeps its leg's cruising speed in
 * between, and parks a while at the end.
 */
final class Driving {

    static final double MIN_CRUISE_KMH = 30;
    static final double MAX_CRUISE_KMH = 90;
    static final double MIN_SPEEDING_KMH = 100;
    static final double MAX_SPEEDING_KMH = 120;
    /** m/s². */
    static final double ACCELERATION = 1.5;
    /** m/s². */
    static final double BRAKING = 2.0;
    /** Longer steps are taken as several of this length, so that braking stays smooth. */
    private static final double MAX_STEP_SECONDS = 1.0;

    private Driving() {}

    /** The vehicle {@code seconds} later. */
    static Vehicle step(Vehicle vehicle, double seconds, RandomGenerator random) {
        Vehicle next = vehicle;
        double left = seconds;
        while (left > 0) {
            double step = Math.min(left, MAX_STEP_SECONDS);
            next = silence(move(next, step, random), step, random);
            left -= step;
        }
        return next;
    }

    private static Vehicle move(Vehicle vehicle, double seconds, RandomGenerator random) {
        if (vehicle.parked() > 0) {
            double parked = vehicle.parked() - seconds;
            return parked > 0 ? vehicle.parkedFor(parked) : depart(vehicle, random);
        }
        List<Point> route = new ArrayList<>(vehicle.route());
        if (route.isEmpty()) {
            return arrive(vehicle, random);
        }
        double remaining = length(vehicle.position(), route);
        double speed;
        if (vehicle.speed() > 0 && vehicle.speed() * vehicle.speed() / (2 * BRAKING) >= remaining) {
            // Within braking distance: the deceleration that stops exactly at the destination.
            double deceleration = vehicle.speed() * vehicle.speed() / (2 * remaining);
            speed = Math.max(0, vehicle.speed() - deceleration * seconds);
        } else {
            speed = vehicle.speed() < vehicle.cruise()
                    ? Math.min(vehicle.cruise(), vehicle.speed() + ACCELERATION * seconds)
                    : Math.max(vehicle.cruise(), vehicle.speed() - BRAKING * seconds);
        }
        double distance = (vehicle.speed() + speed) / 2 * seconds;
        if (speed <= 0 || distance >= remaining) {
            Vehicle there = vehicle.moved(route.getLast(), List.of(), 0, heading(vehicle, route.getLast()));
            return arrive(there, random);
        }
        Point position = vehicle.position();
        double heading = vehicle.heading();
        while (distance > 0) {
            Point waypoint = route.getFirst();
            double toWaypoint = position.distanceTo(waypoint);
            heading = position.bearingTo(waypoint);
            if (distance < toWaypoint) {
                position = position.towards(waypoint, distance / toWaypoint);
                distance = 0;
            } else {
                position = waypoint;
                distance -= toWaypoint;
                route.removeFirst();
            }
        }
        return vehicle.moved(position, route, speed, heading);
    }

    private static double heading(Vehicle vehicle, Point target) {
        return vehicle.position().distanceTo(target) > 0.1 ? vehicle.position().bearingTo(target) : vehicle.heading();
    }

    /** Parked at its destination: a few minutes at a depot, a minute or so at a site. */
    private static Vehicle arrive(Vehicle vehicle, RandomGenerator random) {
        boolean depot = DemoMap.STOPS.get(vehicle.destination()).kind() == Kind.DEPOT;
        return vehicle.parkedFor(depot ? random.nextDouble(40, 120) : random.nextDouble(20, 90));
    }

    /** Leaves for the next stop: from a depot to a site; from a site to another site, or a depot. */
    static Vehicle depart(Vehicle vehicle, RandomGenerator random) {
        int from = vehicle.destination();
        int depots = DemoMap.DEPOTS.size();
        int to;
        if (from < depots || random.nextDouble() >= 0.25) {
            do {
                to = depots + random.nextInt(DemoMap.SITES.size());
            } while (to == from);
        } else {
            to = random.nextInt(depots);
        }
        return headFor(vehicle, to, random);
    }

    /** Plans a leg from where the vehicle is to a parking spot at stop {@code to}. */
    static Vehicle headFor(Vehicle vehicle, int to, RandomGenerator random) {
        Place place = DemoMap.STOPS.get(to);
        double angle = random.nextDouble(0, 2 * Math.PI);
        double radius = random.nextDouble(0, place.parkingRadius());
        Point target = new Point(
                place.center().x() + radius * Math.cos(angle), place.center().y() + radius * Math.sin(angle));
        Point start = vehicle.position();
        double length = start.distanceTo(target);
        List<Point> route = new ArrayList<>();
        int waypoints = length < 1000 ? 0 : 1 + random.nextInt(2);
        for (int k = 1; k <= waypoints; k++) {
            Point along = start.towards(target, (double) k / (waypoints + 1));
            double offset = Math.clamp(random.nextGaussian() * 0.08, -0.15, 0.15) * length;
            // Perpendicular to the direct line, so the leg bends but never turns back.
            double nx = -(target.y() - start.y()) / length;
            double ny = (target.x() - start.x()) / length;
            route.add(new Point(along.x() + nx * offset, along.y() + ny * offset));
        }
        route.add(target);
        return vehicle.leg(route, to, cruise(vehicle.habit(), length, random) / 3.6);
    }

    /** The leg's cruising speed, km/h: slower across town, faster on a long leg; a speeder sometimes far over. */
    static double cruise(Vehicle.Habit habit, double length, RandomGenerator random) {
        if (habit == Vehicle.Habit.SPEEDER && random.nextBoolean()) {
            return random.nextDouble(MIN_SPEEDING_KMH, MAX_SPEEDING_KMH);
        }
        return length < 3000 ? random.nextDouble(MIN_CRUISE_KMH, 55) : random.nextDouble(45, MAX_CRUISE_KMH);
    }

    /** A flaky vehicle goes silent for 2.5-5 minutes every 10-15 minutes; the others never do. */
    private static Vehicle silence(Vehicle vehicle, double seconds, RandomGenerator random) {
        if (vehicle.habit() != Vehicle.Habit.FLAKY) {
            return vehicle;
        }
        if (vehicle.silent() > 0) {
            return vehicle.silence(Math.max(0, vehicle.silent() - seconds), vehicle.untilSilent());
        }
        double until = vehicle.untilSilent() - seconds;
        return until > 0
                ? vehicle.silence(0, until)
                : vehicle.silence(random.nextDouble(150, 300), random.nextDouble(600, 900));
    }

    /** The length of the path from {@code position} through {@code route}. */
    static double length(Point position, List<Point> route) {
        double length = 0;
        Point from = position;
        for (Point point : route) {
            length += from.distanceTo(point);
            from = point;
        }
        return length;
    }
}
