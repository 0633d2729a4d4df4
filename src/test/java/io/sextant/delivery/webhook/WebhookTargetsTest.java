package io.sextant.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTest {

    /** Resolves only literals and a few made-up names, never through DNS. */
    private static final Map<String, String> NAMES = Map.of(
            "public.example", "93.184.216.34",
            "sneaky.example", "10.1.2.3",
            "metadata.example", "169.254.169.254");

    private final WebhookTargets targets = new WebhookTargets(List.of(), WebhookTargetsTest::resolve);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.0.1", // loopback
                "10.0.0.1",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1", // RFC 1918
                "169.254.169.254",
                "169.254.0.1", // link-local, the metadata address
                "100.64.0.1",
                "100.127.255.254", // CGNAT
                "0.0.0.0",
                "0.1.2.3", // unspecified, this network
                "224.0.0.1",
                "239.255.255.250", // multicast
                "255.255.255.255", // broadcast
                "240.0.0.1", // reserved
                "::1",
                "::", // loopback, unspecified
                "fc00::1",
                "fd12:3456::1", // unique local
                "fe80::1", // link-local
                "ff02::1", // multicast
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::ffff:169.254.169.254", // IPv4-mapped
                "64:ff9b::a00:1" // NAT64 of 10.0.0.1
            })
    void an_address_in_a_refused_range_is_refused(String address) throws Exception {
        assertThat(targets.refusal(InetAddress.getByName(address))).isNotNull();
        assertThat(targets.refusal(URI.create("https://" + literal(address) + "/hook")))
                .contains("webhooks may only target public addresses");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"})
    void a_public_address_is_allowed(String address) throws Exception {
        assertThat(targets.refusal(InetAddress.getByName(address))).isNull();
        assertThat(targets.refusal(URI.create("https://" + literal(address) + "/hook")))
                .isNull();
    }

    /**
     * IPv6 addresses that lead to an IPv4 address: refused exactly when that address is. Columns:
     * the IPv6 address, what it carries, and the refusal's wording (empty: allowed).
     */
    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // 6to4 (2002::/16): the IPv4 address is in bits 16-47
                "2002:a9fe:a9fe::          | 6to4 of the metadata address 169.254.169.254 | link-local",
                "2002:a9fe:a9fe:1::1       | 6to4 of 169.254.169.254, another host        | link-local",
                "2002:a00:1::              | 6to4 of 10.0.0.1                             | private",
                "2002:7f00:1::1            | 6to4 of 127.0.0.1                            | loopback",
                "2002:c0a8:101::           | 6to4 of 192.168.1.1                          | private",
                "2002:808:808::1           | 6to4 of 8.8.8.8                              | -",
                // Teredo (2001::/32): server in bits 32-63, client inverted in the last 32 bits
                "2001:0:a00:1::f7f7:f7f7                   | Teredo, server 10.0.0.1, client 8.8.8.8             | private",
                "2001:0:4136:e378:8000:63bf:3f57:fefe      | Teredo, client 192.168.1.1                          | private",
                "2001:0:4136:e378::5601:5601               | Teredo, client 169.254.169.254                      | link-local",
                "2001:0:4136:e378:8000:63bf:80ff:fffe      | Teredo, client 127.0.0.1                            | loopback",
                "2001:0:4136:e378:8000:63bf:f7f7:f7f7      | Teredo, server 65.54.227.120, client 8.8.8.8        | -",
                // NAT64, well-known prefix (64:ff9b::/96): the last 32 bits
                "64:ff9b::a9fe:a9fe        | NAT64 of 169.254.169.254                     | link-local",
                "64:ff9b::7f00:1           | NAT64 of 127.0.0.1                           | loopback",
                "64:ff9b::808:808          | NAT64 of 8.8.8.8                             | -",
                // local-use NAT64 (64:ff9b:1::/48): where it leads is the operator's choice
                "64:ff9b:1::808:808        | local-use NAT64, /96 placement of 8.8.8.8    | local-use NAT64",
                "64:ff9b:1:a9fe:a9:fe00::  | local-use NAT64, /48 placement of 169.254.169.254 | local-use NAT64",
                // IPv4-mapped and IPv4-compatible, kept as IPv6
                "::ffff:a9fe:a9fe          | IPv4-mapped 169.254.169.254                  | link-local",
                "::a00:1                   | IPv4-compatible 10.0.0.1                     | private",
                "::808:808                 | IPv4-compatible 8.8.8.8                      | -",
            })
    void an_ipv6_address_that_carries_an_ipv4_address_is_judged_by_it(String address, String carries, String refusal)
            throws Exception {
        InetAddress ipv6 = sixteenBytes(address);

        if (refusal == null) {
            assertThat(targets.refusal(ipv6)).as(carries).isNull();
            assertThat(targets.refusal(URI.create("https://[" + address + "]/hook")))
                    .as(carries)
                    .isNull();
        } else {
            assertThat(targets.refusal(ipv6)).as(carries).contains(refusal);
            assertThat(targets.refusal(URI.create("http://[" + address + "]/")))
                    .as(carries)
                    .contains(refusal)
                    .contains("webhooks may only target public addresses");
        }
    }

    @Test
    void an_allowed_network_lets_an_ipv6_address_through_by_the_ipv4_address_it_carries() throws Exception {
        WebhookTargets local = new WebhookTargets(List.of("10.0.0.0/8"), WebhookTargetsTest::resolve);

        assertThat(local.refusal(URI.create("http://[2002:a00:1::]/"))).isNull();
        assertThat(local.refusal(URI.create("http://[2002:a9fe:a9fe::]/"))).contains("link-local");
    }

    @Test
    void an_ipv4_mapped_ipv6_address_kept_as_ipv6_is_judged_by_its_ipv4_address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};

        assertThat(targets.refusal(Inet6Address.getByAddress(null, mapped, -1))).contains("loopback");
        assertThat(targets.refusal(Inet6Address.getByAddress(null, mappedPublic, -1)))
                .isNull();
    }

    @Test
    void a_host_name_is_judged_by_every_address_it_resolves_to() throws Exception {
        assertThat(targets.refusal(URI.create("https://public.example/hook"))).isNull();
        assertThat(targets.refusal(URI.create("https://sneaky.example/hook")))
                .startsWith("host sneaky.example resolves to 10.1.2.3, which is a private");
        assertThat(targets.refusal(URI.create("http://metadata.example/latest/meta-data")))
                .contains("link-local");
    }

    @Test
    void a_host_that_does_not_resolve_is_reported_as_such() {
        assertThatThrownBy(() -> targets.refusal(URI.create("https://nowhere.invalid/")))
                .isInstanceOf(UnknownHostException.class);
    }

    @Test
    void schemes_other_than_http_and_https_are_refused() throws Exception {
        assertThat(targets.refusal(URI.create("ftp://public.example/x"))).contains("http");
        assertThat(targets.refusal(URI.create("file:///etc/passwd"))).contains("http");
        assertThat(targets.refusal(URI.create("gopher://public.example/"))).contains("http");
    }

    @Test
    void an_allowed_network_lets_its_addresses_through_and_no_others() throws Exception {
        WebhookTargets local =
                new WebhookTargets(List.of("127.0.0.1/32", "fd00::/8", "10.1.0.0/16"), WebhookTargetsTest::resolve);

        assertThat(local.refusal(URI.create("http://127.0.0.1:8080/hook"))).isNull();
        assertThat(local.refusal(URI.create("http://[fd00::5]/hook"))).isNull();
        assertThat(local.refusal(URI.create("https://sneaky.example/hook"))).isNull();
        assertThat(local.refusal(URI.create("http://127.0.0.2/hook"))).contains("loopback");
        assertThat(local.refusal(URI.create("http://10.2.0.1/hook"))).contains("private");
        assertThat(local.refusal(URI.create("http://[fc00::5]/hook"))).contains("unique local");
    }

    @Test
    void an_allowed_network_that_is_not_a_cidr_is_refused_at_start() {
        assertThatThrownBy(() -> new WebhookTargets(List.of("localhost/8"), WebhookTargetsTest::resolve))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localhost/8");
        assertThatThrownBy(() -> new WebhookTargets(List.of("10.0.0.0/33"), WebhookTargetsTest::resolve))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The address as IPv6, even where {@link InetAddress} would turn it into IPv4 (mapped ones). */
    private static InetAddress sixteenBytes(String address) throws UnknownHostException {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        if (bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    private static String literal(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = NAMES.get(host);
        if (address != null) {
            return new InetAddress[] {
                InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())
            };
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
    }
}
