package io.sextant.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT broker for tests: the one named by {@code SEXTANT_TEST_MQTT_URL} (CI sets the machine's
 * Mosquitto, tcp://127.0.0.1:1883), or else Moquette started in-process on a free loopback port for
 * the whole test run, so the tests need nothing but a JDK. Tests share it: each publishes under a
 * topic root of its own ({@link #root}) and removes the persistent sessions it made ({@link
 * #forgetSession}).
 */
public final class TestMqtt {

    private static String url;

    private TestMqtt() {}

    public static synchronized String url() {
        if (url == null) {
            String configured = System.getenv("SEXTANT_TEST_MQTT_URL");
            url = configured != null && !configured.isBlank() ? configured : startEmbedded();
        }
        return url;
    }

    /** A topic root of the caller's own, {@code test-<name>-<uuid>}. */
    public static String root(String name) {
        return "test-" + name + "-" + UUID.randomUUID();
    }

    /** A connected publisher (MQTT 3.1.1, clean session); close it after use. */
    public static MqttClient publisher() {
        return publisher(url());
    }

    /** A publisher connected to the broker at {@code brokerUrl}. */
    public static MqttClient publisher(String brokerUrl) {
        try {
            MqttClient client =
                    new MqttClient(brokerUrl, "test-publisher-" + UUID.randomUUID(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            // Paho counts a publish as in flight a moment after it returns: a tight loop of publishes
            // would hit its default window of 10 ("Too many publishes in progress").
            options.setMaxInflight(1_000);
            client.connect(options);
            return client;
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to the test MQTT broker " + brokerUrl, e);
        }
    }

    /** Publishes with QoS 1, and returns once the broker has it (PUBACK). */
    public static void publish(MqttClient client, String topic, String payload) {
        try {
            MqttMessage message = new MqttMessage(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Ends the persistent session of {@code clientId} at the broker (a clean-session connect does). */
    public static void forgetSession(String clientId) {
        try {
            MqttClient client = new MqttClient(url(), clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            client.disconnect();
            client.close();
        } catch (MqttException e) {
            System.err.println("could not end the MQTT session of " + clientId + ": " + e);
        }
    }

    private static String startEmbedded() {
        int port = PackagedJar.freePort();
        Server server = startBroker(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stopServer, "stop-test-mqtt-broker"));
        return "tcp://127.0.0.1:" + port;
    }

    /** A Moquette broker on {@code port} of the loopback, keeping nothing on disk; stop it after use. */
    public static Server startBroker(int port) {
        Properties properties = new Properties();
        properties.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        properties.setProperty(IConfig.PORT_PROPERTY_NAME, String.valueOf(port));
        properties.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        properties.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        properties.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        properties.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        properties.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(2 * 1024 * 1024));
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(properties));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker", e);
        }
        return server;
    }
}
