package io.sextant.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreferencesTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "return=minimal|true",
                "RETURN=Minimal|true",
                "return = minimal|true",
                "return=\"minimal\"|true",
                "respond-async, return=minimal; foo=bar|true",
                "wait=10,return=minimal|true",
                "return=representation|false",
                "return=minimalist|false",
                "handling=lenient|false",
                "''|false",
                "null|false"
            })
    void return_minimal_is_read_among_other_preferences(String header, boolean minimal) {
        assertThat(Preferences.returnMinimal(header)).isEqualTo(minimal);
    }
}
