package io.sextant.platform.http;

import com.fasterxml.jackson.annotation.Nulls;
import io.sextant.shared.TimeBounds;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.Formatter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * How request values become Java values, the same way for every endpoint: JSON bodies refuse
 * {@code null} inside arrays and maps (a member meant to hold free JSON, like {@code attributes},
 * opts out), and instants and durations, in bodies and in parameters, must lie within {@link
 * TimeBounds}. Each refusal is a 400 naming the member or parameter.
 */
@Configuration(proxyBeanMethods = false)
class InputBindingConfiguration implements WebMvcConfigurer {

    @Bean
    JsonMapperBuilderCustomizer boundedJsonInput() {
        return builder -> builder.changeDefaultNullHandling(handling -> handling.withContentNulls(Nulls.FAIL))
                .addModule(new SimpleModule("sextant-time-bounds").setDeserializerModifier(new TimeBoundsModifier()));
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addFormatterForFieldType(Instant.class, new InstantFormatter());
        registry.addFormatterForFieldType(Duration.class, new DurationFormatter());
    }

    /** Wraps Jackson's own instant and duration readers with the bounds check. */
    static final class TimeBoundsModifier extends ValueDeserializerModifier {

        @Override
        public ValueDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            return type == Instant.class || type == Duration.class ? new Bounded(deserializer) : deserializer;
        }
    }

    /** Reads a value with the wrapped deserializer, then refuses it outside the bounds. */
    static final class Bounded extends DelegatingDeserializer {

        Bounded(ValueDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Bounded(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            // Jackson wraps the exception with the member's path; the problem names it with this reason.
            return switch (super.deserialize(parser, context)) {
                case Instant instant -> TimeBounds.check(instant);
                case Duration duration -> TimeBounds.check(duration);
                case Object other -> other;
            };
        }
    }

    /** RFC 3339 timestamps in query parameters and headers, within the bounds. */
    static final class InstantFormatter implements Formatter<Instant> {

        @Override
        public Instant parse(String text, Locale locale) {
            return TimeBounds.parseInstant(text);
        }

        @Override
        public String print(Instant instant, Locale locale) {
            return instant.toString();
        }
    }

    /** ISO 8601 durations in query parameters and headers, within the bounds. */
    static final class DurationFormatter implements Formatter<Duration> {

        @Override
        public Duration parse(String text, Locale locale) {
            return TimeBounds.parseDuration(text);
        }

        @Override
        public String print(Duration duration, Locale locale) {
            return duration.toString();
        }
    }
}
