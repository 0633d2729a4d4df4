package io.sextant.events;

import io.sextant.shared.TenantContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/** Zone events appended straight to the event log, as the fence engine writes them, for the stream tests. */
final class AppendedEvents {

    private AppendedEvents() {}

    /** Appends {@code count} events of {@code type} about {@code asset} in one transaction; their ids in log order. */
    static List<String> append(
            EventLog eventLog, TransactionTemplate transactions, String tenant, String type, UUID asset, int count) {
        UUID tenantId = UUID.fromString(tenant);
        return TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        UUID zone = UUID.randomUUID();
                        ids.add(eventLog.append(new NewEvent(
                                        tenantId,
                                        type,
                                        "/zones/" + zone,
                                        asset.toString(),
                                        Instant.now(),
                                        asset,
                                        zone,
                                        List.of(),
                                        List.of(),
                                        Map.of("assetId", asset.toString(), "zoneId", zone.toString())))
                                .toString());
                    }
                    return ids;
                }));
    }
}
