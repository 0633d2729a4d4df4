package io.sextant.delivery.webhook;

import io.sextant.delivery.AttemptOutcome;
import io.sextant.delivery.ChannelSpec;
import io.sextant.delivery.DeliveryChannel;
import io.sextant.delivery.DeliveryProperties;
import io.sextant.events.CloudEventJson;
import io.sextant.events.Event;
import io.sextant.shared.problem.InvalidInput;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Delivers an event as a Standard Webhooks POST: the CloudEvents JSON document as body ({@code
 * application/cloudevents+json}), {@code webhook-id} = the event id (the same on every retry and
 * replay, so receivers deduplicate on it), {@code webhook-timestamp} = this attempt's Unix time and
 * {@code webhook-signature}. A 2xx answer within the subscription's timeout is a success; any other
 * status, a redirect (never followed), a timeout or a network error is a failed attempt.
 */
@Component
public class WebhookChannel implements DeliveryChannel, DisposableBean {

    /** CloudEvents structured mode. */
    static final String MEDIA_TYPE = "application/cloudevents+json";

    private final WebhookTargets targets;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(ChannelSpec.Webhook.MAX_TIMEOUT_MS))
            .build();

    WebhookChannel(DeliveryProperties properties, Clock clock) {
        this.targets = WebhookTargets.usingDns(properties.webhook().allowedNetworks());
        this.clock = clock;
    }

    @Override
    public String type() {
        return ChannelSpec.WEBHOOK;
    }

    @Override
    public void check(ChannelSpec spec) {
        ChannelSpec.Webhook webhook = (ChannelSpec.Webhook) spec;
        String refusal;
        try {
            refusal = targets.refusal(webhook.uri());
        } catch (UnknownHostException e) {
            refusal = "host " + webhook.uri().getHost() + " does not resolve";
        }
        if (refusal != null) {
            throw new InvalidInput("channel.url", refusal);
        }
    }

    @Override
    public AttemptOutcome deliver(Event event, ChannelSpec spec, @Nullable String secret) {
        ChannelSpec.Webhook webhook = (ChannelSpec.Webhook) spec;
        long started = System.nanoTime();
        URI uri = webhook.uri();
        try {
            String refusal = targets.refusal(uri);
            if (refusal != null) {
                return AttemptOutcome.refused(millisSince(started), refusal);
            }
        } catch (UnknownHostException e) {
            return AttemptOutcome.failed(null, millisSince(started), "host " + uri.getHost() + " does not resolve");
        }
        if (secret == null) {
            return AttemptOutcome.refused(millisSince(started), "the subscription has no signing secret");
        }
        String body = CloudEventJson.render(event);
        String id = event.id().toString();
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(webhook.timeoutMs()))
                .header("Content-Type", MEDIA_TYPE)
                .header("User-Agent", "Sextant-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(secret, id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        CompletableFuture<HttpResponse<Void>> exchange =
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // One bound for the whole exchange, connection and body included.
            int status =
                    exchange.get(webhook.timeoutMs(), TimeUnit.MILLISECONDS).statusCode();
            long latency = millisSince(started);
            return status >= 200 && status < 300
                    ? AttemptOutcome.delivered(status, latency)
                    : AttemptOutcome.failed(status, latency, "HTTP " + status);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return AttemptOutcome.failed(
                    null, millisSince(started), "no response within " + webhook.timeoutMs() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String reason = cause instanceof java.net.http.HttpTimeoutException
                    ? "no response within " + webhook.timeoutMs() + " ms"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return AttemptOutcome.failed(null, millisSince(started), reason);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return AttemptOutcome.failed(null, millisSince(started), "interrupted (shutting down)");
        }
    }

    @Override
    public void destroy() {
        http.shutdownNow();
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
