package io.sextant.tracking.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.tracking.PositionReport;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ingest reads JSON array elements straight from the parser ({@link PositionFormats#readObject});
 * NDJSON and GeoJSON read trees ({@link PositionFormats#fromObject}). Both must answer the same for
 * every element — values, and the reason an element is unreadable — and leave the parser at the
 * same place.
 */
class PositionFormatsProperties {

    // Reads one element at a time, as PositionFormats does: what follows an element is expected.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String[] NAMES = {
        "assetId",
        "externalId",
        "time",
        "lon",
        "lat",
        "altitude",
        "accuracy",
        "speed",
        "heading",
        "attributes",
        "other",
        "Lon"
    };
    private static final String[] VALUES = {
        "null",
        "true",
        "1",
        "-0.5",
        "1e400",
        "123456789012345678901234567890",
        "12.25",
        "\"x\"",
        "\"\"",
        "\"6f1b2c9e-1d2a-4b3c-8d4e-5f6a7b8c9d0e\"",
        "\"not-a-uuid\"",
        "\"2026-12-03T10:15:30.25Z\"",
        "\"2026-12-03t10:15:30+01:00\"",
        "\"2026-13-03T10:15:30Z\"",
        "{}",
        "{\"k\": [1, {\"n\": null}]}",
        "[]",
        "[1, \"a\", {\"b\": 2}]",
        "{\"deep\": {\"deeper\": [[]]}}"
    };

    @Property(tries = 3000)
    void reading_an_element_from_the_stream_answers_as_reading_its_tree(@ForAll("elements") String element) {
        String array = "[" + element + ", {\"externalId\": \"after\", \"lon\": 1}]";
        assertThat(streamed(array)).as(element).isEqualTo(fromTrees(array));
    }

    private static List<PositionReport> streamed(String array) {
        List<PositionReport> reports = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(array)) {
            parser.nextToken();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                reports.add(PositionFormats.readObject(parser));
            }
        }
        return reports;
    }

    private static List<PositionReport> fromTrees(String array) {
        List<PositionReport> reports = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(array)) {
            parser.nextToken();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                reports.add(PositionFormats.fromObject(JSON.readTree(parser)));
            }
        }
        return reports;
    }

    @Provide
    Arbitrary<String> elements() {
        Arbitrary<String> property = Arbitraries.of(NAMES)
                .flatMap(name -> Arbitraries.of(VALUES).map(value -> "\"" + name + "\": " + value));
        Arbitrary<String> object =
                property.list().ofMaxSize(14).map(properties -> "{" + String.join(", ", properties) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, object), net.jqwik.api.Tuple.of(1, Arbitraries.of(VALUES)));
    }
}
