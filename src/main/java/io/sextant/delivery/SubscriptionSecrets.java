package io.sextant.delivery;

import io.sextant.shared.TenantContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On start, before any delivery runs, seals the webhook secrets still stored in plain text (rows
 * from before encryption at rest) or under a retired primary key. A keyset that cannot open them
 * stops the start with the reason.
 */
@Component
class SubscriptionSecrets implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionSecrets.class);

    private final SubscriptionRepository repository;
    private final TransactionTemplate transactions;

    SubscriptionSecrets(SubscriptionRepository repository, TransactionTemplate transactions) {
        this.repository = repository;
        this.transactions = transactions;
    }

    @Override
    public void afterPropertiesSet() {
        Integer resealed = TenantContext.callAsSystem(() -> transactions.execute(status -> repository.reseal()));
        if (resealed != null && resealed > 0) {
            log.info("Sealed {} webhook secret(s) with the current secrets key", resealed);
        }
    }
}
