package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.shared.NulCharacters;
import io.sextant.shared.problem.FieldError;
import org.junit.jupiter.api.Test;

class MalformedInputFilterTest {

    @Test
    void ordinary_query_strings_pass() {
        assertThat(MalformedInputFilter.invalidParameter("name=Depot%20North&tag=a&tag=b&empty=&flag"))
                .isNull();
        assertThat(MalformedInputFilter.invalidParameter("q=%C3%A9t%C3%A9+%E2%82%AC"))
                .isNull();
    }

    @Test
    void a_nul_in_a_value_is_refused_naming_the_parameter() {
        assertThat(MalformedInputFilter.invalidParameter("limit=10&name=%00"))
                .isEqualTo(new FieldError("name", NulCharacters.REASON));
        assertThat(MalformedInputFilter.invalidParameter("type=a%00b"))
                .isEqualTo(new FieldError("type", NulCharacters.REASON));
    }

    @Test
    void a_nul_in_a_name_is_refused_naming_it_as_sent() {
        assertThat(MalformedInputFilter.invalidParameter("a%00=1"))
                .isEqualTo(new FieldError("a%00", "a parameter name " + NulCharacters.REASON));
    }

    @Test
    void invalid_utf_8_and_broken_escapes_are_refused() {
        for (String query : new String[] {"q=%FF%FE", "q=%C0%80", "q=%ED%A0%80", "q=%E2%82", "q=%zz", "q=%4"}) {
            assertThat(MalformedInputFilter.invalidParameter(query))
                    .as(query)
                    .isEqualTo(new FieldError("q", "is not valid UTF-8 percent-encoding"));
        }
    }
}
