package io.sextant.jobs;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The {@link JobHandler} beans by kind. Looked up lazily, so a handler may itself depend on {@link
 * Jobs} (to queue follow-up work) without a dependency cycle.
 */
@Component
class JobHandlers {

    private final ObjectProvider<JobHandler> provider;
    private volatile @Nullable Map<String, JobHandler> byKind;

    JobHandlers(ObjectProvider<JobHandler> provider) {
        this.provider = provider;
    }

    Optional<JobHandler> find(String kind) {
        return Optional.ofNullable(byKind().get(kind));
    }

    Collection<JobHandler> all() {
        return byKind().values();
    }

    private Map<String, JobHandler> byKind() {
        Map<String, JobHandler> known = byKind;
        if (known == null) {
            Map<String, JobHandler> handlers = new LinkedHashMap<>();
            provider.orderedStream().forEach(handler -> {
                JobHandler other = handlers.putIfAbsent(handler.kind(), handler);
                if (other != null) {
                    throw new IllegalStateException("two handlers for job kind '" + handler.kind() + "': "
                            + other.getClass().getName() + " and "
                            + handler.getClass().getName());
                }
            });
            known = Map.copyOf(handlers);
            byKind = known;
        }
        return known;
    }
}
