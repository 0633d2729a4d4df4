package io.sextant.identity;

import io.sextant.shared.TenantContext;
import io.sextant.shared.TenantPrincipal;
import io.sextant.shared.access.RequiresPermission;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may call an application-service method that carries {@link RequiresPermission}: the
 * function-level check that lives with the service, so every adapter gets it by calling the service.
 * Method security applies it ({@link #interceptor()}, an advisor of {@code SecurityConfiguration}):
 * before the method runs, outside its transaction; a refusal is an {@code AccessDeniedException},
 * which the problem handler answers with a 403 {@code forbidden} problem.
 *
 * <ul>
 *   <li>Internal work is allowed: a unit of work that names its tenant itself ({@link
 *       TenantContext#callAs}, {@link TenantContext#callAsSystem}), or a thread with no
 *       authentication at all (the position writer, job workers, the outbox relay, timers, start-up).
 *       It serves no caller; whatever caused it was checked where it came in.
 *   <li>Otherwise the caller must be one of ours — authenticated, not anonymous, acting in a tenant
 *       ({@link TenantPrincipal}) — and hold one of the method's permissions. Anything else is refused.
 * </ul>
 *
 * Object-level checks are not made here: another tenant's rows stay invisible (404) through the
 * repositories' tenant filters and row-level security.
 */
final class ServicePermissions implements AuthorizationManager<MethodInvocation> {

    private final Map<Method, Set<String>> required = new ConcurrentHashMap<>();

    private ServicePermissions() {}

    /** The advisor that puts the check in front of every method carrying {@link RequiresPermission}. */
    static AuthorizationManagerBeforeMethodInterceptor interceptor() {
        var interceptor = new AuthorizationManagerBeforeMethodInterceptor(new Annotated(), new ServicePermissions());
        interceptor.setOrder(AuthorizationInterceptorsOrder.PRE_AUTHORIZE.getOrder());
        return interceptor;
    }

    /**
     * Whether {@code authentication} (null: none on the thread) may call a method that requires one
     * of {@code permissions}, on this thread.
     */
    static boolean allows(@Nullable Authentication authentication, Set<String> permissions) {
        if (TenantContext.isOverridden() || authentication == null) {
            return true;
        }
        if (!authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken
                || !(authentication.getPrincipal() instanceof TenantPrincipal)) {
            return false;
        }
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (permissions.contains(authority.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends @Nullable Authentication> authentication, MethodInvocation invocation) {
        // The interceptor's supplier throws when there is no authentication, which here means internal work.
        return new AuthorizationDecision(
                allows(SecurityContextHolder.getContext().getAuthentication(), required(invocation)));
    }

    private Set<String> required(MethodInvocation invocation) {
        Object target = Objects.requireNonNull(invocation.getThis(), "a bean method has its bean");
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), AopUtils.getTargetClass(target));
        return required.computeIfAbsent(
                method,
                m -> Set.of(Objects.requireNonNull(requirement(m), "the pointcut matched it")
                        .value()));
    }

    /** The method's own requirement, else its class's if the class declares the method and it is public. */
    private static @Nullable RequiresPermission requirement(Method method) {
        RequiresPermission own = method.getAnnotation(RequiresPermission.class);
        if (own != null || !Modifier.isPublic(method.getModifiers())) {
            return own;
        }
        return method.getDeclaringClass().getAnnotation(RequiresPermission.class);
    }

    /** The methods of beans whose most specific implementation has a requirement. */
    private static final class Annotated extends StaticMethodMatcherPointcut {

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return requirement(AopUtils.getMostSpecificMethod(method, targetClass)) != null;
        }
    }
}
