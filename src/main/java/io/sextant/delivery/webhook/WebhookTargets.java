package io.sextant.delivery.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server-side request forgery guard: a webhook may only reach the public internet. A target
 * whose host resolves to any loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the
 * cloud metadata address, fe80::/10), shared (CGNAT 100.64/10), unspecified, multicast, broadcast or
 * reserved address is refused, unless that address lies in one of the explicitly allowed networks.
 * IPv4 addresses embedded in IPv6 ones (mapped, compatible, NAT64) are judged as the IPv4 address.
 *
 * <p>Checked when a subscription is stored and again before every attempt, since DNS answers change.
 * The HTTP client resolves the host once more to connect, so a name whose answers flip between the
 * check and the connection can slip through; a resolver that pins answers closes that gap.
 */
public final class WebhookTargets {

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "an unspecified ('this network') address"),
            range("10.0.0.0/8", "a private (RFC 1918) address"),
            range("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            range("127.0.0.0/8", "a loopback address"),
            range("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
            range("172.16.0.0/12", "a private (RFC 1918) address"),
            range("192.0.0.0/24", "an IETF protocol address"),
            range("192.168.0.0/16", "a private (RFC 1918) address"),
            range("198.18.0.0/15", "a benchmarking address"),
            range("224.0.0.0/4", "a multicast address"),
            range("255.255.255.255/32", "the broadcast address"),
            range("240.0.0.0/4", "a reserved address"),
            range("::/128", "an unspecified address"),
            range("::1/128", "a loopback address"),
            range("fc00::/7", "a unique local (private) address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", "a site-local address"),
            range("ff00::/8", "a multicast address"));

    /** IPv6 prefixes whose last 32 bits are an IPv4 address that the packet really goes to. */
    private static final List<Cidr> EMBEDDING_IPV4 =
            List.of(Cidr.parse("::ffff:0:0/96"), Cidr.parse("64:ff9b::/96"), Cidr.parse("::/96"));

    private static final String HOW_TO_ALLOW =
            "; webhooks may only target public addresses unless SEXTANT_DELIVERY_WEBHOOK_ALLOWED_NETWORKS allows it";

    private final List<Cidr> allowed;
    private final Resolver resolver;

    /**
     * @param allowedNetworks CIDR ranges ({@code 127.0.0.1/32}, {@code fd00::/8}, or a bare address)
     *     that are allowed although a rule above refuses them
     */
    public WebhookTargets(List<String> allowedNetworks, Resolver resolver) {
        this.allowed = allowedNetworks.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    public static WebhookTargets usingDns(List<String> allowedNetworks) {
        return new WebhookTargets(allowedNetworks, InetAddress::getAllByName);
    }

    /**
     * Why {@code url} may not be a webhook target, or null if it may.
     *
     * @throws UnknownHostException when its host does not resolve
     */
    public @Nullable String refusal(URI url) throws UnknownHostException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs may be webhook targets";
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return "the URL names no host";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean literal = host.contains(":") || host.matches("[0-9.]+");
        for (InetAddress address : resolver.resolve(host)) {
            String kind = refusedKind(address);
            if (kind != null) {
                return (literal
                                ? address.getHostAddress() + " is "
                                : "host " + host + " resolves to " + address.getHostAddress() + ", which is ")
                        + kind
                        + HOW_TO_ALLOW;
            }
        }
        return null;
    }

    /** Why an attempt may not connect to {@code address}, or null if it may. */
    public @Nullable String refusal(InetAddress address) {
        String kind = refusedKind(address);
        return kind == null ? null : address.getHostAddress() + " is " + kind + HOW_TO_ALLOW;
    }

    private @Nullable String refusedKind(InetAddress address) {
        InetAddress judged = embeddedIpv4(address);
        for (Cidr network : allowed) {
            if (network.contains(address) || network.contains(judged)) {
                return null;
            }
        }
        for (Range range : REFUSED) {
            if (range.cidr().contains(judged)) {
                return range.reason();
            }
        }
        return null;
    }

    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return address;
        }
        byte[] bytes = address.getAddress();
        for (Cidr prefix : EMBEDDING_IPV4) {
            if (prefix.contains(address)) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are always an IPv4 address", e);
                }
            }
        }
        return address;
    }

    private static Range range(String cidr, String reason) {
        return new Range(Cidr.parse(cidr), reason);
    }

    private record Range(Cidr cidr, String reason) {}

    /** Resolves a host name (or address literal) to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A network: an address and how many of its leading bits are fixed. */
    static final class Cidr {

        private final byte[] network;
        private final int prefixLength;

        private Cidr(byte[] network, int prefixLength) {
            this.network = network;
            this.prefixLength = prefixLength;
        }

        static Cidr parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
            byte[] bytes = literalBytes(addressPart, text);
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR network such as 10.1.0.0/16", e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }

        /**
         * The bytes of an address literal, kept at their written length: {@code ::ffff:0:0} stays
         * sixteen bytes, where {@link InetAddress} would turn it into an IPv4 address.
         */
        private static byte[] literalBytes(String literal, String text) {
            boolean ipv6 = literal.contains(":");
            boolean ipv4 = literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
            if (!ipv6 && !ipv4) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR network such as 10.1.0.0/16");
            }
            try {
                InetAddress parsed = InetAddress.getByName(literal);
                byte[] bytes = parsed.getAddress();
                if (ipv6 && parsed instanceof Inet4Address) {
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(bytes, 0, mapped, 12, 4);
                    return mapped;
                }
                return bytes;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR network such as 10.1.0.0/16", e);
            }
        }
    }
}
