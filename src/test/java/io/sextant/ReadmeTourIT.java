package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.MarkdownTour;
import io.sextant.testing.MarkdownTour.Block;
import io.sextant.testing.PackagedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run as a reader would run it ({@link MarkdownTour}): every {@code
 * bash} block of the tour section in one shell, in order, against a freshly started service, and
 * the output the README shows for the background streams compared with what the service really
 * prints.
 */
class ReadmeTourIT {

    private static final String SECRET_PLACEHOLDER = "whsec_...the secret above...";

    @TempDir
    Path work;

    private MarkdownTour tour;

    @BeforeEach
    void prepare() {
        tour = new MarkdownTour(work);
    }

    @AfterEach
    void stopEverything() throws Exception {
        tour.close();
    }

    @Test
    void the_tour_runs_verbatim_and_prints_what_the_readme_shows() throws Exception {
        MarkdownTour.requireTools("README tour");
        MarkdownTour.jar();
        int port = PackagedJar.freePort();
        int receiverPort = PackagedJar.freePort();
        List<Block> blocks = MarkdownTour.blocks(Files.readString(Path.of("README.md")), "## A five-minute tour");
        assertThat(blocks).as("the tour's code blocks").hasSizeGreaterThan(8);

        tour.startShell(port);
        Map<String, Path> backgroundOutputs = new HashMap<>();
        for (Block block : blocks) {
            String script = block.text()
                    .replace("localhost:8080", "localhost:" + port)
                    .replace("127.0.0.1:9000", "127.0.0.1:" + receiverPort)
                    .replace("WebhookReceiver.java 9000", "WebhookReceiver.java " + receiverPort);
            switch (block.marker()) {
                case "service" -> tour.startService(script, port);
                case "background" -> {
                    Path output = work.resolve(block.name() + ".out");
                    String command = script.replace(
                            SECRET_PLACEHOLDER, "$(echo \"$SUB\" | sed -E 's/.*\"secret\":\"([^\"]+)\".*/\\1/')");
                    tour.runInBackground(command, output);
                    backgroundOutputs.put(block.name(), output);
                    MarkdownTour.awaitFile(
                            output, text -> text.contains("Listening on") || text.contains(": connected"));
                }
                case "output" -> {
                    Path output = backgroundOutputs.get(block.name());
                    assertThat(output)
                            .as("the block whose output is shown runs first")
                            .isNotNull();
                    long events = block.text()
                            .lines()
                            .filter(l -> l.startsWith("event: "))
                            .count();
                    String actual = MarkdownTour.awaitFile(
                            output,
                            text -> text.lines()
                                            .filter(l -> l.startsWith("event: "))
                                            .count()
                                    >= events);
                    // An event the stream must not print (an exit outside a caller's region) would come
                    // with the ones it prints, in the same batch: give it time to show before comparing.
                    Thread.sleep(1_500);
                    actual = Files.readString(output);
                    assertThat(MarkdownTour.normalise(actual))
                            .as("what the stream printed, ids and times aside")
                            .isEqualTo(MarkdownTour.normalise(block.text()));
                    assertReceiverSawTheSameEvents(backgroundOutputs.get("receiver"), actual);
                }
                default -> tour.runInShell(script);
            }
        }
    }

    /** Every event id the stream printed reached the receiver with a valid signature, as the text says. */
    private static void assertReceiverSawTheSameEvents(@Nullable Path receiverOutput, String streamOutput)
            throws Exception {
        assertThat(receiverOutput).as("the tour runs the webhook receiver").isNotNull();
        List<String> ids = streamOutput
                .lines()
                .filter(l -> l.startsWith("id: "))
                .map(l -> l.substring(4).trim())
                .toList();
        assertThat(ids).isNotEmpty();
        String received = MarkdownTour.awaitFile(
                receiverOutput, text -> ids.stream().allMatch(id -> text.contains("webhook-id " + id + " · ")));
        for (String id : ids) {
            assertThat(received).contains("webhook-id " + id + " · signature ok");
        }
    }
}
