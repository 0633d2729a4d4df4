package io.sextant.demo;

import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.identity.FirstStart;
import io.sextant.shared.NodeRoles;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Decides at start whether there is a demo fleet ({@link #plan}), creates it, and runs its
 * simulator on a virtual thread from the moment the application is ready. A lifecycle of the last
 * phase, it stops the simulator before anything else stops (the web server's drain among them), so
 * a shutdown never sees a demo request refused.
 */
@Component
class DemoFleet implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DemoProperties properties;
    private final DemoTenant tenant;
    private final NodeRoles roles;
    private final Environment environment;
    private final MeterRegistry meters;
    private final Clock clock;
    private volatile boolean firstStart;
    private volatile boolean running;
    private @Nullable Thread simulator;

    DemoFleet(
            DemoProperties properties,
            DemoTenant tenant,
            NodeRoles roles,
            Environment environment,
            MeterRegistry meters,
            Clock clock) {
        this.properties = properties;
        this.tenant = tenant;
        this.roles = roles;
        this.environment = environment;
        this.meters = meters;
        this.clock = clock;
    }

    /** What this start does about the demo. */
    enum Plan {
        NONE,
        /** Create the demo tenant if it is missing, then simulate. */
        CREATE,
        /** Simulate the demo tenant that exists. */
        SIMULATE
    }

    /**
     * {@code auto} creates the demo only on the first start of an embedded database and keeps
     * simulating it on that database's later starts; never on a database someone configured.
     */
    static Plan plan(DemoProperties.Mode mode, boolean embedded, boolean firstStart, boolean exists) {
        return switch (mode) {
            case FALSE -> Plan.NONE;
            case TRUE -> Plan.CREATE;
            case AUTO -> !embedded ? Plan.NONE : firstStart ? Plan.CREATE : exists ? Plan.SIMULATE : Plan.NONE;
        };
    }

    @EventListener
    void on(FirstStart event) {
        firstStart = true;
    }

    @EventListener
    void on(ApplicationReadyEvent event) {
        // The same test as the database configuration's: no URL, the embedded server.
        boolean embedded = environment.getProperty("sextant.db.url", "").isBlank();
        Optional<UUID> existing = properties.enabled() == DemoProperties.Mode.FALSE ? Optional.empty() : tenant.find();
        Plan plan = plan(properties.enabled(), embedded, firstStart, existing.isPresent());
        if (plan == Plan.NONE) {
            return;
        }
        @Nullable String configured = properties.configuredPassword();
        DemoTenant.Found found = plan == Plan.CREATE
                ? tenant.findOrCreate(configured)
                : new DemoTenant.Found(existing.orElseThrow(), false, null);
        if (!roles.ingest()) {
            log.info("Demo fleet: not simulated on this node, which lacks the ingest role (SEXTANT_ROLES={})", roles);
            return;
        }
        int port = Integer.parseInt(environment.getProperty("local.server.port", "8080"));
        String apiKey = tenant.rotateKey(found.tenantId());
        start(found, port, apiKey);
        log.info(
                "Demo fleet: {} vans driving around Lyon in tenant '{}'. Watch them at http://localhost:{}/console"
                        + " as user '{}', password {}. Turn it off with SEXTANT_DEMO=false.",
                Fleet.SIZE,
                DemoTenant.SLUG,
                port,
                DemoTenant.USERNAME,
                password(found, configured));
    }

    private String password(DemoTenant.Found found, @Nullable String configured) {
        if (found.password() != null) {
            return "'" + found.password() + "'" + (configured == null ? " (generated, shown only this once)" : "");
        }
        if (configured != null && tenant.passwordIs(found.tenantId(), configured)) {
            return "'" + configured + "' (SEXTANT_DEMO_PASSWORD)";
        }
        return "as printed when the demo was created, on the first start";
    }

    private synchronized void start(DemoTenant.Found found, int port, String apiKey) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        PositionPoster poster = new PositionPoster(http, port, apiKey, meters);
        // The workflow API is served by nodes with the api role: without it, vans drive without missions.
        @Nullable
        Missions missions = roles.api() ? new Missions(http, port, apiKey, tenant.directory(found.tenantId())) : null;
        Fleet fleet = Fleet.start(clock.instant(), new SplittableRandom());
        running = true;
        simulator = Thread.ofVirtual().name("demo-fleet").start(() -> simulate(fleet, poster, missions, http));
    }

    /**
     * One batch per interval, and the missions of the vans that set off; after a failure, waits
     * longer each time and says so once per outage.
     */
    private void simulate(Fleet fleet, PositionPoster poster, @Nullable Missions missions, HttpClient http) {
        try (http) {
            Duration wait = properties.interval();
            boolean failing = false;
            boolean missionsFailing = false;
            while (running) {
                Thread.sleep(wait);
                Fleet.Tick tick = fleet.advance(clock.instant());
                if (missions != null) {
                    missionsFailing = dispatch(missions, tick.departures(), missionsFailing);
                }
                try {
                    int accepted = poster.post(tick.fixes());
                    if (failing && accepted > 0) {
                        log.info("Demo fleet: positions are accepted again");
                        failing = false;
                    }
                    wait = properties.interval();
                } catch (IOException | RequestRefused e) {
                    if (!running) {
                        return;
                    }
                    if (!failing) {
                        log.warn(
                                "Demo fleet: posting positions failed ({}); retrying, up to every {} s",
                                e.getMessage(),
                                MAX_BACKOFF.toSeconds());
                        failing = true;
                    }
                    wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Dispatches the missions of the departures; whether dispatching is failing now (said once per outage). */
    private boolean dispatch(Missions missions, List<Fleet.Departure> departures, boolean failing)
            throws InterruptedException {
        boolean stillFailing = failing;
        for (Fleet.Departure departure : departures) {
            try {
                if (missions.on(departure)) {
                    stillFailing = false;
                }
            } catch (IOException | RequestRefused e) {
                if (running && !stillFailing) {
                    log.warn("Demo fleet: dispatching a mission failed ({})", e.getMessage());
                }
                stillFailing = true;
            }
        }
        return stillFailing;
    }

    @Override
    public void start() {
        // The simulator starts once the application is ready (the bootstrap has run), not here.
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread thread = simulator;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            if (!thread.join(Duration.ofSeconds(5))) {
                log.warn("Demo fleet: the simulator did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        simulator = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
