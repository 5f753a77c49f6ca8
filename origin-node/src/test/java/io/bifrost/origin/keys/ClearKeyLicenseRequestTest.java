package io.bifrost.origin.keys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClearKeyLicenseRequestTest
{
    private static ClearKeyLicenseRequest parse(final String json) throws ClearKeyLicenseRequest.Malformed
    {
        return ClearKeyLicenseRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadTheKidsAChromiumCdmSends() throws Exception
    {
        final ClearKeyLicenseRequest request = parse("{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"],\"type\":\"temporary\"}");
        assertThat(request.kids()).singleElement().satisfies(kid ->
            assertThat(kid).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        assertThat(request.type()).isEqualTo("temporary");
        assertThat(parse("{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"]}").type()).isEqualTo("temporary");
    }

    @Test
    void shouldRefuseAnythingElseWithAReason()
    {
        for (final String bad : new String[] {"", "[]", "{}", "{\"kids\":[]}", "{\"kids\":\"x\"}",
            "{\"kids\":[\"AAEC\"]}", "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw==\"]}", "{\"kids\":[1]}",
            "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"],\"type\":\"forever\"}",
            "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"],\"extra\":1}",
            "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"],\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"]}",
            "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"]} {}", "{\"kids\":[\"AAECAwQFBgcICQoLDA0OD!\"]}"})
        {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(ClearKeyLicenseRequest.Malformed.class)
                .hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> ClearKeyLicenseRequest.parse(new byte[ClearKeyLicenseRequest.MAX_BODY_BYTES + 1]))
            .isInstanceOf(ClearKeyLicenseRequest.Malformed.class).hasMessageContaining("over");
        assertThatThrownBy(() -> parse("{\"kids\":[" + "\"AAECAwQFBgcICQoLDA0ODw\",".repeat(16) +
            "\"AAECAwQFBgcICQoLDA0ODw\"]}")).isInstanceOf(ClearKeyLicenseRequest.Malformed.class)
            .hasMessageContaining("more than 16");
    }
}
