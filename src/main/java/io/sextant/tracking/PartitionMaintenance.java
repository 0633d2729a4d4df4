package io.sextant.tracking;

import io.sextant.shared.TenantContext;
import io.sextant.tenancy.Tenants;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the daily partitions of the position history: creates them ahead of time (and on demand
 * for late data), drops a day once it is older than the longest tenant retention, and deletes a
 * tenant's rows past its own, shorter retention from the days still kept for others.
 */
@Component
class PartitionMaintenance {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    // Serialises partition DDL across nodes: concurrent "create table if not exists" can collide.
    private static final long DDL_LOCK = 7365787462L;

    private final PositionRepository repository;
    private final Tenants tenants;
    private final TransactionTemplate transactions;
    private final TrackingProperties properties;
    private final Clock clock;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    PartitionMaintenance(
            PositionRepository repository,
            Tenants tenants,
            TransactionTemplate transactions,
            TrackingProperties properties,
            Clock clock) {
        this.repository = repository;
        this.tenants = tenants;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** Makes sure the partition holding {@code day} exists. Cheap when it is known to. */
    void ensure(LocalDate day) {
        if (known.contains(day)) {
            return;
        }
        TenantContext.callAsSystem(() -> {
            transactions.executeWithoutResult(status -> {
                repository.lockDdl(DDL_LOCK);
                repository.createPartition(day);
            });
            return true;
        });
        known.add(day);
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        maintain();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    void maintain() {
        TenantContext.callAsSystem(() -> {
            known.clear();
            known.addAll(repository.partitionDays());
            LocalDate today = PositionRepository.dayOf(clock.instant());
            for (int ahead = -1; ahead <= properties.partitionsAhead(); ahead++) {
                ensure(today.plusDays(ahead));
            }
            applyRetention();
            return true;
        });
    }

    private void applyRetention() {
        Instant now = clock.instant();
        Map<UUID, Long> retention = new java.util.LinkedHashMap<>();
        tenants.positionRetentions().forEach((tenant, kept) -> retention.put(tenant, kept.toSeconds()));
        long longest =
                retention.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (longest == 0) {
            return;
        }
        // A day is dropped only when all of it is past every tenant's retention.
        LocalDate oldestKept = PositionRepository.dayOf(now.minus(Duration.ofSeconds(longest)));
        for (LocalDate day : Set.copyOf(known)) {
            if (day.isBefore(oldestKept)) {
                transactions.executeWithoutResult(status -> {
                    repository.lockDdl(DDL_LOCK);
                    repository.dropPartition(day);
                });
                known.remove(day);
                log.info("Dropped position partition of {} (past every tenant's retention)", day);
            }
        }
        retention.forEach((tenant, seconds) -> {
            if (seconds < longest) {
                int deleted = repository.trimTenant(tenant, now.minus(Duration.ofSeconds(seconds)));
                if (deleted > 0) {
                    log.info("Deleted {} positions of tenant {} past its retention", deleted, tenant);
                }
            }
        });
    }
}
