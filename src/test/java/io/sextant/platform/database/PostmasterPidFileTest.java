package io.sextant.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostmasterPidFileTest {

    @Test
    void a_complete_file_gives_pid_data_directory_start_time_and_port() {
        List<String> lines = List.of(
                "17627", "/tmp/exp-pg", "1796304571", "55432", "", "127.0.0.1", "  2172249        20", "ready   ");

        assertThat(PostmasterPidFile.parse(lines))
                .contains(
                        new PostmasterPidFile(17627, Path.of("/tmp/exp-pg"), Instant.ofEpochSecond(1796304571), 55432));
    }

    @Test
    void a_file_the_server_is_still_writing_is_not_read_as_complete() {
        assertThat(PostmasterPidFile.parse(List.of("17627", "/tmp/exp-pg"))).isEmpty();
        assertThat(PostmasterPidFile.parse(List.of("17627", "/tmp/exp-pg", "1796304571", "")))
                .isEmpty();
    }
}
