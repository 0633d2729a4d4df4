package io.sextant.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.delivery.WebhookReceiver;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operations view — the Grafana dashboard in {@code deploy/grafana} and the Prometheus alert
 * rules and scrape configuration in {@code deploy/prometheus} — checked against the running
 * service: every metric a panel, a template variable or an alert queries must be in a scrape of
 * {@code /actuator/prometheus}, after a position has gone through ingest, fence evaluation, the
 * event relay and a webhook delivery (so the meters registered on first use exist), on Redis as in
 * the compose setup. A renamed or removed meter fails here, not on an operator's empty panel.
 */
@TestPropertySource(properties = "sextant.delivery.webhook.allowed-networks=127.0.0.1/32")
class OperationsDashboardIT extends SextantIT {

    static final Path DASHBOARD = Path.of("deploy", "grafana", "sextant-dashboard.json");
    static final Path ALERTS = Path.of("deploy", "prometheus", "sextant-alerts.yml");
    static final Path PROMETHEUS = Path.of("deploy", "prometheus", "prometheus.yml");

    /** Written for whoever wants to compare the dashboard with what the service exposes. */
    private static final Path SCRAPE_COPY = Path.of("target", "operations", "scrape.txt");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Panels the dashboard must have (by title): what an operator looks at first. */
    private static final List<String> REQUIRED_PANELS = List.of(
            "Positions ingested per second",
            "Ingest lag",
            "Ingest writer queue",
            "Fence evaluation time",
            "Events relayed per second",
            "Relay lag",
            "Delivery attempts per second",
            "Delivery failures",
            "Delivery backlog",
            "Oldest pending delivery",
            "Dead letters",
            "Job queue depth",
            "Oldest due job",
            "Job wait",
            "Job run time",
            "HTTP request latency",
            "HTTP error rate",
            "JVM heap",
            "JVM threads",
            "Database connection pool");

    /** Alerts the rules file must have. */
    private static final List<String> REQUIRED_ALERTS = List.of(
            "SextantNodeDown",
            "SextantHttp5xx",
            "SextantDatabaseUnavailable",
            "SextantRedisUnavailable",
            "SextantIngestSaturated",
            "SextantIngestQueueFilling",
            "SextantRelayLagHigh",
            "SextantDeliveryDeadLetters",
            "SextantDeliveryBacklogGrowing",
            "SextantDeliveryBacklogOld",
            "SextantJobsOverdue",
            "SextantJobsDeadLettered");

    /** Series Prometheus writes itself, never in a target's scrape. */
    private static final Set<String> SYNTHETIC = Set.of("up");

    /** PromQL keywords, aggregation operators and modifiers: never metric names. */
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "inf",
            "nan",
            "start",
            "end");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(?![A-Za-z0-9_:])(\\s*\\()?");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\((?:(.*),)?\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)");

    private static final String REDIS_PREFIX = TestRedis.prefix("dashboard");

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("sextant.redis.url", TestRedis::url);
        registry.add("sextant.redis.key-prefix", () -> REDIS_PREFIX);
    }

    @Test
    void every_metric_the_dashboard_and_the_alerts_query_is_in_the_scrape() throws IOException {
        String scrape = scrapeAfterTraffic();
        Set<String> exposed = exposedNames(scrape);

        Map<String, List<String>> queries = new LinkedHashMap<>();
        queries.putAll(dashboardQueries(readJson(DASHBOARD)));
        queries.putAll(alertQueries(YAML.readTree(ALERTS.toFile())));
        assertThat(queries).as("queries found").hasSizeGreaterThan(REQUIRED_PANELS.size());

        Map<String, Set<String>> referenced = referencedMetrics(queries);
        assertThat(referenced.values().stream().flatMap(Set::stream))
                .as("metric names found in the queries")
                .contains("sextant_ingest_positions_total", "http_server_requests_seconds_bucket", "up");
        assertThat(missing(referenced, exposed))
                .as("metrics queried but not exposed (see %s for the scrape)", SCRAPE_COPY)
                .isEmpty();
    }

    @Test
    void spring_securitys_observation_of_each_filter_is_off_and_the_requests_own_are_on() throws IOException {
        Set<String> exposed = exposedNames(scrapeAfterTraffic());
        assertThat(exposed)
                .contains("http_server_requests_seconds_count", "spring_security_authorizations_seconds_count");
        assertThat(exposed)
                .as("spring.security.filterchains is off by default (SEXTANT_OBSERVE_SECURITY_FILTERS)")
                .noneMatch(name -> name.startsWith("spring_security_filterchains"));
    }

    @Test
    void a_query_of_a_metric_the_service_does_not_expose_is_caught() throws IOException {
        String scrape = scrape();
        JsonNode dashboard = readJson(DASHBOARD);
        ObjectNode panel = (ObjectNode) panels(dashboard).stream()
                .filter(p -> !p.path("targets").isEmpty())
                .findFirst()
                .orElseThrow()
                .deepCopy();
        panel.put("title", "A panel over a metric that does not exist");
        ((ObjectNode) panel.get("targets").get(0))
                .put("expr", "sum(rate(sextant_no_such_metric_total{job=~\"$job\"}[$__rate_interval])) by (kind)");
        ((ArrayNode) dashboard.get("panels")).add(panel);

        Map<String, Set<String>> referenced = referencedMetrics(dashboardQueries(dashboard));

        assertThat(missing(referenced, exposedNames(scrape)))
                .containsEntry(
                        "panel A panel over a metric that does not exist", Set.of("sextant_no_such_metric_total"));
    }

    @Test
    void the_dashboard_has_the_operations_panels_and_imports_anywhere() {
        JsonNode dashboard = readJson(DASHBOARD);

        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asString()).isNotBlank();
        assertThat(dashboard.path("__inputs").findValuesAsString("name")).contains("DS_PROMETHEUS");
        List<String> variables = new ArrayList<>();
        dashboard
                .path("templating")
                .path("list")
                .forEach(v -> variables.add(v.path("name").asString()));
        assertThat(variables).contains("job", "instance");

        List<JsonNode> panels = panels(dashboard);
        List<String> titles =
                panels.stream().map(p -> p.path("title").asString()).toList();
        assertThat(titles).containsAll(REQUIRED_PANELS).doesNotHaveDuplicates();
        assertThat(panels.stream().map(p -> p.path("id").asInt()).toList()).doesNotHaveDuplicates();
        for (JsonNode panel : panels) {
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString())
                    .as("datasource of %s", panel.path("title"))
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets").isEmpty())
                    .as("targets of %s", panel.path("title"))
                    .isFalse();
            panel.path("targets")
                    .forEach(target -> assertThat(target.path("expr").asString())
                            .as("a query of %s", panel.path("title"))
                            .isNotBlank()
                            .contains("$job"));
        }
    }

    @Test
    void the_alert_rules_page_with_a_severity_a_summary_and_a_grace_period() throws IOException {
        JsonNode rules = YAML.readTree(ALERTS.toFile());
        List<String> names = new ArrayList<>();
        rules.path("groups")
                .forEach(group -> group.path("rules").forEach(rule -> {
                    String name = rule.path("alert").asString();
                    names.add(name);
                    assertThat(rule.path("expr").asString())
                            .as("expr of %s", name)
                            .isNotBlank();
                    assertThat(rule.path("for").asString())
                            .as("for of %s", name)
                            .matches("\\d+[smh]");
                    assertThat(rule.path("labels").path("severity").asString())
                            .as("severity of %s", name)
                            .isIn("critical", "warning");
                    assertThat(rule.path("annotations").path("summary").asString())
                            .as("summary of %s", name)
                            .isNotBlank();
                    assertThat(rule.path("annotations").path("description").asString())
                            .as("description of %s", name)
                            .isNotBlank();
                }));
        assertThat(names).containsAll(REQUIRED_ALERTS).doesNotHaveDuplicates();

        JsonNode prometheus = YAML.readTree(PROMETHEUS.toFile());
        List<String> ruleFiles = new ArrayList<>();
        prometheus.path("rule_files").forEach(f -> ruleFiles.add(f.asString()));
        assertThat(ruleFiles)
                .anySatisfy(f -> assertThat(f).endsWith(ALERTS.getFileName().toString()));
        List<String> targets = new ArrayList<>();
        prometheus.path("scrape_configs").forEach(job -> {
            assertThat(job.path("metrics_path").asString()).isEqualTo("/actuator/prometheus");
            job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asString())));
        });
        assertThat(targets).contains("sextant-api:8080", "sextant-ingest:8080", "sextant-worker:8080");
    }

    /**
     * Runs one position through the pipeline: a zone, an asset entering it, a webhook subscription
     * receiving the event; then scrapes once every meter that appears on first use is there.
     */
    private String scrapeAfterTraffic() throws IOException {
        TenantFixture tenant = newTenant();
        String token = tenant.adminToken();
        Response zone = api.post("/api/v1/zones")
                .bearer(token)
                .json(Map.of(
                        "name", "Dashboard yard", "circle", Map.of("center", List.of(4.9, 52.37), "radiusMeters", 300)))
                .send();
        assertThat(zone.status()).as(zone.toString()).isEqualTo(201);
        createAsset(token, "dashboard-truck", "vehicle", List.of());
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            Response subscription = api.post("/api/v1/subscriptions")
                    .bearer(token)
                    .json(Map.of(
                            "name",
                            "dashboard hook",
                            "channel",
                            Map.of("type", "webhook", "url", receiver.url(), "timeoutMs", 2000)))
                    .send();
            assertThat(subscription.status()).as(subscription.toString()).isEqualTo(201);
            Instant now = Instant.now();
            position(token, now.minusSeconds(20), 4.95, 52.37);
            position(token, now.minusSeconds(10), 4.9, 52.37);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.requests().stream().anyMatch(WebhookReceiver.Request::succeeded));
            // A request answered with an error, so the error series exist as they do in production.
            assertThat(api.get("/api/v1/assets/not-a-uuid").bearer(token).send().status())
                    .isBetween(400, 404);
            // The GC pause timer is registered at the JVM's first collection, which a short test run
            // may not have had yet (a production node has one within seconds).
            System.gc();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        String metrics = scrape();
                        return metrics.contains("jvm_gc_pause_seconds_count{")
                                && metrics.contains("sextant_delivery_latency_seconds_count{")
                                && metrics.contains("sextant_jobs_completed_total{")
                                && metrics.contains("sextant_delivery_backlog{");
                    });
        }
        String scrape = scrape();
        Files.createDirectories(SCRAPE_COPY.getParent());
        Files.writeString(SCRAPE_COPY, scrape);
        return scrape;
    }

    private void position(String token, Instant time, double lon, double lat) {
        Response ingested = api.post("/api/v1/positions")
                .bearer(token)
                .json(List.of(Map.of("externalId", "dashboard-truck", "time", time.toString(), "lon", lon, "lat", lat)))
                .send();
        assertThat(ingested.status()).as(ingested.toString()).isEqualTo(200);
    }

    private String scrape() {
        Response response = api.get("/actuator/prometheus").send();
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    /** The names of every sample in a Prometheus text exposition. */
    static Set<String> exposedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int end = 0;
            while (end < l.length() && l.charAt(end) != '{' && l.charAt(end) != ' ') {
                end++;
            }
            names.add(l.substring(0, end));
        });
        return names;
    }

    /** Every query of the dashboard's panels (rows' nested panels too) and template variables. */
    static Map<String, List<String>> dashboardQueries(JsonNode dashboard) {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (JsonNode panel : panels(dashboard)) {
            List<String> exprs = new ArrayList<>();
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
            if (!exprs.isEmpty()) {
                queries.put("panel " + panel.path("title").asString(), exprs);
            }
        }
        dashboard.path("templating").path("list").forEach(variable -> {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asString() : query.asString();
            if (variable.path("type").asString().equals("query") && !text.isBlank()) {
                Matcher labelValues = LABEL_VALUES.matcher(text);
                String expr = labelValues.matches() ? nullToEmpty(labelValues.group(1)) : text;
                queries.put("variable " + variable.path("name").asString(), List.of(expr));
            }
        });
        return queries;
    }

    /** Every alerting and recording rule's expression, by rule name. */
    static Map<String, List<String>> alertQueries(JsonNode rules) {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        rules.path("groups")
                .forEach(group -> group.path("rules").forEach(rule -> {
                    String name = rule.has("alert")
                            ? rule.path("alert").asString()
                            : rule.path("record").asString();
                    queries.put("alert " + name, List.of(rule.path("expr").asString()));
                }));
        return queries;
    }

    /** The metric names each query reads: what is left of it without strings, matchers, functions, … */
    static Map<String, Set<String>> referencedMetrics(Map<String, List<String>> queries) {
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        queries.forEach((source, exprs) -> {
            Set<String> names = new LinkedHashSet<>();
            for (String expr : exprs) {
                String bare = STRING.matcher(expr).replaceAll(" ");
                bare = VARIABLE.matcher(bare).replaceAll(" ");
                bare = GROUPING.matcher(bare).replaceAll(" ");
                bare = MATCHERS.matcher(bare).replaceAll(" ");
                bare = RANGE.matcher(bare).replaceAll(" ");
                Matcher identifier = IDENTIFIER.matcher(bare);
                while (identifier.find()) {
                    String name = identifier.group(1);
                    boolean function = identifier.group(2) != null;
                    if (!function && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                        names.add(name);
                    }
                }
            }
            referenced.put(source, names);
        });
        return referenced;
    }

    /** The queried names that are neither exposed nor written by Prometheus itself, by source. */
    static Map<String, Set<String>> missing(Map<String, Set<String>> referenced, Set<String> exposed) {
        Map<String, Set<String>> missing = new TreeMap<>();
        referenced.forEach((source, names) -> names.stream()
                .filter(n -> !exposed.contains(n) && !SYNTHETIC.contains(n))
                .forEach(n ->
                        missing.computeIfAbsent(source, s -> new TreeSet<>()).add(n)));
        return missing;
    }

    /** Every panel, including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        return panels;
    }

    private static JsonNode readJson(Path file) {
        try {
            return ApiClient.JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
