package io.sextant.platform.database;

import io.sextant.shared.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Re-scopes the current Spring-managed transaction by the same two transaction-local settings the
 * {@link TenantScopedTransactionManager} applies when it begins one: the {@code sextant_tenant}
 * role and the tenant id. Leaving resets the role to the session user (the owner).
 */
@Component
class TransactionTenantScope implements TenantScope {

    private static final String LEAVE_SQL =
            "select set_config('role', 'none', true), set_config('sextant.tenant_id', '', true)";

    private final DataSource dataSource;

    TransactionTenantScope(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void enter(UUID tenantId) {
        run(TenantScopedTransactionManager.SCOPE_SQL, tenantId.toString());
    }

    @Override
    public void leave() {
        run(LEAVE_SQL, null);
    }

    private void run(String sql, @Nullable String parameter) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a tenant scope applies only within a transaction");
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("scoping the transaction failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
