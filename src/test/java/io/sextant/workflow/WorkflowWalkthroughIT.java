package io.sextant.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.MarkdownTour;
import io.sextant.testing.MarkdownTour.Block;
import io.sextant.testing.PackagedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mission walkthrough of docs/workflows.md, run as a reader would run it ({@link
 * MarkdownTour}): every {@code bash} block of the section in one shell, in order, against a freshly
 * started packaged jar, each block's output compared with the output the document shows after it
 * (ids and instants aside) — or, where it shows none, required to be empty.
 */
class WorkflowWalkthroughIT {

    private static final Path DOCUMENT = Path.of("docs/workflows.md");
    private static final String SECTION = "## The mission walkthrough";

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
    void the_mission_walkthrough_runs_verbatim_and_prints_what_the_document_shows() throws Exception {
        MarkdownTour.requireTools("Workflow walkthrough");
        MarkdownTour.jar();
        int port = PackagedJar.freePort();
        List<Block> blocks = MarkdownTour.blocks(Files.readString(DOCUMENT), SECTION);
        assertThat(blocks.stream().filter(b -> b.marker().equals("shell")))
                .as("the walkthrough's commands")
                .hasSizeGreaterThan(8);
        assertThat(blocks.getFirst().marker())
                .as("the walkthrough starts the service as the README does")
                .isEqualTo("service");

        tour.startShell(port);
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            String script = block.text().replace("localhost:8080", "localhost:" + port);
            switch (block.marker()) {
                case "service" -> tour.startService(script, port);
                case "shell" -> {
                    String printed = tour.runInShell(script);
                    Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
                    String shown = next != null
                                    && next.marker().equals("output")
                                    && next.name().isEmpty()
                            ? next.text()
                            : "";
                    assertThat(MarkdownTour.normalise(printed))
                            .as("what this block printed, ids and times aside:\n%s", block.text())
                            .isEqualTo(MarkdownTour.normalise(shown));
                }
                case "output" ->
                    assertThat(block.name().isEmpty()
                                    && i > 0
                                    && blocks.get(i - 1).marker().equals("shell"))
                            .as("an output shown follows the commands that print it:\n%s", block.text())
                            .isTrue();
                default -> throw new AssertionError("the walkthrough has no " + block.marker() + " block");
            }
        }
    }
}
