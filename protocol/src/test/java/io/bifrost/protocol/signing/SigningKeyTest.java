package io.bifrost.protocol.signing;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SigningKeyTest
{
    @Test
    void shouldNeverPrintTheSecret()
    {
        final SigningKey key = TestKeys.key1();
        final String text = key + " " + new SigningKeyRing(key);

        assertThat(text).contains("k1", "redacted")
            .doesNotContain(new String(TestKeys.SECRET_1, java.nio.charset.StandardCharsets.US_ASCII))
            .doesNotContainIgnoringCase(HexFormat.of().formatHex(TestKeys.SECRET_1))
            .doesNotContain(Base64.getEncoder().encodeToString(TestKeys.SECRET_1));
    }

    @Test
    void shouldCopyTheSecretSoTheCallerCanWipeIt()
    {
        final byte[] secret = TestKeys.SECRET_1.clone();
        final SigningKey key = new SigningKey("k1", secret);
        final String token = new UrlSigner(new SigningKeyRing(key)).sign("/vod/", Instant.ofEpochSecond(2_000));
        Arrays.fill(secret, (byte)0);

        final String again = new UrlSigner(new SigningKeyRing(key)).sign("/vod/", Instant.ofEpochSecond(2_000));
        final String withOriginal = new UrlSigner(new SigningKeyRing(TestKeys.key1()))
            .sign("/vod/", Instant.ofEpochSecond(2_000));

        assertThat(again).isEqualTo(token).isEqualTo(withOriginal);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "k.1", "k 1", "key/1", "é", "abcdefghijklmnopq" })
    void shouldRejectBadKeyIds(final String keyId)
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(keyId, TestKeys.SECRET_1))
            .withMessageContaining("key id");
    }

    @Test
    void shouldAcceptTheLongestKeyId()
    {
        assertThat(new SigningKey("abcdefghijklmno_", TestKeys.SECRET_1).keyId()).isEqualTo("abcdefghijklmno_");
    }

    @Test
    void shouldRejectShortOrMissingSecrets()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey(null, TestKeys.SECRET_1));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey("k1", null));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKey("k1", new byte[31]))
            .withMessageContaining("at least 32 bytes")
            .withMessageNotContaining("[0, 0");
    }
}
