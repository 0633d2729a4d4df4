package io.sextant.workflow;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sextant.events.EventTypes;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Publishes and reads the current tenant's workflow definitions. A definition is accepted only
 * when {@link WorkflowDefinitionReader} finds nothing wrong with it, and is immutable once
 * published: a change is a new version (the document's {@code version}, which must be the next
 * one, or the next one given when the document names none). Definitions are the tenant's rules,
 * not data in space and time: {@code workflows:read} reads them all.
 */
@Service
@Transactional
public class WorkflowDefinitions {

    /** The largest definition document accepted, in characters. */
    public static final int MAX_DOCUMENT_LENGTH = 256 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String SCHEMA_TEXT = schemaText();

    private final WorkflowDefinitionRepository repository;
    private final WorkflowDefinitionReader reader = new WorkflowDefinitionReader(EventTypes.ALL);
    private final Clock clock;
    /** Compiled machines by tenant, key and version: published definitions never change, so nothing goes stale. */
    private final Cache<MachineKey, WorkflowMachine> machines =
            Caffeine.newBuilder().maximumSize(2_000).build();

    WorkflowDefinitions(WorkflowDefinitionRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** The published JSON Schema (2020-12) every definition is checked against, as text. */
    @RequiresPermission("workflows:read")
    public String schema() {
        return SCHEMA_TEXT;
    }

    /** A definition read and checked but not stored: what a simulation runs. */
    public WorkflowDefinition check(String document, WorkflowDefinitionReader.Format format) {
        if (document.length() > MAX_DOCUMENT_LENGTH) {
            throw new InvalidInput("definition", "is longer than " + MAX_DOCUMENT_LENGTH + " characters");
        }
        try {
            return reader.read(document, format);
        } catch (InvalidDefinition e) {
            throw invalid(e);
        }
    }

    /**
     * Publishes the document as the next version of its key; {@code InvalidInput} with every error
     * (each with its JSON pointer), {@code Conflict} when it names a version other than the next.
     */
    @RequiresPermission("workflows:define")
    public PublishedDefinition publish(String document, WorkflowDefinitionReader.Format format) {
        WorkflowDefinition definition = check(document, format);
        UUID tenantId = TenantContext.require();
        int latest = repository.latestVersionForUpdate(tenantId, definition.key());
        JsonNode tree = (format == WorkflowDefinitionReader.Format.JSON ? JSON : YAML).readTree(document);
        int version = latest + 1;
        if (tree.has("version") && tree.get("version").asInt() != version) {
            throw new Conflict(
                    "workflow-version-taken",
                    "Not the next version",
                    "workflow %s is at version %d: publish version %d (or leave version out)"
                            .formatted(definition.key(), latest, version));
        }
        String description =
                tree.path("description").isString() ? tree.get("description").stringValue() : null;
        if (description != null && description.length() > 1000) {
            throw new InvalidInput("/description", "is longer than 1000 characters");
        }
        PublishedDefinition published = new PublishedDefinition(
                definition.key(),
                version,
                description,
                format == WorkflowDefinitionReader.Format.JSON ? "json" : "yaml",
                document,
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                TenantContext.principal().map(TenantPrincipal::subjectId).orElse("internal"));
        repository.insert(tenantId, published);
        return published;
    }

    /** The version of the key, or its latest when {@code version} is null. */
    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public PublishedDefinition get(String key, @Nullable Integer version) {
        return find(TenantContext.require(), key, version)
                .orElseThrow(() -> new NotFound(
                        version == null
                                ? "workflow definition " + key
                                : "workflow definition " + key + " version " + version));
    }

    /** The latest version of each key, by key. */
    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public CursorPage<PublishedDefinition> list(@Nullable String cursor, int limit) {
        String after = Cursors.decode(cursor);
        List<PublishedDefinition> rows = repository.pageOfLatest(TenantContext.require(), after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, PublishedDefinition::key);
    }

    /** Every version of the key, newest first. */
    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public CursorPage<PublishedDefinition> versions(String key, @Nullable String cursor, int limit) {
        UUID tenantId = TenantContext.require();
        String position = Cursors.decode(cursor);
        Integer before;
        try {
            before = position == null ? null : Integer.valueOf(position);
        } catch (NumberFormatException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
        List<PublishedDefinition> rows = repository.versions(tenantId, key, before, limit + 1);
        if (rows.isEmpty() && before == null) {
            throw new NotFound("workflow definition " + key);
        }
        return CursorPage.fromLookahead(rows, limit, d -> Integer.toString(d.version()));
    }

    java.util.Optional<PublishedDefinition> find(UUID tenantId, String key, @Nullable Integer version) {
        return version == null ? repository.latest(tenantId, key) : repository.find(tenantId, key, version);
    }

    /** The compiled machine of a published definition. */
    WorkflowMachine machine(UUID tenantId, PublishedDefinition published) {
        return machines.get(new MachineKey(tenantId, published.key(), published.version()), k -> {
            WorkflowDefinition read = reader.read(published.document(), published.readerFormat());
            return new WorkflowMachine(new WorkflowDefinition(
                    read.key(), published.version(), read.initial(), read.states(), read.variables()));
        });
    }

    /** The compiled machine of the key's version; the instance that runs it keeps it from being deleted. */
    WorkflowMachine machine(UUID tenantId, String key, int version) {
        MachineKey cacheKey = new MachineKey(tenantId, key, version);
        WorkflowMachine cached = machines.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        PublishedDefinition published = repository
                .find(tenantId, key, version)
                .orElseThrow(() -> new IllegalStateException("workflow " + key + " v" + version + " is missing"));
        return machine(tenantId, published);
    }

    static InvalidInput invalid(InvalidDefinition e) {
        return new InvalidInput(e.errors().stream()
                .map(error -> new FieldError(error.pointer().isEmpty() ? "/" : error.pointer(), error.message()))
                .toList());
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String schemaText() {
        try (java.io.InputStream in = WorkflowDefinitions.class
                .getClassLoader()
                .getResourceAsStream(WorkflowDefinitionReader.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        WorkflowDefinitionReader.SCHEMA_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record MachineKey(UUID tenantId, String key, int version) {}
}
