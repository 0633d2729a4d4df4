package io.sextant.platform.database;

import io.sextant.shared.TenantContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Scopes every transaction begun on behalf of a tenant: the transaction switches to the {@code
 * sextant_tenant} role and records the tenant id, so PostgreSQL's row-level security hides every
 * other tenant's rows even from a query that forgets its {@code tenant_id} filter. Both settings are
 * transaction-local and vanish at commit, so pooled connections never carry a tenant over.
 */
class TenantScopedTransactionManager extends JdbcTransactionManager {

    static final String TENANT_ROLE = "sextant_tenant";

    static final String SCOPE_SQL =
            "select set_config('sextant.tenant_id', ?, true), set_config('role', '" + TENANT_ROLE + "', true)";

    TenantScopedTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        Optional<UUID> tenant = TenantContext.current();
        if (tenant.isPresent()) {
            try (PreparedStatement statement = connection.prepareStatement(SCOPE_SQL)) {
                statement.setString(1, tenant.get().toString());
                statement.execute();
            }
        }
    }
}
