package io.sextant.jobs;

/** Thrown by a handler when retrying cannot help: the job goes to the dead letter at once. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String message) {
        super(message);
    }
}
