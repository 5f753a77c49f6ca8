package io.bifrost.protocol.signing;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UrlSignerTest
{
    private static final Instant EXPIRY = Instant.ofEpochSecond(1_900_000_000L);

    private final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1(), TestKeys.key2());
    private final UrlSigner signer = new UrlSigner(ring);

    @Test
    void shouldWriteTheDocumentedFieldsInOrder() throws Exception
    {
        final String token = signer.sign("/vod/abc/", EXPIRY, InetAddress.getByName("192.0.2.7"));
        final String[] fields = token.split("\\.", -1);

        assertThat(fields).hasSize(6);
        assertThat(fields[0]).isEqualTo("v1");
        assertThat(fields[1]).isEqualTo("k1");
        assertThat(fields[2]).isEqualTo("1900000000");
        assertThat(Base64.getUrlDecoder().decode(fields[3])).asString(StandardCharsets.US_ASCII).isEqualTo("/vod/abc/");
        assertThat(Base64.getUrlDecoder().decode(fields[4])).containsExactly(192, 0, 2, 7);
        assertThat(fields[5]).hasSize(43);
    }

    @Test
    void shouldMacEverythingBeforeTheLastSeparatorWithHmacSha256() throws Exception
    {
        final String token = signer.sign("/live/cam1/", EXPIRY);
        final int lastDot = token.lastIndexOf('.');

        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TestKeys.SECRET_1, "HmacSHA256"));
        final byte[] expected = mac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));

        assertThat(token.substring(lastDot + 1))
            .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected));
        assertThat(token.substring(0, lastDot)).endsWith(".");
    }

    @Test
    void shouldBeUrlSafeAsQueryValueAndPathSegment() throws Exception
    {
        final String token = signer.sign("/vod/a-b_c/", EXPIRY, InetAddress.getByName("2001:db8::1"));

        assertThat(token).matches("[A-Za-z0-9_.-]+");
        assertThat(URLEncoder.encode(token, StandardCharsets.UTF_8)).isEqualTo(token);
        assertThat(token).isNotIn(".", "..");
    }

    @Test
    void shouldBeDeterministicAndTruncateExpiryToSeconds()
    {
        assertThat(signer.sign("/vod/", EXPIRY.plusMillis(999))).isEqualTo(signer.sign("/vod/", EXPIRY));
    }

    @Test
    void shouldSignWithTheCurrentKey()
    {
        ring.makeCurrent("k2");

        assertThat(signer.sign("/vod/", EXPIRY)).startsWith("v1.k2.");
    }

    @Test
    void shouldFitTheLongestPrefixAndAnIpv6AddressInOneToken() throws Exception
    {
        final String prefix = "/vod/" + "a".repeat(UrlToken.MAX_PREFIX_LENGTH - 6) + "/";
        final String token = signer.sign(prefix, Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000_000L),
            InetAddress.getByName("2001:db8::1"));

        assertThat(prefix).hasSize(UrlToken.MAX_PREFIX_LENGTH);
        assertThat(token.length()).isLessThanOrEqualTo(UrlToken.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "vod/abc/", "/vod//abc/", "/vod/../abc/", "/vod/./abc/", "/vod/abc/..", "/vod/%2Fabc/", "/vod?abc",
        "/vod#abc", "/vod\\abc", "/vod abc", "/vod/\u00e9/", "/vod/\n" })
    void shouldRefusePrefixesThatAreNotNormalisedPaths(final String prefix)
    {
        assertThatIllegalArgumentException().isThrownBy(() -> signer.sign(prefix, EXPIRY))
            .withMessageContaining("path prefix");
    }

    @Test
    void shouldRefuseOverlongPrefixesAndOutOfRangeExpiry()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> signer.sign(null, EXPIRY));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> signer.sign("/" + "a".repeat(UrlToken.MAX_PREFIX_LENGTH), EXPIRY));
        assertThatIllegalArgumentException().isThrownBy(() -> signer.sign("/vod/", null));
        assertThatIllegalArgumentException().isThrownBy(() -> signer.sign("/vod/", Instant.ofEpochSecond(-1)))
            .withMessageContaining("expiry");
        assertThatIllegalArgumentException().isThrownBy(() -> new UrlSigner(null));
    }
}
