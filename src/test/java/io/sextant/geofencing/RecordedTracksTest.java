package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * Replays GPS tracks shaped like recorded ones (jitter, a gate to wait at, multipath jumps, fixes
 * without accuracy) through the fence state machine. Each track comes with its zone and rules
 * ({@code tracks/NAME.properties}) and the transitions it must raise ({@code
 * tracks/NAME.expected.csv}), worked out by hand fix by fix: the comments there say why.
 *
 * <p>The zone is handled with JTS in a local plane here, not with the zone module, so that the
 * expectations depend only on the geometry and the state machine.
 */
class RecordedTracksTest {

    private static final double EARTH_RADIUS_METERS = 6_371_008.8;

    @ParameterizedTest
    @ValueSource(strings = {"depot-van", "park-walker", "logistics-truck"})
    void a_replayed_track_raises_exactly_the_transitions_worked_out_by_hand(String track) {
        TrackFixture fixture = TrackFixture.load(track);

        List<Transition> transitions =
                FenceStateMachine.replay(FenceState.OUTSIDE, fixture.presenceFixes(), fixture.rules());

        assertThat(transitions).containsExactlyElementsOf(fixture.expected());
    }

    @ParameterizedTest
    @ValueSource(strings = {"depot-van", "park-walker", "logistics-truck"})
    void a_track_cut_anywhere_and_resumed_from_the_saved_state_raises_the_same_transitions(String track) {
        TrackFixture fixture = TrackFixture.load(track);
        List<PresenceFix> fixes = fixture.presenceFixes();

        for (int cut = 0; cut <= fixes.size(); cut++) {
            Replay before =
                    FenceStateMachine.replayWithFinalState(FenceState.OUTSIDE, fixes.subList(0, cut), fixture.rules());
            List<Transition> after =
                    FenceStateMachine.replay(before.finalState(), fixes.subList(cut, fixes.size()), fixture.rules());

            List<Transition> joined = new ArrayList<>(before.transitions());
            joined.addAll(after);
            assertThat(joined).as("cut before fix %d", cut).containsExactlyElementsOf(fixture.expected());
        }
    }

    /** One track with its zone, rules and expected transitions, read from src/test/resources/tracks. */
    private record TrackFixture(List<PresenceFix> presenceFixes, FenceRules rules, List<Transition> expected) {

        static TrackFixture load(String name) {
            Properties zone = new Properties();
            try (Reader reader = reader("tracks/" + name + ".properties")) {
                zone.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FenceRules rules = new FenceRules(
                    Integer.parseInt(zone.getProperty("minFixes")),
                    Duration.parse(zone.getProperty("minDuration")),
                    Double.valueOf(zone.getProperty("maxAccuracyMeters")),
                    Duration.parse(zone.getProperty("dwell")));
            LocalPlane plane = LocalPlane.around(zone.getProperty("zone"));
            double margin = Double.parseDouble(zone.getProperty("marginMeters"));

            List<PresenceFix> fixes = new ArrayList<>();
            for (String[] row : rows("tracks/" + name + ".csv")) {
                // Some devices report no accuracy: the cell is empty.
                Fix fix = new Fix(Instant.parse(row[0]), row[3].isEmpty() ? null : Double.valueOf(row[3]));
                Presence presence = plane.presence(Double.parseDouble(row[1]), Double.parseDouble(row[2]), margin);
                fixes.add(new PresenceFix(fix, presence));
            }
            List<Transition> expected = new ArrayList<>();
            Instant enteredAt = null;
            for (String[] row : rows("tracks/" + name + ".expected.csv")) {
                Instant time = Instant.parse(row[1]);
                Transition transition = switch (row[0]) {
                    case "ENTERED" -> new Transition.Entered(time);
                    case "EXITED" -> new Transition.Exited(time, Objects.requireNonNull(enteredAt, "entry"));
                    case "DWELLED" -> new Transition.Dwelled(time, Objects.requireNonNull(enteredAt, "entry"));
                    default -> throw new IllegalArgumentException("unknown transition " + row[0]);
                };
                if (transition instanceof Transition.Entered) {
                    enteredAt = time;
                }
                expected.add(transition);
            }
            return new TrackFixture(fixes, rules, expected);
        }

        /** The data rows of a CSV resource: comment lines and the header skipped. */
        private static List<String[]> rows(String resource) {
            try (BufferedReader reader = new BufferedReader(reader(resource))) {
                return reader.lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .skip(1)
                        .map(line -> line.split(",", -1))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Reader reader(String resource) {
            InputStream stream = RecordedTracksTest.class.getClassLoader().getResourceAsStream(resource);
            return new InputStreamReader(Objects.requireNonNull(stream, resource), StandardCharsets.UTF_8);
        }
    }

    /** An equirectangular plane in meters around a zone, fine at the scale of a depot or a park. */
    private record LocalPlane(Geometry zone, double lon0, double lat0, double cosLat0) {

        private static final GeometryFactory PLANE = new GeometryFactory();

        static LocalPlane around(String wkt) {
            Geometry lonLat;
            try {
                lonLat = new WKTReader().read(wkt);
            } catch (ParseException e) {
                throw new IllegalArgumentException(e);
            }
            Envelope envelope = lonLat.getEnvelopeInternal();
            double lon0 = envelope.centre().x;
            double lat0 = envelope.centre().y;
            LocalPlane unprojected = new LocalPlane(lonLat, lon0, lat0, Math.cos(Math.toRadians(lat0)));
            Coordinate[] ring = lonLat.getCoordinates();
            Coordinate[] projected = new Coordinate[ring.length];
            for (int i = 0; i < ring.length; i++) {
                projected[i] = unprojected.project(ring[i].x, ring[i].y);
            }
            return new LocalPlane(PLANE.createPolygon(projected), lon0, lat0, unprojected.cosLat0());
        }

        Presence presence(double lon, double lat, double marginMeters) {
            Point point = PLANE.createPoint(project(lon, lat));
            return Presence.classify(zone.contains(point), zone.getBoundary().distance(point), marginMeters);
        }

        private Coordinate project(double lon, double lat) {
            return new Coordinate(
                    Math.toRadians(lon - lon0) * EARTH_RADIUS_METERS * cosLat0,
                    Math.toRadians(lat - lat0) * EARTH_RADIUS_METERS);
        }
    }
}
