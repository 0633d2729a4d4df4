package io.sextant.delivery;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The delivery channels there are, one per {@link ChannelSpec#type()}. */
@Component
class DeliveryChannels {

    private final Map<String, DeliveryChannel> byType;

    DeliveryChannels(List<DeliveryChannel> channels) {
        this.byType =
                channels.stream().collect(Collectors.toUnmodifiableMap(DeliveryChannel::type, Function.identity()));
    }

    DeliveryChannel get(String type) {
        DeliveryChannel channel = byType.get(type);
        if (channel == null) {
            throw new IllegalStateException("no delivery channel of type " + type);
        }
        return channel;
    }
}
