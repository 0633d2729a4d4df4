package io.sextant.workflow;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sextant.asset.Assets;
import io.sextant.identity.SextantPrincipal;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.AccessPolicies;
import io.sextant.shared.access.AccessPolicy;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.LatestLocations;
import io.sextant.shared.access.RequiresPermission;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.problem.Conflict;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.Forbidden;
import io.sextant.shared.problem.InvalidInput;
import io.sextant.shared.problem.NotFound;
import io.sextant.shared.problem.PreconditionFailed;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.Cursors;
import io.sextant.workflow.Step.Rejection;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.ZoneDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current tenant's workflow instances: start one, read it and its history, list them, send it
 * commands, and migrate the instances of one definition version to another.
 *
 * <p>Instances are under the caller's grants like the assets and zones they are bound to (issue
 * 10): an instance is reached when every bound asset is reached as an object and every bound zone
 * by its tags. One out of reach answers 404 like a missing one; lists skip it. An instance bound to
 * nothing is reached only by a grant that no scope narrows.
 */
@Service
@Transactional
public class WorkflowInstances {

    /** The most rows one list request reads while skipping instances out of the caller's reach. */
    static final int MAX_SCANNED = 2_000;

    private static final Pattern ROLE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final int MAX_BINDINGS = 16;
    private static final int MAX_VARIABLES_LENGTH = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkflowInstanceRepository repository;
    private final WorkflowDefinitions definitions;
    private final WorkflowEngine engine;
    private final Assets assets;
    private final ZoneDirectory zones;
    private final LatestLocations locations;

    WorkflowInstances(
            WorkflowInstanceRepository repository,
            WorkflowDefinitions definitions,
            WorkflowEngine engine,
            Assets assets,
            ZoneDirectory zones,
            LatestLocations locations) {
        this.repository = repository;
        this.definitions = definitions;
        this.engine = engine;
        this.assets = assets;
        this.zones = zones;
        this.locations = locations;
    }

    /** What starts an instance: the definition (its latest version when none is named), variables and bindings. */
    public record NewInstance(
            String definition,
            @Nullable Integer version,
            Map<String, Object> variables,
            Map<String, UUID> assets,
            Map<String, UUID> zones) {}

    /**
     * Starts an instance; {@code InvalidInput} for an unknown definition, an asset or zone the caller
     * does not reach (as for one that does not exist), or variables that do not follow the
     * definition's variables schema, each error with its pointer.
     */
    @RequiresPermission("workflows:command")
    public WorkflowInstance create(NewInstance request) {
        UUID tenantId = TenantContext.require();
        Instant now = definitions.now();
        Visibility visibility = visibility("workflows:command", now);
        List<FieldError> errors = new ArrayList<>();
        PublishedDefinition published = definitions
                .find(tenantId, request.definition(), request.version())
                .orElse(null);
        if (published == null) {
            errors.add(new FieldError(
                    request.version() == null ? "definition" : "version",
                    "no workflow definition " + request.definition()
                            + (request.version() == null ? "" : " version " + request.version())
                            + " is published"));
        }
        checkBindings("assets", request.assets(), errors, id -> assetReached(id, visibility));
        checkBindings("zones", request.zones(), errors, id -> zoneReached(tenantId, id, visibility));
        nulls("variables", request.variables(), errors);
        if (JSON.writeValueAsString(request.variables()).length() > MAX_VARIABLES_LENGTH) {
            errors.add(new FieldError("variables", "are longer than " + MAX_VARIABLES_LENGTH + " characters as JSON"));
        }
        if (published != null && errors.isEmpty()) {
            WorkflowMachine machine = definitions.machine(tenantId, published);
            errors.addAll(variableErrors(machine.definition().variables(), request.variables()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        WorkflowEngine.Started started = engine.start(
                tenantId,
                java.util.Objects.requireNonNull(published),
                request.variables(),
                strings(request.assets()),
                strings(request.zones()),
                caller().subjectId(),
                null,
                now,
                0);
        StoredInstance instance = started.instance();
        if (instance == null) {
            throw refused(java.util.Objects.requireNonNull(started.rejection()), "start");
        }
        return view(instance);
    }

    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public WorkflowInstance get(UUID id) {
        return view(reached(id, "workflows:read", false));
    }

    /** A page of instances in creation order, filtered by definition, state, bound asset and bound zone. */
    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public CursorPage<WorkflowInstance> list(
            @Nullable String definition,
            @Nullable String state,
            @Nullable UUID assetId,
            @Nullable UUID zoneId,
            @Nullable String cursor,
            int limit) {
        UUID tenantId = TenantContext.require();
        Visibility visibility = visibility("workflows:read", definitions.now());
        UUID after = Cursors.decodeId(cursor);
        List<StoredInstance> page = new ArrayList<>();
        int scanned = 0;
        boolean more = false;
        // read forward until the page is full, skipping what is out of reach, within MAX_SCANNED rows
        while (true) {
            List<StoredInstance> rows = repository.page(tenantId, definition, state, assetId, zoneId, after, limit + 1);
            for (StoredInstance row : rows) {
                if (page.size() == limit || scanned == MAX_SCANNED) {
                    more = true;
                    break;
                }
                scanned++;
                after = row.id();
                if (reaches(visibility, row)) {
                    page.add(row);
                }
            }
            if (more || rows.size() <= limit) {
                break;
            }
        }
        String next = more && after != null ? Cursors.encode(after.toString()) : null;
        return new CursorPage<>(page.stream().map(this::view).toList(), next);
    }

    /** The instance's history, oldest first. */
    @Transactional(readOnly = true)
    @RequiresPermission("workflows:read")
    public CursorPage<WorkflowHistoryEntry> history(UUID id, @Nullable String cursor, int limit) {
        StoredInstance instance = reached(id, "workflows:read", false);
        String position = Cursors.decode(cursor);
        long after;
        try {
            after = position == null ? -1 : Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw new InvalidInput("cursor", "is not a cursor returned by this API");
        }
        List<WorkflowHistoryEntry> rows = repository.history(instance.tenantId(), id, after, limit + 1);
        return CursorPage.fromLookahead(rows, limit, entry -> Long.toString(entry.seq()));
    }

    /**
     * Sends a command: {@code PreconditionFailed} when {@code expected} is given and the instance is
     * at none of those versions, {@code Conflict} (with the commands allowed) when the state does
     * not take it, {@code Forbidden} when the transition requires a permission the caller lacks.
     */
    @RequiresPermission("workflows:command")
    public WorkflowInstance command(
            UUID id, String name, Map<String, Object> args, @Nullable ExpectedVersions expected) {
        List<FieldError> invalid = new ArrayList<>();
        nulls("args", args, invalid);
        if (JSON.writeValueAsString(args).length() > MAX_VARIABLES_LENGTH) {
            invalid.add(new FieldError("args", "are longer than " + MAX_VARIABLES_LENGTH + " characters as JSON"));
        }
        if (!invalid.isEmpty()) {
            throw new InvalidInput(invalid);
        }
        StoredInstance instance = reached(id, "workflows:command", true);
        if (expected != null && !expected.admits(instance.state().version())) {
            throw new PreconditionFailed("workflow instance " + id + " has moved on: it is at version "
                    + instance.state().version() + ", not " + expected);
        }
        Instant now = definitions.now();
        WorkflowEngine.Stepped stepped;
        try {
            stepped = engine.step(instance, new Trigger.Command(name, args, commandCaller(now)), now);
        } catch (WorkflowEngine.StepFailed e) {
            throw new Conflict(
                    "workflow-step-failed", "The transition could not be carried out", String.valueOf(e.getMessage()));
        }
        return switch (stepped.step()) {
            case Step.Applied applied -> view(stepped.after());
            case Step.Rejected rejected -> throw refused(rejected.rejection(), name);
        };
    }

    /** The most instances one migration request moves; the rest stay for the next request. */
    public static final int MAX_MIGRATED = 5_000;

    /** What a migration did, or would do in a dry run: each instance moved or refused. */
    public record MigrationReport(
            String definition,
            int fromVersion,
            int toVersion,
            boolean dryRun,
            List<Moved> moved,
            List<Refused> refused,
            boolean more) {

        /** An instance moved from one state to another (often the same name) of the new version. */
        public record Moved(UUID instanceId, String from, String to) {}

        /** An instance the migration could not move, and why. */
        public record Refused(UUID instanceId, String state, String reason) {}
    }

    /**
     * Moves the running instances of {@code fromVersion} of the definition to {@code toVersion},
     * each into the state {@code stateMap} names for its state (the same name when none is named),
     * without running any action; its state timers restart from now. {@code InvalidInput} (every
     * error, each with its pointer) when the plan leaves a state without a target. With {@code
     * dryRun}, nothing changes and the report says what would move. At most {@link #MAX_MIGRATED}
     * instances per request ({@code more} says whether others remain).
     */
    @RequiresPermission("workflows:define")
    public MigrationReport migrate(
            String key, int fromVersion, int toVersion, Map<String, String> stateMap, boolean dryRun) {
        UUID tenantId = TenantContext.require();
        PublishedDefinition fromPublished = definitions.get(key, fromVersion);
        PublishedDefinition toPublished = definitions.get(key, toVersion);
        WorkflowMachine from = definitions.machine(tenantId, fromPublished);
        WorkflowMachine to = definitions.machine(tenantId, toPublished);
        VersionMigration.MigrationPlan plan =
                new VersionMigration.MigrationPlan(from.definition(), to.definition(), stateMap);
        List<DefinitionError> planErrors = VersionMigration.check(plan);
        if (!planErrors.isEmpty()) {
            throw new InvalidInput(planErrors.stream()
                    .map(e -> new FieldError(e.pointer().equals("/to") ? "/toVersion" : e.pointer(), e.message()))
                    .toList());
        }
        Instant now = definitions.now();
        Visibility visibility = visibility("workflows:define", now);
        String actor = caller().subjectId();
        List<MigrationReport.Moved> moved = new ArrayList<>();
        List<MigrationReport.Refused> refused = new ArrayList<>();
        UUID after = null;
        boolean more = false;
        while (!more) {
            List<StoredInstance> batch = repository.ofVersion(tenantId, key, fromVersion, after, 500);
            for (StoredInstance listed : batch) {
                after = listed.id();
                if (moved.size() + refused.size() == MAX_MIGRATED) {
                    more = true;
                    break;
                }
                StoredInstance instance =
                        dryRun ? listed : repository.lock(tenantId, listed.id()).orElse(null);
                if (instance == null
                        || instance.finished()
                        || instance.definitionVersion() != fromVersion
                        || !reaches(visibility, instance)) {
                    continue;
                }
                String target = VersionMigration.targetOf(plan, instance.state().state());
                Step step = to.migrate(instance.state(), from.definition(), target, actor, now);
                switch (step) {
                    case Step.Applied applied -> {
                        if (!dryRun) {
                            engine.store(instance, toVersion, to, applied, now);
                        }
                        moved.add(new MigrationReport.Moved(
                                instance.id(), instance.state().state(), target));
                    }
                    case Step.Rejected rejected ->
                        refused.add(new MigrationReport.Refused(
                                instance.id(),
                                instance.state().state(),
                                rejected.rejection().toString()));
                }
            }
            if (batch.size() < 500) {
                break;
            }
        }
        return new MigrationReport(key, fromVersion, toVersion, dryRun, moved, refused, more);
    }

    /** The instance if it exists and the caller reaches it under {@code permission}; locked for a change. */
    StoredInstance reached(UUID id, String permission, boolean lock) {
        UUID tenantId = TenantContext.require();
        Optional<StoredInstance> found = lock ? repository.lock(tenantId, id) : repository.find(tenantId, id);
        Visibility visibility = visibility(permission, definitions.now());
        return found.filter(instance -> reaches(visibility, instance))
                .orElseThrow(() -> new NotFound("workflow instance " + id));
    }

    private boolean reaches(Visibility visibility, StoredInstance instance) {
        if (visibility instanceof Visibility.All) {
            return true;
        }
        if (visibility instanceof Visibility.None) {
            return false;
        }
        Map<String, String> bound = instance.state().assets();
        Map<String, String> boundZones = instance.state().zones();
        if (bound.isEmpty() && boundZones.isEmpty()) {
            return false;
        }
        for (String asset : bound.values()) {
            if (!assetReached(UUID.fromString(asset), visibility)) {
                return false;
            }
        }
        for (String zone : boundZones.values()) {
            if (!zoneReached(instance.tenantId(), UUID.fromString(zone), visibility)) {
                return false;
            }
        }
        return true;
    }

    private boolean assetReached(UUID assetId, Visibility visibility) {
        Optional<AssetFacts> facts = assets.facts(assetId);
        return facts.isPresent() && visibility.reachesAssetObject(facts.get(), locations.locate(assetId));
    }

    private boolean zoneReached(UUID tenantId, UUID zoneId, Visibility visibility) {
        Optional<CompiledZone> zone = zones.indexFor(tenantId).get(zoneId);
        return zone.isPresent() && visibility.reachesZone(zone.get().tags());
    }

    private static void checkBindings(
            String field,
            Map<String, UUID> bindings,
            List<FieldError> errors,
            java.util.function.Predicate<UUID> reached) {
        if (bindings.size() > MAX_BINDINGS) {
            errors.add(new FieldError(field, "at most " + MAX_BINDINGS + " may be bound"));
            return;
        }
        bindings.forEach((role, id) -> {
            if (!ROLE.matcher(role).matches()) {
                errors.add(new FieldError(field + "." + role, "a role is a name of letters, digits, _ and -"));
            } else if (!reached.test(id)) {
                String kind = field.equals("assets") ? "asset" : "zone";
                errors.add(new FieldError(field + "." + role, "no " + kind + " " + id));
            }
        });
    }

    /** Each null inside {@code value}: a workflow value is never absent, so a null is refused where it stands. */
    private static void nulls(String path, @Nullable Object value, List<FieldError> errors) {
        switch (value) {
            case null -> errors.add(new FieldError(path, "must not be null"));
            case Map<?, ?> map -> map.forEach((k, v) -> nulls(path + "." + k, v, errors));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    nulls(path + "[" + i + "]", list.get(i), errors);
                }
            }
            default -> {}
        }
    }

    /** What the definition's variables schema says of the variables, each with its pointer. */
    static List<FieldError> variableErrors(Map<String, Object> schema, Map<String, Object> variables) {
        if (schema.isEmpty()) {
            return List.of();
        }
        Schema compiled = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JSON.valueToTree(schema));
        List<FieldError> errors = new ArrayList<>();
        for (Error error : compiled.validate(JSON.valueToTree(variables))) {
            errors.add(new FieldError(
                    "/variables" + pointer(error.getInstanceLocation().toString()), error.getMessage()));
        }
        return errors;
    }

    private static String pointer(String location) {
        // networknt renders the root as "$" and members as "$.a.b" or "$.a[0]"
        if (location.equals("$") || location.isEmpty()) {
            return "";
        }
        return location.replaceFirst("^\\$", "").replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }

    static RuntimeException refused(Rejection rejection, String command) {
        return switch (rejection) {
            case Rejection.CommandNotAllowed notAllowed ->
                new Conflict(
                        "command-not-allowed",
                        "Command not allowed in this state",
                        "%s is not allowed in state %s; allowed: %s"
                                .formatted(
                                        notAllowed.command(),
                                        notAllowed.state(),
                                        notAllowed.allowed().isEmpty()
                                                ? "none"
                                                : String.join(", ", notAllowed.allowed())),
                        ordered("state", notAllowed.state(), "allowedCommands", notAllowed.allowed()));
            case Rejection.PermissionMissing missing ->
                new Forbidden("command " + missing.command() + " requires the permission " + missing.permission());
            case Rejection.GuardFalse guard ->
                new Conflict(
                        "guard-false",
                        "No transition's guard holds",
                        "%s: no guard of a transition in state %s holds".formatted(command, guard.state()),
                        Map.of("state", guard.state()));
            case Rejection.Finished finished ->
                new Conflict(
                        "command-not-allowed",
                        "Command not allowed in this state",
                        "the instance has finished in state %s; it accepts no command".formatted(finished.state()),
                        ordered("state", finished.state(), "allowedCommands", List.of()));
            case Rejection.MigrationRefused migration ->
                new Conflict("migration-refused", "The migration was refused", migration.reason());
            case Rejection.EvaluationFailed failed ->
                new Conflict("workflow-evaluation-failed", "An expression failed", failed.message());
            default -> new Conflict("workflow-step-refused", "Refused", rejection.toString());
        };
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static Map<String, String> strings(Map<String, UUID> ids) {
        Map<String, String> strings = new java.util.TreeMap<>();
        ids.forEach((role, id) -> strings.put(role, id.toString()));
        return strings;
    }

    private WorkflowInstance view(StoredInstance instance) {
        WorkflowMachine machine =
                definitions.machine(instance.tenantId(), instance.definitionKey(), instance.definitionVersion());
        return instance.view(machine.allowedCommands(instance.state().state()));
    }

    private static Visibility visibility(String permission, Instant now) {
        AccessPolicy policy = AccessPolicies.current();
        return policy.visibility(permission, now);
    }

    /** The current caller as a command's trigger sees it: its subject, its groups and its permissions in force. */
    static Trigger.Caller commandCaller(Instant now) {
        TenantPrincipal principal = caller();
        Set<String> groups = principal instanceof SextantPrincipal sextant ? sextant.groups() : Set.of();
        return new Trigger.Caller(
                principal.subjectId(),
                groups.stream().sorted().toList(),
                principal.policy().permissionsInForce(now));
    }

    private static TenantPrincipal caller() {
        return TenantContext.principal().orElseThrow(() -> new IllegalStateException("no caller"));
    }
}
