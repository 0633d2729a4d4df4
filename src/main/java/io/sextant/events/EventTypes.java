package io.sextant.events;

/** The CloudEvents types Sextant emits; {@code docs/events.md} describes each one's data. */
public final class EventTypes {

    public static final String ZONE_ENTERED = "sextant.zone.entered";
    public static final String ZONE_EXITED = "sextant.zone.exited";
    public static final String ZONE_DWELL = "sextant.zone.dwell";
    public static final String FENCE_CORRECTED = "sextant.fence.corrected";
    public static final String ASSET_STALE = "sextant.asset.stale";
    public static final String ASSET_RESUMED = "sextant.asset.resumed";
    public static final String SPEEDING_STARTED = "sextant.speeding.started";
    public static final String SPEEDING_ENDED = "sextant.speeding.ended";
    public static final String PROXIMITY_STARTED = "sextant.proximity.started";
    public static final String PROXIMITY_ENDED = "sextant.proximity.ended";
    public static final String SUBSCRIPTION_DISABLED = "sextant.subscription.disabled";
    public static final String WORKFLOW_STARTED = "sextant.workflow.started";
    public static final String WORKFLOW_TRANSITIONED = "sextant.workflow.transitioned";
    public static final String WORKFLOW_COMPLETED = "sextant.workflow.completed";

    /** The prefix of the events a workflow definition emits itself: {@code sextant.workflow.custom.<name>}. */
    public static final String WORKFLOW_CUSTOM_PREFIX = "sextant.workflow.custom.";

    public static final java.util.Set<String> ALL = java.util.Set.of(
            ZONE_ENTERED,
            ZONE_EXITED,
            ZONE_DWELL,
            FENCE_CORRECTED,
            ASSET_STALE,
            ASSET_RESUMED,
            SPEEDING_STARTED,
            SPEEDING_ENDED,
            PROXIMITY_STARTED,
            PROXIMITY_ENDED,
            SUBSCRIPTION_DISABLED,
            WORKFLOW_STARTED,
            WORKFLOW_TRANSITIONED,
            WORKFLOW_COMPLETED);

    private static final java.util.regex.Pattern CUSTOM_NAME =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    /** Whether {@code type} is a custom workflow event ({@code sextant.workflow.custom.<name>}). */
    public static boolean isWorkflowCustom(String type) {
        return type.startsWith(WORKFLOW_CUSTOM_PREFIX)
                && CUSTOM_NAME
                        .matcher(type.substring(WORKFLOW_CUSTOM_PREFIX.length()))
                        .matches();
    }

    private EventTypes() {}
}
