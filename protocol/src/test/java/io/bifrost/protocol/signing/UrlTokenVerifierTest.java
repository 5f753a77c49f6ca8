package io.bifrost.protocol.signing;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.bifrost.protocol.signing.TokenVerdict.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UrlTokenVerifierTest
{
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant EXPIRY = NOW.plusSeconds(600);
    private static final String PATH = "/vod/abc/720p/12.m4s";
    private static final String MAC_43 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1());
    private final UrlSigner signer = new UrlSigner(ring);
    private final UrlTokenVerifier verifier = new UrlTokenVerifier(ring);

    @Test
    void shouldAcceptAGenuineTokenForAPathUnderItsPrefix()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(token, PATH, null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(token, "/vod/abc/master.m3u8", ip("198.51.100.1"), NOW)).isEqualTo(OK);
        assertThat(OK.isOk()).isTrue();
    }

    @Test
    void shouldAcceptAnyCharSequence()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(new StringBuilder(token), new StringBuilder(PATH), null, NOW)).isEqualTo(OK);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "v1",
        "v1.",
        "v1.k1",
        "v1.k1.1900000000.L3ZvZC8." + MAC_43,
        "v1..1900000000.L3ZvZC8.." + MAC_43,
        "v1.abcdefghijklmnopq.1900000000.L3ZvZC8.." + MAC_43,
        "v1.k1..L3ZvZC8.." + MAC_43,
        "v1.k1.01900000000.L3ZvZC8.." + MAC_43,
        "v1.k1.19000x0000.L3ZvZC8.." + MAC_43,
        "v1.k1.9223372036854775808.L3ZvZC8.." + MAC_43,
        "v1.k1.99999999999999999999.L3ZvZC8.." + MAC_43,
        "v1.k1.1900000000..." + MAC_43,
        "v1.k1.1900000000.L3ZvZC9.." + MAC_43,
        "v1.k1.1900000000.L.." + MAC_43,
        "v1.k1.1900000000.L3ZvZC8.wAACBwAA." + MAC_43,
        "v1.k1.1900000000.L3ZvZC8.wAACBx." + MAC_43,
        "v1.k1.1900000000.L3ZvZC8..AAAA",
        "v1.k1.1900000000.L3ZvZC8.." + MAC_43 + "A",
        "v1.k1.1900000000.L3ZvZC8=.." + MAC_43,
        "v1.k1.1900000000.L3Z+ZC8.." + MAC_43,
        "v1.k1.1900000000.L3Z/ZC8.." + MAC_43,
        "v1.k1.1900000000.L3Z ZC8.." + MAC_43,
        "v1.k1.1900000000.L3Z\u00e9ZC8.." + MAC_43,
        "v1.k1.1900000000.L3ZvZC8.." + MAC_43 + "\u0000",
        "V1.k1.1900000000.L3ZvZC8.." + MAC_43,
        "vx.k1.1900000000.L3ZvZC8.." + MAC_43,
        "v.k1.1900000000.L3ZvZC8.." + MAC_43,
        ".v1.k1.1900000000.L3ZvZC8.." + MAC_43,
        "v1.k1.1900000000.L3ZvZC8..." + MAC_43,
    })
    void shouldRejectMalformedTokens(final String token)
    {
        assertThat(verifier.verify(token, PATH, null, NOW)).isEqualTo(MALFORMED);
    }

    @Test
    void shouldRejectMissingAndOverlongTokensBeforeDecoding()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(null, PATH, null, NOW)).isEqualTo(MALFORMED);
        assertThat(verifier.verify("v1." + "A".repeat(UrlToken.MAX_LENGTH), PATH, null, NOW)).isEqualTo(MALFORMED);
        assertThat(verifier.verify(token + "x".repeat(10_000_000), PATH, null, NOW)).isEqualTo(MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "v2.k1.1900000000.L3ZvZC8.." + MAC_43, "v2", "v10.anything.else", "v0.a.b.c.d.e.f.g" })
    void shouldRejectOtherVersionsAsUnsupported(final String token)
    {
        assertThat(verifier.verify(token, PATH, null, NOW)).isEqualTo(UNSUPPORTED_VERSION);
    }

    @Test
    void shouldRejectTokensFromKeysNotInTheRing()
    {
        final String token = new UrlSigner(new SigningKeyRing(TestKeys.key2())).sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(token, PATH, null, NOW)).isEqualTo(UNKNOWN_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = { "v1.k1.1900000000.L3ZvZC8.." + MAC_43, "v1.k1.1900000000.L3ZvZC8.wAACBw." + MAC_43 })
    void shouldRejectWellFormedForgeriesAsBadSignature(final String token)
    {
        assertThat(verifier.verify(token, "/vod/x", ip("192.0.2.7"), NOW)).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void shouldRejectATokenSignedWithAnotherSecretUnderAKnownKeyId()
    {
        final SigningKey impostor = new SigningKey("k1", TestKeys.SECRET_2);
        final String token = new UrlSigner(new SigningKeyRing(impostor)).sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(token, PATH, null, NOW)).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAlteredFieldsAsBadSignature()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY, ip("192.0.2.7"));
        final String other = signer.sign("/vod/", EXPIRY.plusSeconds(86_400), ip("192.0.2.8"));
        final String[] fields = token.split("\\.", -1);
        final String[] otherFields = other.split("\\.", -1);

        for (int i = 2; i <= 4; i++)
        {
            final String[] altered = fields.clone();
            altered[i] = otherFields[i];
            assertThat(verifier.verify(String.join(".", altered), PATH, ip("192.0.2.7"), NOW))
                .as("field %d swapped", i).isEqualTo(BAD_SIGNATURE);
        }

        final String[] ipRemoved = fields.clone();
        ipRemoved[4] = "";
        assertThat(verifier.verify(String.join(".", ipRemoved), PATH, ip("192.0.2.7"), NOW)).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void shouldRejectANonCanonicalSpellingOfTheMac()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);
        final char last = token.charAt(token.length() - 1);
        // The last of 43 characters carries 4 bits of MAC and 2 unused bits; flipping an unused bit keeps the bytes.
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        final char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1);

        assertThat(verifier.verify(token.substring(0, token.length() - 1) + sameBytes, PATH, null, NOW))
            .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void shouldExpireAtTheExpirySecond()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(token, PATH, null, EXPIRY.minusNanos(1))).isEqualTo(OK);
        assertThat(verifier.verify(token, PATH, null, EXPIRY)).isEqualTo(EXPIRED);
        assertThat(verifier.verify(token, PATH, null, EXPIRY.plusSeconds(3600))).isEqualTo(EXPIRED);
        assertThat(verifier.verify(token, PATH, null, Instant.MAX)).isEqualTo(EXPIRED);
        assertThat(verifier.verify(token, PATH, null, Instant.MIN)).isEqualTo(OK);
    }

    @Test
    void shouldAllowTheConfiguredClockSkewGraceAfterExpiry()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);
        final UrlTokenVerifier lenient = new UrlTokenVerifier(ring, Duration.ofSeconds(30));
        final UrlTokenVerifier subSecond = new UrlTokenVerifier(ring, Duration.ofMillis(1));

        assertThat(lenient.verify(token, PATH, null, EXPIRY.plusSeconds(29))).isEqualTo(OK);
        assertThat(lenient.verify(token, PATH, null, EXPIRY.plusSeconds(30))).isEqualTo(EXPIRED);
        assertThat(subSecond.verify(token, PATH, null, EXPIRY.plusMillis(999))).isEqualTo(OK);
        assertThat(subSecond.verify(token, PATH, null, EXPIRY.plusSeconds(1))).isEqualTo(EXPIRED);
    }

    @Test
    void shouldCoverOnlyPathsUnderAPrefixEndingInSlash()
    {
        final String folder = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(folder, "/vod/abc/master.m3u8", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(folder, "/vod/abc/", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(folder, "/vod/abc", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(folder, "/vod/abcdef/master.m3u8", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(folder, "/vod/ab/master.m3u8", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(folder, "/live/abc/master.m3u8", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(folder, "", null, NOW)).isEqualTo(WRONG_PREFIX);
    }

    @Test
    void shouldCoverOnlyItselfWhenThePrefixDoesNotEndInSlash()
    {
        final String exact = signer.sign("/vod/abc", EXPIRY);

        assertThat(verifier.verify(exact, "/vod/abc", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(exact, "/vod/abcdef/720p/1.m4s", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(exact, "/vod/abc/720p/1.m4s", null, NOW)).isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(exact, "/vod/abcdef", null, NOW)).isEqualTo(WRONG_PREFIX);

        final String file = signer.sign("/vod/abc/master.m3u8", EXPIRY);
        assertThat(verifier.verify(file, "/vod/abc/master.m3u8", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(file, "/vod/abc/master.m3u8x", null, NOW)).isEqualTo(WRONG_PREFIX);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/vod/abc/../xyz/master.m3u8", "/vod/abc/./master.m3u8", "/vod/abc/%2e%2e/xyz/master.m3u8",
        "/vod/abc/..%2Fxyz/master.m3u8", "/vod/abc/..\\xyz/master.m3u8", "/vod/abc//master.m3u8",
        "/vod/abc/master.m3u8?x=1", "/vod/abc/master.m3u8#x", "/vod/abc/\u00e9", "/vod/abc/a b", "/vod/abc/.." })
    void shouldNotCoverPathsThatCouldEscapeThePrefix(final String path)
    {
        final String token = signer.sign("/vod/abc/", EXPIRY);

        assertThat(verifier.verify(token, path, null, NOW)).isEqualTo(WRONG_PREFIX);
    }

    @Test
    void shouldCoverEveryPathWithTheRootPrefix()
    {
        final String token = signer.sign("/", EXPIRY);

        assertThat(verifier.verify(token, "/live/cam1/master.m3u8", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(token, "/", null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(token, "/live/../x", null, NOW)).isEqualTo(WRONG_PREFIX);
    }

    @Test
    void shouldBindTokensToTheClientAddressWhenAsked()
    {
        final String v4 = signer.sign("/vod/abc/", EXPIRY, ip("192.0.2.7"));
        final String v6 = signer.sign("/vod/abc/", EXPIRY, ip("2001:db8::7"));

        assertThat(verifier.verify(v4, PATH, ip("192.0.2.7"), NOW)).isEqualTo(OK);
        assertThat(verifier.verify(v4, PATH, ip("::ffff:192.0.2.7"), NOW)).isEqualTo(OK);
        assertThat(verifier.verify(v4, PATH, ip("192.0.2.8"), NOW)).isEqualTo(WRONG_CLIENT_IP);
        assertThat(verifier.verify(v4, PATH, ip("2001:db8::7"), NOW)).isEqualTo(WRONG_CLIENT_IP);
        assertThat(verifier.verify(v4, PATH, null, NOW)).isEqualTo(WRONG_CLIENT_IP);

        assertThat(verifier.verify(v6, PATH, ip("2001:db8::7"), NOW)).isEqualTo(OK);
        assertThat(verifier.verify(v6, PATH, ip("2001:db8::8"), NOW)).isEqualTo(WRONG_CLIENT_IP);
        assertThat(verifier.verify(v6, PATH, ip("192.0.2.7"), NOW)).isEqualTo(WRONG_CLIENT_IP);
    }

    @Test
    void shouldCheckSignatureBeforeExpiryPrefixAndAddress()
    {
        final String genuine = signer.sign("/vod/abc/", NOW.minusSeconds(1), ip("192.0.2.7"));
        final String forged = new UrlSigner(new SigningKeyRing(new SigningKey("k1", TestKeys.SECRET_2)))
            .sign("/vod/abc/", NOW.minusSeconds(1), ip("192.0.2.7"));

        assertThat(verifier.verify(forged, "/other/", ip("192.0.2.8"), NOW)).isEqualTo(BAD_SIGNATURE);
        assertThat(verifier.verify(genuine, "/other/", ip("192.0.2.8"), NOW)).isEqualTo(EXPIRED);
        assertThat(verifier.verify(genuine, "/other/", ip("192.0.2.8"), NOW.minusSeconds(2)))
            .isEqualTo(WRONG_PREFIX);
        assertThat(verifier.verify(genuine, PATH, ip("192.0.2.8"), NOW.minusSeconds(2)))
            .isEqualTo(WRONG_CLIENT_IP);
    }

    @Test
    void shouldRejectEverySingleCharacterSubstitutionOfAToken()
    {
        final String token = signer.sign("/vod/abc/", EXPIRY, ip("2001:db8::1"));
        int substitutions = 0;
        for (int i = 0; i < token.length(); i++)
        {
            for (int c = 0; c < 128; c++)
            {
                if (c == token.charAt(i))
                {
                    continue;
                }

                final String tampered = token.substring(0, i) + (char)c + token.substring(i + 1);
                assertThat(verifier.verify(tampered, "/vod/abc/x", ip("2001:db8::1"), NOW))
                    .as("'%c' at %d", (char)c, i)
                    .isNotEqualTo(TokenVerdict.OK);
                substitutions++;
            }
        }

        assertThat(substitutions).isEqualTo(token.length() * 127);
    }

    @Test
    void shouldKeepVerifyingOldTokensUntilTheirKeyIsRemoved()
    {
        final String old = signer.sign("/vod/abc/", EXPIRY);

        ring.add(TestKeys.key2()).makeCurrent("k2");
        final String fresh = signer.sign("/vod/abc/", EXPIRY);
        assertThat(fresh).startsWith("v1.k2.");
        assertThat(verifier.verify(old, PATH, null, NOW)).isEqualTo(OK);
        assertThat(verifier.verify(fresh, PATH, null, NOW)).isEqualTo(OK);

        ring.remove("k1");
        assertThat(verifier.verify(old, PATH, null, NOW)).isEqualTo(UNKNOWN_KEY);
        assertThat(verifier.verify(fresh, PATH, null, NOW)).isEqualTo(OK);
    }

    @Test
    void shouldHaveUniqueStableCodes()
    {
        assertThat(Arrays.stream(TokenVerdict.values()).map(TokenVerdict::code)).doesNotHaveDuplicates()
            .allMatch(code -> code.matches("token\\.[a-z_]+"));
        assertThat(Arrays.stream(TokenVerdict.values()).map(TokenVerdict::message)).doesNotHaveDuplicates();
        assertThat(EXPIRED.code()).isEqualTo("token.expired");
        assertThat(Arrays.stream(TokenVerdict.values()).filter(TokenVerdict::isOk)).containsExactly(OK);
    }

    @Test
    void shouldRefuseInvalidConfiguration()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> new UrlTokenVerifier(null));
        assertThatIllegalArgumentException().isThrownBy(() -> new UrlTokenVerifier(ring, Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new UrlTokenVerifier(ring, Duration.ofHours(2)));
        assertThatIllegalArgumentException().isThrownBy(() -> new UrlTokenVerifier(ring, null));
    }

    static InetAddress ip(final String literal)
    {
        try
        {
            return InetAddress.getByName(literal);
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }
}
