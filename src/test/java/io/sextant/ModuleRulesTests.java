package io.sextant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rules about where code of each kind may live, beyond the module boundaries Modulith verifies. */
class ModuleRulesTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sextant");

    private static final DescribedPredicate<JavaClass> MAY_RUN_SQL =
            DescribedPredicate.describe("a *Repository or *Store, or in io.sextant.platform.database", type -> {
                String outer = outermost(type).getName();
                return outer.endsWith("Repository")
                        || outer.endsWith("Store")
                        || type.getPackageName().equals("io.sextant.platform.database")
                        || type.getPackageName().startsWith("io.sextant.platform.database.");
            });

    @Test
    void sql_runs_only_in_repositories_and_stores() {
        ArchRule rule = noClasses()
                .that(DescribedPredicate.not(MAY_RUN_SQL))
                .should()
                .dependOnClassesThat()
                .areAssignableTo(JdbcClient.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(JdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(NamedParameterJdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Connection.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(DataSource.class)
                .because("SQL lives in repositories (STYLE.md): services and adapters call a repository");
        rule.check(PRODUCTION);
    }

    /** Each table and the module whose migrations create it for it (decision 0003). */
    private static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("tenant", "tenancy"),
            Map.entry("api_key", "identity"),
            Map.entry("service_account", "identity"),
            Map.entry("signing_key", "identity"),
            Map.entry("user_account", "identity"),
            Map.entry("asset", "asset"),
            Map.entry("job", "jobs"),
            Map.entry("job_schedule", "jobs"),
            Map.entry("zone", "zone"),
            Map.entry("zone_revision", "zone"),
            Map.entry("zone_version", "zone"),
            Map.entry("position", "tracking"),
            Map.entry("latest_position", "tracking"),
            Map.entry("tracked_asset", "tracking"),
            Map.entry("latest_position_checkpoint", "tracking"),
            Map.entry("event", "events"),
            Map.entry("event_consumer", "events"),
            Map.entry("fence_state", "geofencing"),
            Map.entry("fence_transition", "geofencing"),
            Map.entry("asset_rules", "geofencing"),
            Map.entry("speeding_state", "geofencing"),
            Map.entry("proximity_state", "geofencing"),
            Map.entry("asset_stale", "geofencing"),
            Map.entry("subscription", "delivery"),
            Map.entry("delivery", "delivery"),
            Map.entry("delivery_attempt", "delivery"),
            Map.entry("idempotency_record", "platform"),
            Map.entry("audit_log", "access"),
            Map.entry("workflow_definition", "workflow"),
            Map.entry("workflow_instance", "workflow"),
            Map.entry("workflow_binding", "workflow"),
            Map.entry("workflow_history", "workflow"),
            Map.entry("export", "export"),
            Map.entry("export_chunk", "export"));

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");
    private static final Pattern TABLE_REFERENCE =
            Pattern.compile("\\b(?:from|join|into|update|table)\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    @Test
    void the_sql_of_each_module_names_only_the_tables_it_owns() throws IOException {
        Path root = Path.of("src/main/java/io/sextant");
        List<String> crossings = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(root)) {
            sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> root.relativize(path).getNameCount() > 1)
                    .forEach(path -> {
                        String module = root.relativize(path).getName(0).toString();
                        for (String table : tablesNamedInStrings(path)) {
                            String owner = OWNERS.get(table);
                            if (owner != null && !owner.equals(module)) {
                                crossings.add(path + " names " + table + ", a table of " + owner);
                            }
                        }
                    });
        }
        assertThat(crossings)
                .as("a module reads another's data through that module's API (decision 0003)")
                .isEmpty();
    }

    @Test
    void the_tables_a_statement_names_after_from_and_join_are_found() {
        assertThat(tablesNamedIn("select id from event e left join position p on true where not exists (select"))
                .containsExactly("event", "position");
    }

    /** The tables that the string literals and text blocks of a source file name after FROM, JOIN, … */
    private static List<String> tablesNamedInStrings(Path source) {
        String text;
        try {
            text = Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> tables = new ArrayList<>();
        Matcher blocks = TEXT_BLOCK.matcher(text);
        while (blocks.find()) {
            tables.addAll(tablesNamedIn(blocks.group(1)));
        }
        Matcher strings = STRING.matcher(TEXT_BLOCK.matcher(text).replaceAll(""));
        while (strings.find()) {
            tables.addAll(tablesNamedIn(strings.group(1)));
        }
        return tables;
    }

    private static List<String> tablesNamedIn(String sql) {
        List<String> tables = new ArrayList<>();
        Matcher references = TABLE_REFERENCE.matcher(sql);
        while (references.find()) {
            tables.add(references.group(1).toLowerCase(Locale.ROOT));
        }
        return tables;
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass current = type;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
