package io.sextant.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.tracking.PositionFeatures;
import io.sextant.tracking.StoredPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The three formats written byte by byte: CSV quoting (RFC 4180), RS/LF framing (RFC 8142), one collection. */
class ExportWritersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID ASSET = UUID.fromString("01a2056c-8720-756b-b54a-068b601cfe97");
    private static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123456Z");

    private static StoredPosition plain() {
        return new StoredPosition(ASSET, T0, T0.plusSeconds(1), 2.3522, 48.8566, null, null, null, null, Map.of());
    }

    private static StoredPosition awkward() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("note", "said \"hi\", then\nleft\r\n");
        attributes.put("unicode", "Zürich ✓");
        return new StoredPosition(
                ASSET, T0.plusSeconds(60), T0.plusSeconds(61), -0.00001, -90.0, 35.5, 4.0, 12.5, 270.0, attributes);
    }

    private static byte[] written(ExportFormat format, List<StoredPosition> positions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportWriter writer = ExportWriter.of(format, JSON, out);
        writer.begin();
        for (StoredPosition p : positions) {
            writer.write(p);
        }
        writer.end();
        return out.toByteArray();
    }

    @Test
    void a_csv_field_is_quoted_only_when_it_holds_a_comma_a_quote_or_a_line_break_and_its_quotes_are_doubled() {
        assertThat(CsvWriter.field("plain")).isEqualTo("plain");
        assertThat(CsvWriter.field("")).isEqualTo("");
        assertThat(CsvWriter.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvWriter.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvWriter.field("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvWriter.field("carriage\rreturn")).isEqualTo("\"carriage\rreturn\"");
        assertThat(CsvWriter.field("Zürich ✓")).isEqualTo("Zürich ✓");
    }

    @Test
    void csv_has_a_header_row_crlf_line_ends_empty_fields_for_absent_values_and_attributes_as_quoted_json()
            throws IOException {
        String csv = new String(written(ExportFormat.CSV, List.of(plain(), awkward())), StandardCharsets.UTF_8);

        List<List<String>> rows = parseCsv(csv);
        assertThat(rows.getFirst()).containsExactlyElementsOf(CsvWriter.HEADER);
        assertThat(csv).startsWith(String.join(",", CsvWriter.HEADER) + "\r\n");
        assertThat(csv).endsWith("\r\n");
        assertThat(rows.get(1))
                .containsExactly(
                        ASSET.toString(),
                        "2026-11-22T10:15:30.123456Z",
                        "2026-11-22T10:15:31.123456Z",
                        "2.3522",
                        "48.8566",
                        "",
                        "",
                        "",
                        "",
                        "");
        List<String> second = rows.get(2);
        assertThat(second.subList(3, 9)).containsExactly("-1.0E-5", "-90.0", "35.5", "4.0", "12.5", "270.0");
        JsonNode attributes = JSON.readTree(second.get(9));
        assertThat(attributes.get("note").asString()).isEqualTo("said \"hi\", then\nleft\r\n");
        assertThat(attributes.get("unicode").asString()).isEqualTo("Zürich ✓");
        assertThat(rows).hasSize(3);
    }

    @Test
    void a_geojson_text_sequence_is_each_feature_after_a_record_separator_and_before_a_line_feed() throws IOException {
        byte[] bytes = written(ExportFormat.GEOJSONSEQ, List.of(plain(), awkward()));

        assertThat(bytes[0]).isEqualTo((byte) 0x1E);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] records = text.split("\u001E", -1);
        assertThat(records[0]).as("nothing before the first RS").isEmpty();
        assertThat(records).hasSize(3);
        assertThat(records[1]).endsWith("\n").doesNotContain("\n\n");
        assertThat(records[1].indexOf('\n')).as("the LF ends the record").isEqualTo(records[1].length() - 1);
        assertThat(records[2].indexOf('\n')).isEqualTo(records[2].length() - 1);
        assertThat(JSON.readTree(records[1])).isEqualTo(JSON.valueToTree(PositionFeatures.point(plain())));
        assertThat(JSON.readTree(records[2])).isEqualTo(JSON.valueToTree(PositionFeatures.point(awkward())));
    }

    @Test
    void an_empty_geojson_text_sequence_is_empty_and_an_empty_collection_is_still_a_collection() throws IOException {
        assertThat(written(ExportFormat.GEOJSONSEQ, List.of())).isEmpty();
        JsonNode empty = JSON.readTree(written(ExportFormat.GEOJSON, List.of()));
        assertThat(empty.get("type").asString()).isEqualTo("FeatureCollection");
        assertThat(empty.get("features").isEmpty()).isTrue();
    }

    @Test
    void a_geojson_export_is_one_feature_collection_of_the_features_the_history_endpoints_answer() throws IOException {
        JsonNode collection = JSON.readTree(written(ExportFormat.GEOJSON, List.of(plain(), awkward())));

        assertThat(collection.get("type").asString()).isEqualTo("FeatureCollection");
        assertThat(collection.get("features")).hasSize(2);
        assertThat(collection.get("features").get(0)).isEqualTo(JSON.valueToTree(PositionFeatures.point(plain())));
        assertThat(collection.get("features").get(1).get("geometry").get("coordinates"))
                .hasSize(3);
    }

    @Test
    void chunked_content_cuts_at_the_chunk_size_keeps_the_order_and_digests_the_whole() throws Exception {
        List<byte[]> chunks = new ArrayList<>();
        List<Integer> seqs = new ArrayList<>();
        ChunkedContent content = new ChunkedContent(1024, (seq, data) -> {
            seqs.add(seq);
            chunks.add(data);
        });
        byte[] whole = new byte[2500];
        for (int i = 0; i < whole.length; i++) {
            whole[i] = (byte) (i * 31);
        }
        content.write(whole, 0, 1000);
        content.write(whole[1000]);
        content.write(whole, 1001, 1499);

        ExportRepository.Content finished = content.finish();

        assertThat(seqs).containsExactly(0, 1, 2);
        assertThat(chunks).extracting(c -> c.length).containsExactly(1024, 1024, 452);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(whole);
        assertThat(finished.chunks()).isEqualTo(3);
        assertThat(finished.size()).isEqualTo(2500);
        assertThat(finished.sha256())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(whole)));
        assertThat(content.finish()).isEqualTo(finished);
    }

    @Test
    void empty_content_has_no_chunk_and_the_digest_of_nothing() {
        ChunkedContent content = new ChunkedContent(1024, (seq, data) -> {
            throw new AssertionError("nothing to store");
        });
        assertThat(content.finish())
                .isEqualTo(new ExportRepository.Content(
                        0, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void the_estimate_extrapolates_from_the_share_of_the_window_written_and_never_falls_below_what_is_written() {
        ExportQuery day = new ExportQuery.Track(ASSET, T0, T0.plusSeconds(86_400));
        assertThat(ExportRun.estimate(day, T0.plusSeconds(21_600), 100)).isBetween(399L, 400L);
        assertThat(ExportRun.estimate(day, T0.plusSeconds(86_399), 100)).isEqualTo(100);
        assertThat(ExportRun.estimate(day, T0.plusSeconds(60), 1))
                .as("too early to tell")
                .isNull();
    }

    /** An RFC 4180 reader, for the test: quoted fields with doubled quotes and line breaks, CRLF rows. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        if (!row.isEmpty() || field.length() > 0) {
            throw new IllegalArgumentException("the last row does not end with CRLF");
        }
        return rows;
    }
}
