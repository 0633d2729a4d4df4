package io.sextant.benchmark;

import java.util.UUID;

/** Adapters to Sextant's live index (in-process) and live query endpoint (HTTP). */
final class LiveProbes {

    private LiveProbes() {}

    static boolean available() {
        return false;
    }

    interface InProcess {
        String name();

        String fillSeconds();

        int query(double lon, double lat, LivePhase.Shape shape);
    }

    static InProcess inProcess(UUID[] ids, double[] lon, double[] lat) {
        throw new UnsupportedOperationException("the live index is not on this branch yet");
    }

    static int http(PositionsBenchmark b, String token, double lon, double lat, LivePhase.Shape shape) {
        throw new UnsupportedOperationException("the live query endpoint is not on this branch yet");
    }

    static String rebuildLine(String log) {
        return "n/a";
    }
}
