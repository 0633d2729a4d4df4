package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sextant.identity.Permission;
import io.sextant.shared.access.RequiresPermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The permission a web handler checks and the permission the application service it calls checks
 * agree: the handler's {@code @PreAuthorize} answers 403 before the body is read, the service's
 * {@code @RequiresPermission} holds for every other adapter, and neither may admit a caller the
 * other refuses. Calls are followed through the web package (the controller's own helpers, {@code
 * TrackerMessages}) to the first bean outside it.
 */
class PermissionAgreementTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sextant");

    /**
     * Guarded handlers that call no service guarded by {@code @RequiresPermission}, and why; each
     * handler as {@code Controller.method}. None today.
     */
    private static final Map<String, String> CALL_NO_GUARDED_SERVICE = Map.of();

    private static final Pattern HAS_AUTHORITY = Pattern.compile("hasAuthority\\('([^']+)'\\)");
    private static final Pattern HAS_ANY_AUTHORITY =
            Pattern.compile("hasAnyAuthority\\(\\s*('[^']+'(?:\\s*,\\s*'[^']+')*)\\s*\\)");
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    @Test
    void every_service_a_guarded_handler_calls_requires_exactly_the_permissions_the_handler_accepts() {
        List<String> disagreements = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (JavaMethod handler : guardedHandlers()) {
            Set<String> accepted = accepted(handler);
            for (ServiceCall call : serviceCallsOf(handler)) {
                if (call.required().isEmpty()) {
                    continue;
                }
                Set<String> onlyService = difference(call.required(), accepted);
                Set<String> onlyHandler = difference(accepted, call.required());
                if (!onlyService.isEmpty()) {
                    disagreements.add(name(handler) + " calls " + call.target() + ", which also admits " + onlyService
                            + ": the service would serve a caller the handler refuses");
                }
                if (!onlyHandler.isEmpty()) {
                    disagreements.add(name(handler) + " admits " + onlyHandler + ", but " + call.target()
                            + ", which it calls, refuses them");
                }
            }
            checked.add(name(handler));
        }
        assertThat(disagreements).isEmpty();
        assertThat(checked)
                .as("the guarded handlers found")
                .hasSizeGreaterThan(40)
                .contains("AssetController.create", "PositionIngestController.json", "OsmAndController.positionInBody");
    }

    @Test
    void every_guarded_handler_calls_a_service_that_checks_its_permission_itself() {
        List<String> unchecked = new ArrayList<>();
        Set<String> handlers = new HashSet<>();
        for (JavaMethod handler : guardedHandlers()) {
            handlers.add(name(handler));
            Set<String> accepted = accepted(handler);
            boolean enforced = serviceCallsOf(handler).stream()
                    .anyMatch(call -> call.required().stream().anyMatch(accepted::contains));
            boolean listed = CALL_NO_GUARDED_SERVICE.containsKey(name(handler));
            if (enforced == listed) {
                unchecked.add(
                        enforced
                                ? name(handler) + " is listed as calling no guarded service, but it calls one"
                                : name(handler) + " accepts " + accepted + " but calls no service requiring any of"
                                        + " them: another adapter calling that service would get no check");
            }
        }
        assertThat(unchecked).isEmpty();
        assertThat(handlers).containsAll(CALL_NO_GUARDED_SERVICE.keySet());
    }

    @Test
    void services_require_only_permissions_that_exist() {
        List<String> unknown = new ArrayList<>();
        for (JavaClass type : PRODUCTION) {
            Stream.concat(
                            type.tryGetAnnotationOfType(RequiresPermission.class).stream()
                                    .map(r -> new Named(type.getSimpleName(), r)),
                            type.getMethods().stream()
                                    .flatMap(m -> m.tryGetAnnotationOfType(RequiresPermission.class).stream()
                                            .map(r -> new Named(name(m), r))))
                    .forEach(named -> {
                        for (String permission : named.requirement().value()) {
                            if (Permission.fromAuthority(permission).isEmpty()) {
                                unknown.add(named.name() + " requires '" + permission + "'");
                            }
                        }
                    });
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void a_guard_names_the_permissions_it_accepts() {
        assertThat(accepted("hasAuthority('assets:write')")).containsExactly("assets:write");
        assertThat(accepted("hasAnyAuthority('users:manage', 'tenants:manage')"))
                .containsExactly("tenants:manage", "users:manage");
    }

    /** Handler methods of controllers guarded by {@code @PreAuthorize}, on the method or its class. */
    private static List<JavaMethod> guardedHandlers() {
        List<JavaMethod> handlers = new ArrayList<>();
        for (JavaClass type : PRODUCTION) {
            if (!type.isMetaAnnotatedWith(Controller.class)) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                boolean handler = method.isAnnotatedWith(RequestMapping.class)
                        || method.isMetaAnnotatedWith(RequestMapping.class);
                if (handler && guard(method).isPresent()) {
                    handlers.add(method);
                }
            }
        }
        return handlers;
    }

    private static Optional<PreAuthorize> guard(JavaMethod handler) {
        return handler.tryGetAnnotationOfType(PreAuthorize.class)
                .or(() -> handler.getOwner().tryGetAnnotationOfType(PreAuthorize.class));
    }

    private static Set<String> accepted(JavaMethod handler) {
        String expression = guard(handler).orElseThrow().value();
        Set<String> accepted = accepted(expression);
        assertThat(accepted)
                .as(
                        "%s is guarded by \"%s\": this test reads only hasAuthority('x') and hasAnyAuthority('x', …)",
                        name(handler), expression)
                .isNotEmpty();
        return accepted;
    }

    private static Set<String> accepted(String expression) {
        String trimmed = expression.strip();
        Matcher single = HAS_AUTHORITY.matcher(trimmed);
        if (single.matches()) {
            return Set.of(single.group(1));
        }
        Matcher any = HAS_ANY_AUTHORITY.matcher(trimmed);
        if (!any.matches()) {
            return Set.of();
        }
        Set<String> accepted = new TreeSet<>();
        Matcher quoted = QUOTED.matcher(any.group(1));
        while (quoted.find()) {
            accepted.add(quoted.group(1));
        }
        return accepted;
    }

    /**
     * The calls (and method references) that {@code handler} makes, directly or through code of a
     * web package, to methods of Spring beans outside the web packages.
     */
    private static Set<ServiceCall> serviceCallsOf(JavaMethod handler) {
        Set<ServiceCall> calls = new LinkedHashSet<>();
        Set<JavaCodeUnit> seen = new HashSet<>();
        Deque<JavaCodeUnit> pending = new ArrayDeque<>(List.of(handler));
        while (!pending.isEmpty()) {
            JavaCodeUnit unit = pending.pop();
            if (!seen.add(unit)) {
                continue;
            }
            List<JavaCodeUnitAccess<?>> accesses = new ArrayList<>(unit.getMethodCallsFromSelf());
            accesses.addAll(unit.getMethodReferencesFromSelf());
            for (JavaCodeUnitAccess<?> access : accesses) {
                JavaClass owner = access.getTargetOwner();
                if (!owner.getPackageName().startsWith("io.sextant.")) {
                    continue;
                }
                Optional<? extends JavaCodeUnit> target = access.getTarget().resolveMember();
                if (target.isEmpty() || !(target.get() instanceof JavaMethod method)) {
                    continue;
                }
                if (inWebPackage(owner)) {
                    pending.push(method);
                } else if (owner.isMetaAnnotatedWith(Component.class) || owner.isAnnotatedWith(Component.class)) {
                    calls.add(new ServiceCall(name(method), required(method)));
                }
            }
        }
        return calls;
    }

    /** As {@code ServicePermissions} reads it: the method's own, else its class's for a public method. */
    private static Set<String> required(JavaMethod method) {
        Optional<RequiresPermission> own = method.tryGetAnnotationOfType(RequiresPermission.class);
        if (own.isEmpty() && method.getModifiers().contains(JavaModifier.PUBLIC)) {
            own = method.getOwner().tryGetAnnotationOfType(RequiresPermission.class);
        }
        return own.map(r -> Set.of(r.value())).orElse(Set.of());
    }

    private static boolean inWebPackage(JavaClass type) {
        return type.getPackageName().matches("io\\.sextant\\..*\\.web(\\..*)?");
    }

    private static Set<String> difference(Set<String> from, Set<String> without) {
        Set<String> rest = new TreeSet<>(from);
        rest.removeAll(without);
        return rest;
    }

    private static String name(JavaMethod method) {
        return method.getOwner().getSimpleName() + "." + method.getName();
    }

    /** A call from a handler to a bean's method, and the permissions that method requires (none: a port). */
    private record ServiceCall(String target, Set<String> required) {}

    private record Named(String name, RequiresPermission requirement) {}
}
