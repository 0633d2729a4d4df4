package io.sextant.delivery;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a subscription's events go, as configured; a {@link DeliveryChannel} of the same {@link
 * #type()} carries them there. On the wire and in storage it is {@link #toJson()}: an object with a
 * {@code type} member.
 */
public sealed interface ChannelSpec {

    String WEBHOOK = "webhook";
    String REDIS_STREAM = "redis-stream";

    String type();

    ObjectNode toJson();

    /**
     * An HTTP(S) endpoint that receives each event as a signed POST.
     *
     * @param timeoutMs how long one attempt may take, connection included
     */
    record Webhook(String url, int timeoutMs) implements ChannelSpec {

        public static final int DEFAULT_TIMEOUT_MS = 5000;
        public static final int MIN_TIMEOUT_MS = 100;
        public static final int MAX_TIMEOUT_MS = 30_000;
        public static final int MAX_URL_LENGTH = 2048;

        @Override
        public String type() {
            return WEBHOOK;
        }

        public URI uri() {
            return URI.create(url);
        }

        @Override
        @JsonValue
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", WEBHOOK);
            node.put("url", url);
            node.put("timeoutMs", timeoutMs);
            return node;
        }
    }

    /**
     * A Redis stream that each event is appended to, trimmed to about {@code maxLen} entries.
     */
    record RedisStream(String stream, long maxLen) implements ChannelSpec {

        public static final long DEFAULT_MAX_LEN = 100_000;
        public static final long MAX_MAX_LEN = 100_000_000;

        @Override
        public String type() {
            return REDIS_STREAM;
        }

        @Override
        @JsonValue
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("type", REDIS_STREAM);
            node.put("stream", stream);
            node.put("maxLen", maxLen);
            return node;
        }
    }

    Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9._:{}-]{1,200}");

    /** Reads a channel as a client wrote it: {@code InvalidInput} naming each field that is wrong. */
    static ChannelSpec parse(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInput("channel", "must be an object with a type");
        }
        String type = node.path("type").isString() ? node.path("type").asString() : "";
        return switch (type) {
            case WEBHOOK -> parseWebhook(node);
            case REDIS_STREAM -> parseRedisStream(node);
            default -> throw new InvalidInput("channel.type", "must be '" + WEBHOOK + "' or '" + REDIS_STREAM + "'");
        };
    }

    private static Webhook parseWebhook(JsonNode node) {
        List<FieldError> errors = new ArrayList<>();
        unknownMembers(node, Set.of("type", "url", "timeoutMs"), errors);
        String url = node.path("url").isString() ? node.path("url").asString() : "";
        if (url.isEmpty()) {
            errors.add(new FieldError("channel.url", "is required"));
        } else if (url.length() > Webhook.MAX_URL_LENGTH) {
            errors.add(new FieldError("channel.url", "at most " + Webhook.MAX_URL_LENGTH + " characters"));
        } else {
            String problem = urlProblem(url);
            if (problem != null) {
                errors.add(new FieldError("channel.url", problem));
            }
        }
        int timeoutMs = Webhook.DEFAULT_TIMEOUT_MS;
        JsonNode timeout = node.path("timeoutMs");
        if (!timeout.isMissingNode() && !timeout.isNull()) {
            if (!timeout.isIntegralNumber()
                    || !timeout.canConvertToLong()
                    || timeout.asLong() < Webhook.MIN_TIMEOUT_MS
                    || timeout.asLong() > Webhook.MAX_TIMEOUT_MS) {
                errors.add(new FieldError(
                        "channel.timeoutMs",
                        "must be a whole number of milliseconds from " + Webhook.MIN_TIMEOUT_MS + " to "
                                + Webhook.MAX_TIMEOUT_MS));
            } else {
                timeoutMs = timeout.asInt();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new Webhook(url, timeoutMs);
    }

    private static RedisStream parseRedisStream(JsonNode node) {
        List<FieldError> errors = new ArrayList<>();
        unknownMembers(node, Set.of("type", "stream", "maxLen"), errors);
        String stream = node.path("stream").isString() ? node.path("stream").asString() : "";
        if (!STREAM_NAME.matcher(stream).matches()) {
            errors.add(new FieldError("channel.stream", "is required: 1-200 of letters, digits and ._:{}-"));
        }
        long maxLen = RedisStream.DEFAULT_MAX_LEN;
        JsonNode max = node.path("maxLen");
        if (!max.isMissingNode() && !max.isNull()) {
            if (!max.isIntegralNumber()
                    || !max.canConvertToLong()
                    || max.asLong() < 1
                    || max.asLong() > RedisStream.MAX_MAX_LEN) {
                errors.add(new FieldError(
                        "channel.maxLen", "must be a whole number from 1 to " + RedisStream.MAX_MAX_LEN));
            } else {
                maxLen = max.asLong();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new RedisStream(stream, maxLen);
    }

    /** Why {@code url} cannot be a webhook target by its form alone, or null. */
    private static @Nullable String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry credentials";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a fragment";
        }
        return null;
    }

    private static void unknownMembers(JsonNode node, Set<String> known, List<FieldError> errors) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                errors.add(new FieldError(
                        "channel." + name,
                        "is not a member of a " + node.path("type").asString() + " channel"));
            }
        }
    }
}
