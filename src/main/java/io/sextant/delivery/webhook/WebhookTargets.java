package io.sextant.delivery.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server-side request forgery guard: a webhook may only reach the public internet. A target
 * whose host resolves to any loopback, private (RFC 1918, fc00::/7), link-local (169.254/16 with the
 * cloud metadata address, fe80::/10), shared (CGNAT 100.64/10), unspecified, multicast, broadcast or
 * reserved address is refused, unless that address lies in one of the explicitly allowed networks.
 * An IPv6 address that carries an IPv4 address the packet is really bound for (IPv4-mapped and
 * -compatible, NAT64, 6to4, Teredo) is refused when any IPv4 address it embeds is.
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
            range("ff00::/8", "a multicast address"),
            // Where a local-use NAT64 (RFC 8215) prefix leads depends on the operator's translator,
            // and its prefix length, which moves the IPv4 address inside it, is the operator's too.
            range("64:ff9b:1::/48", "a local-use NAT64 address (RFC 8215)"));

    /** IPv6 prefixes whose last 32 bits are an IPv4 address that the packet really goes to. */
    private static final List<Cidr> LAST_32_BITS_IPV4 = List.of(
            Cidr.parse("::ffff:0:0/96"), // IPv4-mapped
            Cidr.parse("::/96"), // IPv4-compatible (deprecated)
            Cidr.parse("64:ff9b::/96")); // NAT64, well-known prefix (RFC 6052)

    /** 6to4 (RFC 3056): the site's IPv4 address follows the prefix, in bits 16-47. */
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    /**
     * Teredo (RFC 4380): the server's IPv4 address in bits 32-63, the client's, every bit inverted,
     * in the last 32 bits.
     */
    private static final Cidr TEREDO = Cidr.parse("2001::/32");

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
        if (isAllowed(address)) {
            return null;
        }
        List<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isEmpty()) {
            return refusedRange(address);
        }
        for (InetAddress ipv4 : embedded) {
            String kind = isAllowed(ipv4) ? null : refusedRange(ipv4);
            if (kind != null) {
                return "an IPv6 address that leads to " + ipv4.getHostAddress() + ", which is " + kind;
            }
        }
        return null;
    }

    private boolean isAllowed(InetAddress address) {
        return allowed.stream().anyMatch(network -> network.contains(address));
    }

    private static @Nullable String refusedRange(InetAddress address) {
        for (Range range : REFUSED) {
            if (range.cidr().contains(address)) {
                return range.reason();
            }
        }
        return null;
    }

    /** The IPv4 addresses an IPv6 address hands its packets on to; empty for any other address. */
    static List<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return List.of();
        }
        byte[] bytes = address.getAddress();
        if (LAST_32_BITS_IPV4.stream().anyMatch(prefix -> prefix.contains(address))) {
            return List.of(ipv4(bytes, 12, 13, 14, 15));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return List.of(ipv4(bytes, 2, 3, 4, 5));
        }
        if (TEREDO.contains(address)) {
            byte[] inverted = bytes.clone();
            for (int i = 12; i < 16; i++) {
                inverted[i] = (byte) ~bytes[i];
            }
            return List.of(ipv4(bytes, 4, 5, 6, 7), ipv4(inverted, 12, 13, 14, 15));
        }
        return List.of();
    }

    private static InetAddress ipv4(byte[] bytes, int... positions) {
        byte[] ipv4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            ipv4[i] = bytes[positions[i]];
        }
        try {
            return InetAddress.getByAddress(ipv4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
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
