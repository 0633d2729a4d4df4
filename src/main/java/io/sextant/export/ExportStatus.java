package io.sextant.export;

import java.util.Arrays;
import java.util.Optional;

/** Where an export stands; only a succeeded export has content. */
public enum ExportStatus {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    EXPIRED("expired");

    private final String id;

    ExportStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static Optional<ExportStatus> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    /** Queued or running: it counts against the tenant's limit of unfinished exports. */
    boolean unfinished() {
        return this == QUEUED || this == RUNNING;
    }
}
