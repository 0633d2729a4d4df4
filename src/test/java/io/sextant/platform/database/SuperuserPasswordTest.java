package io.sextant.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SuperuserPasswordTest {

    @Test
    void an_active_trust_line_is_found_and_a_commented_one_is_not() {
        assertThat(SuperuserPassword.trusts("local   all   all   trust\n")).isTrue();
        assertThat(SuperuserPassword.trusts("# a comment\nhost all all 127.0.0.1/32 trust # old\n"))
                .isTrue();
        assertThat(SuperuserPassword.trusts(
                        "# host all all 127.0.0.1/32 trust\n" + "host all all 127.0.0.1/32 scram-sha-256\n"))
                .isFalse();
    }
}
