// A webhook receiver for trying Sextant out: prints every delivery and checks its Standard Webhooks
// signature. Needs only a JDK (11+ runs a single source file):
//
//   WEBHOOK_SECRET=whsec_... java scripts/WebhookReceiver.java 9000 [bind address, default 127.0.0.1]
//
// Answers 204 to every POST. Without WEBHOOK_SECRET it prints deliveries without checking them.
// Bind 0.0.0.0 when Sextant runs in a container and reaches it as host.docker.internal.
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookReceiver {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        String bind = args.length > 1 ? args[1] : "127.0.0.1";
        String secret = System.getenv("WEBHOOK_SECRET");
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            String verdict = "unchecked (no WEBHOOK_SECRET)";
            if (secret != null && id != null && timestamp != null && signatures != null) {
                verdict = verifies(secret, id, timestamp, body, signatures) ? "signature ok" : "SIGNATURE MISMATCH";
            }
            System.out.println("webhook-id " + id + " · " + verdict);
            System.out.println(new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("Listening on http://" + bind + ":" + port + "/");
    }

    // Standard Webhooks: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), key = base64 after "whsec_";
    // the header holds space-separated "v1,<signature>" entries.
    static boolean verifies(String secret, String id, String timestamp, byte[] body, String header) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
            for (String entry : header.split(" ")) {
                if (entry.startsWith("v1,")
                        && MessageDigest.isEqual(expected, entry.substring(3).getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
