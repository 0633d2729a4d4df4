package io.sextant.identity;

import io.sextant.shared.TenantContext;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the very first start (no tenant yet) creates the bootstrap tenant and its administrator, who
 * holds the {@code admin} and {@code platform-admin} roles. A generated password is printed once,
 * with the command that obtains a token; it is never stored in clear. Then publishes {@link
 * FirstStart}, the one signal of a first start other modules go by.
 */
@Component
@Order(0)
class BootstrapAdministrator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdministrator.class);

    private final Tenants tenants;
    private final UserAccounts users;
    private final UserAccountRepository accounts;
    private final TransactionTemplate transactions;
    private final IdentityProperties properties;
    private final Environment environment;
    private final ApplicationEventPublisher events;

    BootstrapAdministrator(
            Tenants tenants,
            UserAccounts users,
            UserAccountRepository accounts,
            TransactionTemplate transactions,
            IdentityProperties properties,
            Environment environment,
            ApplicationEventPublisher events) {
        this.tenants = tenants;
        this.users = users;
        this.accounts = accounts;
        this.transactions = transactions;
        this.properties = properties;
        this.environment = environment;
        this.events = events;
    }

    /**
     * In one transaction holding an advisory lock, so that nodes started at once on an empty
     * database do not both create the tenant (the second would fail its start): the first creates
     * it, the others wait for its commit and find it.
     */
    @Override
    public void run(ApplicationArguments args) {
        Optional<Created> created = TenantContext.callAsSystem(() -> transactions.execute(status -> {
            accounts.lockBootstrap();
            return Optional.ofNullable(bootstrap());
        }));
        if (created != null) {
            created.ifPresent(first -> {
                first.print().run();
                events.publishEvent(new FirstStart(first.tenant().id()));
            });
        }
    }

    /** The bootstrap tenant just created, and what to print once it is committed. */
    private record Created(Tenant tenant, Runnable print) {}

    /** Creates the tenant and administrator if there is no tenant. */
    private @Nullable Created bootstrap() {
        IdentityProperties.Bootstrap bootstrap = properties.bootstrap();
        String configured = bootstrap.adminPassword();
        if (tenants.any()) {
            if (configured != null && !configured.isBlank()) {
                // A reader following a guide on a second start would otherwise try a password that was never set.
                log.warn(
                        "SEXTANT_BOOTSTRAP_ADMIN_PASSWORD is set but ignored: the database already has tenants, and the"
                                + " administrator '{}' is created only on the very first start. Sign in with the password"
                                + " set then, or start on an empty database (embedded: stop, delete the data directory).",
                        bootstrap.adminUsername());
            }
            return null;
        }
        boolean generated = configured == null || configured.isBlank();
        String password = configured == null || configured.isBlank() ? Secrets.random(20) : configured;
        Tenant tenant = tenants.create(bootstrap.tenant(), "Bootstrap tenant");
        users.create(
                tenant.id(), bootstrap.adminUsername(), password, List.of(Role.ADMIN.id(), Role.PLATFORM_ADMIN.id()));
        String shown = generated ? password : null;
        return new Created(tenant, () -> print(System.out, tenant, bootstrap.adminUsername(), shown));
    }

    private void print(PrintStream out, Tenant tenant, String username, @Nullable String password) {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        String shown = password == null ? "<the value of SEXTANT_BOOTSTRAP_ADMIN_PASSWORD>" : password;
        out.println();
        out.println("================================================================================");
        out.println(" Sextant bootstrap: tenant '" + tenant.slug() + "' and administrator '" + username + "' created.");
        if (password != null) {
            out.println(" Generated password (shown only this once): " + password);
        }
        out.println(" Get a token:");
        out.println("   curl -s -X POST http://localhost:" + port + "/api/v1/auth/token \\");
        out.println("     -H 'Content-Type: application/json' \\");
        out.println("     -d '{\"username\":\"" + username + "\",\"password\":\"" + shown + "\"}'");
        out.println("================================================================================");
        out.println();
        out.flush();
    }
}
