package io.sextant.identity.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.expression.ExpressionUtils;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.expression.method.MethodSecurityExpressionHandler;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Checks a handler's {@link PreAuthorize} permission before Spring MVC resolves its arguments, so a
 * caller without the permission gets 403 whatever the request body holds, and its body is never
 * parsed. Method security still evaluates the same expression when the method runs; expressions
 * that refer to arguments ({@code #id}) can only be judged then, and are left to it.
 */
@Configuration(proxyBeanMethods = false)
class PermissionsFirst implements WebMvcConfigurer {

    private final ObjectProvider<MethodSecurityExpressionHandler> expressionHandler;

    PermissionsFirst(ObjectProvider<MethodSecurityExpressionHandler> expressionHandler) {
        this.expressionHandler = expressionHandler;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(
                new Interceptor(expressionHandler.getIfAvailable(DefaultMethodSecurityExpressionHandler::new)));
    }

    /** The interceptor; one expression per handler method, parsed once. */
    static final class Interceptor implements HandlerInterceptor {

        private final MethodSecurityExpressionHandler handler;
        private final Map<Method, Optional<Expression>> expressions = new ConcurrentHashMap<>();

        Interceptor(MethodSecurityExpressionHandler handler) {
            this.handler = handler;
        }

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object target) {
            if (!(target instanceof HandlerMethod method)) {
                return true;
            }
            Optional<Expression> expression = expressions.computeIfAbsent(method.getMethod(), m -> parse(method));
            if (expression.isEmpty()) {
                return true;
            }
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication == null) {
                throw new AccessDeniedException("no authentication");
            }
            EvaluationContext context = handler.createEvaluationContext(
                    () -> authentication, new SimpleMethodInvocation(method.getBean(), method.getMethod()));
            if (!ExpressionUtils.evaluateAsBoolean(expression.get(), context)) {
                throw new AccessDeniedException("Access Denied");
            }
            return true;
        }

        private Optional<Expression> parse(HandlerMethod method) {
            PreAuthorize annotation =
                    AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), PreAuthorize.class);
            if (annotation == null) {
                annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
            }
            if (annotation == null || annotation.value().contains("#")) {
                return Optional.empty();
            }
            return Optional.of(handler.getExpressionParser().parseExpression(annotation.value()));
        }
    }
}
