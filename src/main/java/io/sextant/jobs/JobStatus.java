package io.sextant.jobs;

import java.util.Arrays;
import java.util.Optional;

/** Where a job is in its life: queued (waiting, retries included), running, or finished either way. */
public enum JobStatus {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    /** Its last attempt failed (or it failed permanently): it runs again only if retried by hand. */
    DEAD("dead");

    private final String id;

    JobStatus(String id) {
        this.id = id;
    }

    /** The name in the database and on the wire. */
    public String id() {
        return id;
    }

    public static Optional<JobStatus> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
