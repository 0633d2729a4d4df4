package io.sextant.mqtt;

import java.util.List;

/**
 * An MQTT topic filter (MQTT 3.1.1 section 4.7): levels separated by {@code /}, {@code +} matching
 * one level and a final {@code #} any number, including none. A shared subscription, {@code
 * $share/<group>/<filter>}, is subscribed as written and matches messages as its filter does, as
 * the broker delivers them under their own topic.
 *
 * @param subscription what is subscribed to
 * @param levels the filter's levels (without a shared subscription's prefix)
 */
record TopicFilter(String subscription, List<String> levels) {

    static TopicFilter parse(String subscription) {
        String filter = subscription;
        if (subscription.startsWith("$share/")) {
            int end = subscription.indexOf('/', "$share/".length());
            if (end < 0 || end == "$share/".length() || end == subscription.length() - 1) {
                throw new IllegalArgumentException(
                        "a shared subscription is $share/<group>/<filter>, was '" + subscription + "'");
            }
            filter = subscription.substring(end + 1);
        }
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("a topic filter may not be empty");
        }
        List<String> levels = List.of(filter.split("/", -1));
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.contains("#") && (!level.equals("#") || i != levels.size() - 1)) {
                throw new IllegalArgumentException(
                        "'#' must be a whole level and the last one, in '" + subscription + "'");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must be a whole level, in '" + subscription + "'");
            }
        }
        return new TopicFilter(subscription, levels);
    }

    /** Whether a message published to {@code topic} is one this filter subscribes to. */
    boolean matches(String topic) {
        String[] parts = topic.split("/", -1);
        // A filter starting with a wildcard does not match topics starting with '$' (section 4.7.2).
        if (topic.startsWith("$")
                && (levels.getFirst().equals("+") || levels.getFirst().equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return true;
            }
            if (i >= parts.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(parts[i])) {
                return false;
            }
        }
        return parts.length == levels.size();
    }

    int levelCount() {
        return levels.size();
    }
}
