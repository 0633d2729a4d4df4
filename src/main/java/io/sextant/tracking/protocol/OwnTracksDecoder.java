package io.sextant.tracking.protocol;

import io.sextant.shared.JsonNumbers;
import io.sextant.tracking.PositionReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OwnTracks in HTTP mode (<a href="https://owntracks.org/booklet/tech/http/">booklet: HTTP</a>): the
 * app POSTs one JSON message (<a href="https://owntracks.org/booklet/tech/json/">booklet: JSON</a>)
 * per request. Only {@code _type: location} is a position; every other type, and the empty body
 * the app sends when a friend is deleted, is acknowledged and dropped. Encrypted messages are
 * unusable: there is no key to decrypt them with.
 *
 * <p>The device, and so the asset's external id, is {@code <user>/<device>}: from the {@code
 * X-Limit-U} and {@code X-Limit-D} headers, else from the message's {@code topic} ({@code
 * owntracks/<user>/<device>}); failing both, the tracker id {@code tid}.
 *
 * <p>{@code lat}, {@code lon} (degrees) and {@code tst} (epoch seconds) are required; {@code acc}
 * and {@code alt} are meters, {@code vel} km/h (stored as m/s), {@code cog} degrees. Every other
 * member ({@code batt}, {@code tid}, {@code conn}, {@code bs}, {@code t}, …) becomes an attribute.
 */
public final class OwnTracksDecoder {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    // Read into the position's own fields (topic names the device); every other member is an attribute.
    private static final Set<String> FIELDS = Set.of("_type", "topic", "lat", "lon", "tst", "acc", "alt", "vel", "cog");
    // 5138-11-16: anything later is not seconds (a millisecond timestamp, say).
    private static final double MAX_EPOCH_SECONDS = 1e11;

    private OwnTracksDecoder() {}

    /**
     * @param body the request body as the app sent it
     * @param user the {@code X-Limit-U} header, if sent
     * @param device the {@code X-Limit-D} header, if sent
     */
    public static Decoded decode(byte[] body, @Nullable String user, @Nullable String device) {
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new Decoded.Ignored("empty message");
        }
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Decoded.Unusable("the body is not a JSON message: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            return new Decoded.Unusable("the body is not a JSON object");
        }
        JsonNode type = message.get("_type");
        if (type == null || !type.isString()) {
            return new Decoded.Unusable("_type is required");
        }
        if ("encrypted".equals(type.asString())) {
            // Most likely a location: dropping it as "not a position" would lose it without a word.
            return new Decoded.Unusable(
                    "encrypted messages are not supported: turn off encryption in the app", "encrypted");
        }
        if (!"location".equals(type.asString())) {
            return new Decoded.Ignored(type.asString());
        }
        try {
            return new Decoded.Report(location(message, device(message, user, device)));
        } catch (IllegalArgumentException e) {
            return new Decoded.Unusable(String.valueOf(e.getMessage()));
        }
    }

    private static PositionReport location(JsonNode message, String externalId) {
        Double lat = number(message, "lat");
        Double lon = number(message, "lon");
        Double tst = number(message, "tst");
        if (lat == null || lon == null || tst == null) {
            throw new IllegalArgumentException("a location needs lat, lon and tst");
        }
        Double vel = Readings.known(number(message, "vel"));
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (var member : message.properties()) {
            if (!FIELDS.contains(member.getKey())) {
                attributes.put(member.getKey(), JSON.treeToValue(member.getValue(), Object.class));
            }
        }
        return new PositionReport(
                null,
                externalId,
                epochSeconds(tst),
                lon,
                lat,
                number(message, "alt"),
                Readings.known(number(message, "acc")),
                vel == null ? null : vel * Readings.KILOMETER_PER_HOUR,
                Readings.heading(number(message, "cog")),
                attributes,
                null);
    }

    /** {@code <user>/<device>} from the headers or the topic, else the tracker id. */
    private static String device(JsonNode message, @Nullable String user, @Nullable String device) {
        if (user != null && device != null && !user.isBlank() && !device.isBlank()) {
            return user.strip() + "/" + device.strip();
        }
        JsonNode topic = message.get("topic");
        if (topic != null && topic.isString()) {
            String[] levels = topic.asString().split("/", -1);
            if (levels.length >= 3 && !levels[1].isBlank() && !levels[2].isBlank()) {
                return levels[1] + "/" + levels[2];
            }
        }
        JsonNode tid = message.get("tid");
        if (tid != null && tid.isString() && !tid.asString().isBlank()) {
            return tid.asString();
        }
        throw new IllegalArgumentException(
                "cannot tell which device this is: send the X-Limit-U and X-Limit-D headers, a topic or a tid");
    }

    /** A number, or a string holding one (some apps quote every value). */
    private static @Nullable Double number(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return JsonNumbers.toDouble(value);
        }
        if (value.isString() && Readings.NUMBER.matcher(value.asString()).matches()) {
            return Double.parseDouble(value.asString());
        }
        throw new IllegalArgumentException(field + " must be a number");
    }

    private static Instant epochSeconds(double tst) {
        if (!Double.isFinite(tst) || tst < 0 || tst > MAX_EPOCH_SECONDS) {
            throw new IllegalArgumentException("tst must be seconds since the epoch");
        }
        return Instant.ofEpochMilli(Math.round(tst * 1000));
    }
}
