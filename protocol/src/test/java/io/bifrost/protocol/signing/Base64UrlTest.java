package io.bifrost.protocol.signing;

import java.util.Base64;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

class Base64UrlTest
{
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    @Property
    void decodesWhatTheJdkEncodes(@ForAll @Size(max = 48) final byte[] bytes)
    {
        final String encoded = ENCODER.encodeToString(bytes);
        final byte[] decoded = new byte[bytes.length];

        assertThat(Base64Url.isCanonical(encoded, 0, encoded.length())).isTrue();
        assertThat(Base64Url.decodedLength(encoded.length())).isEqualTo(bytes.length);
        assertThat(Base64Url.decode(encoded, 0, encoded.length(), decoded)).isEqualTo(bytes.length);
        assertThat(decoded).isEqualTo(bytes);
    }

    @Property
    void acceptsExactlyTheJdksOwnEncodings(
        @ForAll @StringLength(max = 12) @CharRange(from = 'A', to = 'Z') @CharRange(from = 'a', to = 'z')
        @CharRange(from = '0', to = '9') @Chars({ '-', '_', '=', '+', '/', '.' }) final String text)
    {
        boolean jdkCanonical;
        try
        {
            jdkCanonical = text.indexOf('=') < 0 &&
                ENCODER.encodeToString(Base64.getUrlDecoder().decode(text)).equals(text);
        }
        catch (final IllegalArgumentException ex)
        {
            jdkCanonical = false;
        }

        assertThat(Base64Url.isCanonical(text, 0, text.length())).isEqualTo(jdkCanonical);
    }
}
