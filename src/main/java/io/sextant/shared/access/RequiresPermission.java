package io.sextant.shared.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permissions a public application-service method requires of the caller it serves, any one of
 * them sufficing: {@code @RequiresPermission("assets:write")}. On a class, it applies to every
 * public method the class declares that carries none of its own.
 *
 * <p>Method security enforces it whenever the method is called through its Spring bean, whatever
 * adapter calls it (REST today; GraphQL, MQTT or Kafka tomorrow): a caller's authentication without
 * one of the permissions is refused with an {@code AccessDeniedException}. Internal work (a job, the
 * position writer, the relay, start-up, anything run with {@code TenantContext.callAs}) serves no
 * caller and is let through. The decision is {@code identity.ServicePermissions}.
 *
 * <p>Ports that other modules call inside requests of their own (asset's {@code idsMatching}, asked
 * by tracking's queries) carry no requirement: the entry point the request came through checked it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {

    /** Permission authorities such as {@code assets:write}; the caller must hold at least one. */
    String[] value();
}
