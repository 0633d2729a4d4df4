package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation stays true to the repository: its links lead somewhere, the classes the design
 * pages name exist, the configuration reference names exactly the settings there are, and
 * ARCHITECTURE.md stays a map a newcomer reads in twenty minutes.
 */
class DocumentationTests {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    /** About twenty minutes at 225 words a minute; detail belongs in the pages the map links to. */
    private static final int ARCHITECTURE_WORD_BUDGET = 4_500;

    /** The pages that describe the code by its class names. */
    private static final List<String> DESIGN_PAGES = List.of(
            "ARCHITECTURE.md",
            "docs/positions.md",
            "docs/zones.md",
            "docs/jobs.md",
            "docs/identity.md",
            "docs/events.md",
            "docs/workflows.md",
            "docs/authorization.md",
            "docs/mqtt.md",
            "docs/configuration.md");

    /** Library types those pages name; everything else in their backticks that looks like a class is ours. */
    private static final Set<String> LIBRARY_TYPES = Set.of("AccessDeniedException", "IndexedFacetDistance");

    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS_LIKE = Pattern.compile("([A-Z][a-z]\\w*)(?:\\.\\w+)*(?:\\(.*\\))?");

    @Test
    void every_relative_link_in_the_documentation_leads_to_a_file_and_heading_that_exist() throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path page : markdownPages()) {
            String text = CODE_SPAN.matcher(withoutFencedCode(read(page))).replaceAll("");
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // https:, mailto:, … : not ours to check offline
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = ROOT.relativize(page) + ": " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")) {
                    String fragment = target.substring(hash + 1);
                    if (!anchors.computeIfAbsent(resolved, DocumentationTests::anchorsOf)
                            .contains(fragment)) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void the_architecture_map_reads_in_about_twenty_minutes() {
        String text = read(ROOT.resolve("ARCHITECTURE.md"));
        int words = text.split("\\s+").length;
        assertThat(words)
                .as("ARCHITECTURE.md has %d words; move detail into the docs/ page its section links to", words)
                .isLessThanOrEqualTo(ARCHITECTURE_WORD_BUDGET);
    }

    @Test
    void the_classes_the_design_pages_name_exist() {
        Set<String> ours = new HashSet<>();
        for (JavaClass type : new ClassFileImporter().importPackages("io.sextant")) {
            ours.add(type.getSimpleName());
        }
        assertThat(ours).as("the classes were imported").contains("FenceEngine", "DocumentationTests");
        Set<String> unknown = new TreeSet<>();
        for (String name : DESIGN_PAGES) {
            Path page = ROOT.resolve(name);
            Matcher span = CODE_SPAN.matcher(withoutFencedCode(read(page)));
            while (span.find()) {
                Matcher type = CLASS_LIKE.matcher(span.group(1));
                if (type.matches() && !ours.contains(type.group(1)) && !LIBRARY_TYPES.contains(type.group(1))) {
                    unknown.add(name + ": " + span.group(1));
                }
            }
        }
        assertThat(unknown)
                .as("names in backticks that no class of Sextant (or listed library type) has; renamed or removed?")
                .isEmpty();
    }

    @Test
    void the_configuration_reference_names_every_setting_and_no_other() throws IOException {
        Pattern setting = Pattern.compile("SEXTANT_[A-Z0-9_]*[A-Z0-9]");
        Set<String> configured = new TreeSet<>();
        setting.matcher(read(ROOT.resolve("src/main/resources/application.yml")))
                .results()
                .forEach(match -> configured.add(match.group()));
        assertThat(configured).as("settings read from application.yml").hasSizeGreaterThan(50);
        Set<String> documented = new TreeSet<>();
        setting.matcher(read(ROOT.resolve("docs/configuration.md")))
                .results()
                .forEach(match -> documented.add(match.group()));

        Set<String> undocumented = new TreeSet<>(configured);
        undocumented.removeAll(documented);
        assertThat(undocumented)
                .as("settings missing from docs/configuration.md")
                .isEmpty();

        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(configured);
        try (Stream<Path> sources = Files.walk(ROOT.resolve("src"))) {
            for (Path source :
                    sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = read(source);
                unknown.removeIf(text::contains); // read by the code itself (the tests' own settings)
            }
        }
        assertThat(unknown)
                .as("settings docs/configuration.md names that nothing reads")
                .isEmpty();
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    static Set<String> anchorsOf(Path page) {
        Set<String> found = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : withoutFencedCode(read(page)).split("\n", -1)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                        .replace(' ', '-');
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                found.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return found;
    }

    /** The text with every fenced code block blanked line for line (a shell comment is no heading). */
    static String withoutFencedCode(String text) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                fenced = !fenced;
                out.append('\n');
            } else {
                out.append(fenced ? "" : line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<Path> markdownPages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("ARCHITECTURE.md")));
        for (String folder : List.of("docs", "deploy")) {
            Path dir = ROOT.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
                }
            }
        }
        assertThat(pages).as("the documentation was found from %s", ROOT).hasSizeGreaterThan(10);
        return pages;
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
