package io.sextant.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The run's report: Markdown, printed as it goes and appended to a file. */
final class Report {

    final Map<String, Double> metrics = new TreeMap<>();
    private final Path file;

    Report(Path file) throws IOException {
        this.file = file;
        Files.writeString(file, "");
    }

    void h1(String title) {
        line("# " + title);
        line("");
    }

    void h2(String title) {
        line("");
        line("## " + title);
        line("");
    }

    void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} as inline code in a table cell: pipes escaped, backticks made quotes. */
    static String code(String text) {
        return "`" + text.replace("|", "\\|").replace("`", "'") + "`";
    }

    void table(List<String> header, List<List<String>> rows) {
        line("");
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        for (List<String> row : rows) {
            line("| " + String.join(" | ", row) + " |");
        }
        line("");
    }

    void metric(String name, double value) {
        metrics.put(name, value);
    }

    void summary() {
        line("");
        line("## Metrics (machine-readable)");
        line("");
        line("```");
        metrics.forEach((k, v) -> line(String.format(Locale.ROOT, "%s=%.4f", k, v)));
        line("```");
    }
}
