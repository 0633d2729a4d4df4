package io.sextant.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void the_standard_webhooks_test_vector_is_reproduced_exactly() {
        // Published with the Standard Webhooks reference libraries (e.g. libraries/java WebhookTest).
        String signature = WebhookSignature.sign(
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void a_new_secret_is_whsec_and_the_base64_of_24_random_bytes() {
        String secret = WebhookSignature.newSecret();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length())))
                .hasSize(24);
        assertThat(WebhookSignature.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void a_signature_with_a_fresh_secret_matches_an_independent_hmac_over_id_timestamp_and_body() throws Exception {
        String secret = WebhookSignature.newSecret();
        String body = "{\"specversion\":\"1.0\",\"data\":{\"text\":\"grüße\"}}";

        String signature = WebhookSignature.sign(secret, "event-1", 1_700_000_000L, body);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        String expected = "v1,"
                + Base64.getEncoder()
                        .encodeToString(mac.doFinal(("event-1.1700000000." + body).getBytes(StandardCharsets.UTF_8)));
        assertThat(signature).isEqualTo(expected);
    }
}
