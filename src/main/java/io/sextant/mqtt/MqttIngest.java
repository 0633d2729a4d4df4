package io.sextant.mqtt;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sextant.shared.NodeRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sextant's client of the MQTT broker, on nodes with the ingest role when {@code sextant.mqtt.url}
 * is set. It keeps a persistent session (clean session off, a stable client id) and subscribes to
 * every source's topic with QoS 1 (or 2), so the broker holds the messages published while Sextant
 * is away. Each message is acknowledged to the broker only after {@link MqttMessages} has stored it:
 * a message Sextant took but did not store before a crash is delivered again to the next session,
 * and position ingest's idempotency makes the second delivery a duplicate. Messages are handed to
 * one thread that stores them in batches, in the order they came, and acknowledges them in that
 * order (as MQTT 3.1.1 requires).
 */
@Component
class MqttIngest implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MqttIngest.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);

    private final MqttProperties properties;
    private final MqttMessages messages;
    private final NodeRoles roles;
    private final BlockingQueue<Received> queue = new ArrayBlockingQueue<>(1_000);
    private volatile boolean running;
    private volatile boolean connected;
    private volatile @Nullable MqttAsyncClient client;
    private volatile @Nullable Thread worker;

    MqttIngest(MqttProperties properties, MqttMessages messages, NodeRoles roles, MeterRegistry meters) {
        this.properties = properties;
        this.messages = messages;
        this.roles = roles;
        Gauge.builder("sextant.mqtt.connected", this, ingest -> ingest.connected ? 1 : 0)
                .description("1 while connected to the MQTT broker, 0 otherwise (and where MQTT ingest is off)")
                .register(meters);
        Gauge.builder("sextant.mqtt.pending", queue, BlockingQueue::size)
                .description("MQTT messages received and not yet stored")
                .register(meters);
    }

    /** Whether this node takes positions from MQTT: a broker is configured and the node ingests. */
    boolean enabled() {
        return properties.enabled() && roles.ingest();
    }

    boolean connected() {
        return connected;
    }

    @Override
    public void start() {
        if (!enabled() || running) {
            return;
        }
        messages.checkKeys();
        try {
            MqttAsyncClient created = new MqttAsyncClient(
                    String.valueOf(properties.url()), properties.clientId(), new MemoryPersistence());
            created.setManualAcks(true);
            created.setCallback(new Callback());
            client = created;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot create the MQTT client for " + properties.url() + ": " + e, e);
        }
        running = true;
        worker = Thread.ofPlatform().name("sextant-mqtt-ingest").daemon().start(this::run);
    }

    private MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay((int) LAST_RETRY.toMillis());
        options.setKeepAliveInterval((int) properties.keepAlive().toSeconds());
        options.setConnectionTimeout(10);
        String username = properties.username();
        if (username != null && !username.isBlank()) {
            options.setUserName(username);
            String password = properties.password();
            options.setPassword(password == null ? new char[0] : password.toCharArray());
        }
        return options;
    }

    private void run() {
        connectFirst();
        List<Received> batch = new ArrayList<>();
        while (running) {
            try {
                if (batch.isEmpty()) {
                    Received first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                }
                queue.drainTo(batch, properties.maxBatchMessages() - batch.size());
                if (store(batch)) {
                    acknowledge(batch);
                }
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Not acknowledged, so kept: the broker would deliver them again only to a new connection.
                log.error("MQTT ingest failed unexpectedly; trying its batch again", e);
                if (!sleep(FIRST_RETRY)) {
                    return;
                }
            }
        }
    }

    /** The first connection; Paho reconnects by itself only after one succeeded. */
    private void connectFirst() {
        Duration wait = FIRST_RETRY;
        while (running) {
            MqttAsyncClient current = client;
            if (current == null) {
                return;
            }
            try {
                current.connect(options()).waitForCompletion(15_000);
                return;
            } catch (MqttException e) {
                log.warn("Cannot connect to the MQTT broker {} ({}); trying again in {}", properties.url(), e, wait);
                if (!sleep(wait)) {
                    return;
                }
                wait = next(wait);
            }
        }
    }

    /** Stores the batch, trying again while it fails; false if this node stopped first. */
    private boolean store(List<Received> batch) throws InterruptedException {
        Duration wait = FIRST_RETRY;
        while (running) {
            try {
                messages.store(batch);
                return true;
            } catch (RuntimeException e) {
                log.warn(
                        "Could not store {} MQTT messages ({}); trying again in {} (they stay unacknowledged)",
                        batch.size(),
                        e.toString(),
                        wait);
                if (!sleep(wait)) {
                    return false;
                }
                wait = next(wait);
            }
        }
        return false;
    }

    private void acknowledge(List<Received> batch) {
        MqttAsyncClient current = client;
        if (current == null) {
            return;
        }
        for (Received message : batch) {
            try {
                current.messageArrivedComplete(message.id(), message.qos());
            } catch (MqttException | RuntimeException e) {
                // The connection went away: the broker delivers the message again to the next
                // connection of this session, where it is a duplicate.
                log.debug("Could not acknowledge MQTT message {}: {}", message.id(), e.toString());
            }
        }
    }

    private static Duration next(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
    }

    private boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops taking messages, lets the batch being stored finish and be acknowledged, and disconnects:
     * what was received and not acknowledged is delivered again to the next session.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        Thread current = worker;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (current.isAlive()) {
                current.interrupt();
            }
        }
        MqttAsyncClient mqtt = client;
        client = null;
        connected = false;
        if (mqtt != null) {
            try {
                if (mqtt.isConnected()) {
                    mqtt.disconnect(5_000).waitForCompletion(6_000);
                }
            } catch (MqttException e) {
                log.debug("MQTT disconnect: {}", e.toString());
            }
            try {
                mqtt.close(true);
            } catch (MqttException e) {
                log.debug("MQTT close: {}", e.toString());
            }
        }
        queue.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after, and stops before, the position writer (whose phase is {@code DEFAULT_PHASE - 4096}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private final class Callback implements MqttCallbackExtended {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            connected = true;
            log.info(
                    "{} the MQTT broker {} as {}",
                    reconnect ? "Reconnected to" : "Connected to",
                    serverUri,
                    properties.clientId());
            MqttAsyncClient current = client;
            if (current == null) {
                return;
            }
            // The session keeps the subscriptions; subscribing again is harmless and covers a
            // broker that lost its sessions.
            List<MqttMessages.Subscribed> sources = messages.sources();
            String[] filters =
                    sources.stream().map(s -> s.filter().subscription()).toArray(String[]::new);
            int[] qos = sources.stream().mapToInt(s -> properties.qos()).toArray();
            try {
                current.subscribe(filters, qos, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] granted = token.getGrantedQos();
                        for (int i = 0; i < granted.length && i < filters.length; i++) {
                            if (granted[i] == 0x80) {
                                log.error("The MQTT broker refused the subscription to {} (its ACL?)", filters[i]);
                            } else if (granted[i] < 1) {
                                log.warn(
                                        "The MQTT broker granted only QoS {} to {}: messages may be lost",
                                        granted[i],
                                        filters[i]);
                            }
                        }
                        log.info("Subscribed to MQTT {}", String.join(", ", filters));
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable failure) {
                        log.error("Could not subscribe to MQTT {}: {}", String.join(", ", filters), failure.toString());
                    }
                });
            } catch (MqttException e) {
                log.error("Could not subscribe to MQTT {}: {}", String.join(", ", filters), e.toString());
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            connected = false;
            log.warn(
                    "Lost the connection to the MQTT broker {} ({}); reconnecting", properties.url(), cause.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            // Blocks Paho's delivery while the queue is full: the broker then holds what follows.
            queue.put(new Received(topic, message.getPayload(), message.getId(), message.getQos()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Sextant publishes nothing.
        }
    }
}
