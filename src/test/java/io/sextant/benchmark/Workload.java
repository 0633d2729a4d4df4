package io.sextant.benchmark;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic synthetic fleets: every figure of a run is computed from a seed, so the HTTP path,
 * the COPY peer, PostGIS and Redis see exactly the same rows and points. Assets live around a fixed
 * set of metropolitan areas (a Gaussian spread of about 10 km), which is what makes "populated
 * areas" meaningful for query points.
 */
final class Workload {

    /** Metropolitan areas (lon, lat); all inside Redis' geo range of +-85.05 degrees latitude. */
    static final double[][] CITIES = {
        {2.35, 48.86}, {-0.13, 51.51}, {13.40, 52.52}, {4.90, 52.37}, {-3.70, 40.42}, {12.50, 41.90},
        {16.37, 48.21}, {21.01, 52.23}, {18.07, 59.33}, {10.75, 59.91}, {-9.14, 38.72}, {23.73, 37.98},
        {28.98, 41.01}, {37.62, 55.75}, {31.24, 30.04}, {3.38, 6.52}, {36.82, -1.29}, {28.05, -26.20},
        {18.42, -33.92}, {55.27, 25.20}, {72.88, 19.08}, {77.21, 28.61}, {77.59, 12.97}, {100.50, 13.76},
        {103.82, 1.35}, {106.85, -6.21}, {114.17, 22.32}, {121.47, 31.23}, {116.41, 39.90}, {126.98, 37.57},
        {139.69, 35.69}, {135.50, 34.69}, {151.21, -33.87}, {144.96, -37.81}, {174.76, -36.85}, {-74.01, 40.71},
        {-87.63, 41.88}, {-118.24, 34.05}, {-122.42, 37.77}, {-79.38, 43.65}, {-99.13, 19.43}, {-46.63, -23.55},
        {-58.38, -34.60}, {-70.67, -33.45}, {-77.04, -12.05}, {-74.07, 4.71}
    };

    /** Standard deviation of an asset's home around its city centre, in degrees of latitude. */
    private static final double SPREAD = 0.09;

    private final long seed;

    Workload(long seed) {
        this.seed = seed;
    }

    /** A stable pseudo-random source for one entity of one stream. */
    SplittableRandom random(long stream, long index) {
        return new SplittableRandom(mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + index)));
    }

    /** The home (lon, lat) of asset {@code index} of {@code stream}. */
    double[] home(long stream, long index) {
        SplittableRandom r = random(stream, index);
        double[] city = CITIES[r.nextInt(CITIES.length)];
        double lat = city[1] + gaussian(r) * SPREAD;
        double lon = city[0] + gaussian(r) * SPREAD / Math.cos(Math.toRadians(city[1]));
        return new double[] {lon, lat};
    }

    /** A deterministic UUID (version-4 layout) for entity {@code index} of {@code stream}. */
    UUID uuid(long stream, long index) {
        SplittableRandom r = random(stream ^ 0x55AA55AAL, index);
        long hi = (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo);
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller; clipped at 4 sigma so no asset lands far from its city.
        double u = Math.max(r.nextDouble(), 1e-12);
        double v = r.nextDouble();
        double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        return Math.max(-4, Math.min(4, g));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One generated position, in the columns Sextant stores. */
    record Row(int asset, Instant eventTime, double lon, double lat, float speed, float heading) {

        /** Appends this row as one ingest JSON object for {@code assetId}. */
        void appendJson(StringBuilder body, java.util.UUID assetId) {
            body.append("{\"assetId\":\"")
                    .append(assetId)
                    .append("\",\"time\":\"")
                    .append(eventTime)
                    .append("\",\"lon\":")
                    .append(lon)
                    .append(",\"lat\":")
                    .append(lat)
                    .append(",\"speed\":")
                    .append(speed)
                    .append(",\"heading\":")
                    .append(heading)
                    .append('}');
        }
    }

    /**
     * Live ingest: position {@code p} of {@code positions} is asset {@code p % assets} at step {@code
     * p / assets}, one step every 5 s, driving a straight line at 8–15 m/s from its home. Batches of
     * consecutive indexes therefore carry many assets at the same instant, as a fleet reports.
     */
    static final class Drive {
        private final int assets;
        private final Instant base;
        private final double[] homeLon;
        private final double[] homeLat;
        private final double[] stepLon;
        private final double[] stepLat;
        private final float[] speed;
        private final float[] heading;
        private final int[] offsetMillis;

        Drive(Workload workload, long stream, int assets, Instant base) {
            this.assets = assets;
            this.base = base;
            homeLon = new double[assets];
            homeLat = new double[assets];
            stepLon = new double[assets];
            stepLat = new double[assets];
            speed = new float[assets];
            heading = new float[assets];
            offsetMillis = new int[assets];
            for (int a = 0; a < assets; a++) {
                double[] home = workload.home(stream, a);
                SplittableRandom r = workload.random(stream + 1000, a);
                homeLon[a] = home[0];
                homeLat[a] = home[1];
                speed[a] = (float) (8 + 7 * r.nextDouble());
                heading[a] = (float) Math.floor(r.nextDouble() * 3600) / 10f;
                double meters = speed[a] * 5.0;
                double rad = Math.toRadians(heading[a]);
                stepLat[a] = meters * Math.cos(rad) / 110_574.0;
                stepLon[a] = meters * Math.sin(rad) / (111_320.0 * Math.cos(Math.toRadians(home[1])));
                offsetMillis[a] = r.nextInt(5000);
            }
        }

        Row row(long p) {
            return row(p, 0);
        }

        /**
         * Row {@code p} where its asset is at step {@code p / assets} of its line, reported {@code
         * later} steps of time after that step's time: the same ground again, later.
         */
        Row row(long p, long later) {
            int a = (int) (p % assets);
            long step = p / assets;
            return new Row(
                    a,
                    base.plusMillis((step + later) * 5000 + offsetMillis[a]),
                    homeLon[a] + stepLon[a] * step,
                    homeLat[a] + stepLat[a] * step,
                    speed[a],
                    heading[a]);
        }

        /** Asset {@code a} after {@code step} (possibly fractional) steps of its line, reported at {@code time}. */
        Row at(int a, double step, Instant time) {
            return new Row(
                    a, time, homeLon[a] + stepLon[a] * step, homeLat[a] + stepLat[a] * step, speed[a], heading[a]);
        }
    }

    /**
     * History: row {@code h} is asset {@code h % assets} at its {@code h / assets}-th report, evenly
     * spaced over the span, each asset wandering on a smooth loop of a few km around its home.
     */
    static final class Wander {
        private final int assets;
        private final Instant start;
        private final long intervalMillis;
        private final double[] homeLon;
        private final double[] homeLat;
        private final double[] phase1;
        private final double[] phase2;
        private final double[] period1;
        private final double[] period2;
        private final double[] lonScale;

        Wander(Workload workload, long stream, int assets, Instant start, long intervalMillis) {
            this.assets = assets;
            this.start = start;
            this.intervalMillis = intervalMillis;
            homeLon = new double[assets];
            homeLat = new double[assets];
            phase1 = new double[assets];
            phase2 = new double[assets];
            period1 = new double[assets];
            period2 = new double[assets];
            lonScale = new double[assets];
            for (int a = 0; a < assets; a++) {
                double[] home = workload.home(stream, a);
                SplittableRandom r = workload.random(stream + 2000, a);
                homeLon[a] = home[0];
                homeLat[a] = home[1];
                phase1[a] = r.nextDouble() * 2 * Math.PI;
                phase2[a] = r.nextDouble() * 2 * Math.PI;
                period1[a] = 60 + r.nextInt(240);
                period2[a] = 60 + r.nextInt(240);
                lonScale[a] = 1 / Math.cos(Math.toRadians(home[1]));
            }
        }

        Row row(long h) {
            int a = (int) (h % assets);
            long k = h / assets;
            long t = k * intervalMillis + (a * intervalMillis) / assets;
            double lat = homeLat[a] + 0.05 * Math.sin(2 * Math.PI * k / period1[a] + phase1[a]);
            double lon = homeLon[a] + 0.05 * lonScale[a] * Math.sin(2 * Math.PI * k / period2[a] + phase2[a]);
            return new Row(a, start.plusMillis(t), lon, lat, 10f, 90f);
        }
    }
}
