package io.bifrost.protocol.signing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of signed URL tokens: every genuine token verifies for the paths it covers, and no change of a single
 * character, insertion or deletion, and no arbitrary text, ever verifies or makes the verifier throw.
 */
class UrlTokenPropertyTest
{
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final String TOKEN_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    private static final String SEGMENT_CHARS =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~:@!$&'()*+,;=";

    private final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1(), TestKeys.key2());
    private final UrlSigner signer = new UrlSigner(ring);
    private final UrlTokenVerifier verifier = new UrlTokenVerifier(ring);

    record Grant(String prefix, long expirySeconds, byte[] clientIp)
    {
        InetAddress address()
        {
            try
            {
                return null == clientIp ? null : InetAddress.getByAddress(clientIp);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        String coveredPath()
        {
            return prefix.endsWith("/") ? prefix + "720p/index.m3u8" : prefix;
        }
    }

    @Property
    void genuineTokensVerifyForThePathsTheyCover(@ForAll("grants") final Grant grant)
    {
        final String token = signer.sign(grant.prefix(), Instant.ofEpochSecond(grant.expirySeconds()), grant.address());

        assertThat(token.length()).isLessThanOrEqualTo(UrlToken.MAX_LENGTH);
        assertThat(verifier.verify(token, grant.coveredPath(), grant.address(), NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(verifier.verify(token, grant.coveredPath(), grant.address(),
            Instant.ofEpochSecond(grant.expirySeconds()))).isEqualTo(TokenVerdict.EXPIRED);
    }

    @Property
    void changingAnyOneCharacterNeverVerifies(
        @ForAll("grants") final Grant grant,
        @ForAll @IntRange(min = 0, max = 2_000) final int position,
        @ForAll("replacements") final char replacement)
    {
        final String token = signer.sign(grant.prefix(), Instant.ofEpochSecond(grant.expirySeconds()), grant.address());
        final int at = position % token.length();
        if (token.charAt(at) == replacement)
        {
            return;
        }

        final String tampered = token.substring(0, at) + replacement + token.substring(at + 1);

        assertThat(verifier.verify(tampered, grant.coveredPath(), grant.address(), NOW)).isNotEqualTo(TokenVerdict.OK);
    }

    @Property
    void insertingOrDeletingOneCharacterNeverVerifies(
        @ForAll("grants") final Grant grant,
        @ForAll @IntRange(min = 0, max = 2_000) final int position,
        @ForAll("replacements") final char inserted)
    {
        final String token = signer.sign(grant.prefix(), Instant.ofEpochSecond(grant.expirySeconds()), grant.address());
        final int at = position % token.length();
        final String withInsertion = token.substring(0, at) + inserted + token.substring(at);
        final String withDeletion = token.substring(0, at) + token.substring(at + 1);

        assertThat(verifier.verify(withInsertion, grant.coveredPath(), grant.address(), NOW))
            .isNotEqualTo(TokenVerdict.OK);
        assertThat(verifier.verify(withDeletion, grant.coveredPath(), grant.address(), NOW))
            .isNotEqualTo(TokenVerdict.OK);
    }

    @Property
    void arbitraryTextNeverVerifiesOrThrows(@ForAll final String token)
    {
        assertThat(verifier.verify(token, "/vod/abc/x", null, NOW)).isNotEqualTo(TokenVerdict.OK);
    }

    @Property
    void tokenShapedTextNeverVerifiesOrThrows(@ForAll("tokenShaped") final String token)
    {
        assertThat(verifier.verify(token, "/vod/abc/x", null, NOW)).isNotEqualTo(TokenVerdict.OK);
    }

    @Provide
    Arbitrary<Grant> grants()
    {
        final Arbitrary<String> segments = Arbitraries.strings().withChars(SEGMENT_CHARS).ofMinLength(1).ofMaxLength(12)
            .filter(s -> !".".equals(s) && !"..".equals(s));
        final Arbitrary<String> prefixes = Combinators.combine(
                segments.list().ofMinSize(0).ofMaxSize(5), Arbitraries.of("", "/"))
            .as((list, tail) -> "/" + String.join("/", list) + (list.isEmpty() ? "" : tail));
        final Arbitrary<Long> expiries = Arbitraries.longs().between(NOW.getEpochSecond() + 1, 99_999_999_999L);
        final Arbitrary<byte[]> addresses = Arbitraries.oneOf(
            Arbitraries.just(null),
            Arbitraries.bytes().array(byte[].class).ofSize(4),
            Arbitraries.bytes().array(byte[].class).ofSize(16).filter(UrlTokenPropertyTest::isNotIpv4Mapped));

        return Combinators.combine(prefixes, expiries, addresses).as(Grant::new);
    }

    @Provide
    Arbitrary<Character> replacements()
    {
        return Arbitraries.oneOf(Arbitraries.of(TOKEN_CHARS.toCharArray()), Arbitraries.chars());
    }

    @Provide
    Arbitrary<String> tokenShaped()
    {
        final Arbitrary<String> fields = Arbitraries.strings().withChars(TOKEN_CHARS.replace(".", "")).ofMaxLength(50);

        return Combinators.combine(Arbitraries.of("v1", "v2", "v", "x"), fields.list().ofMinSize(0).ofMaxSize(7))
            .as((version, list) -> version + (list.isEmpty() ? "" : "." + String.join(".", list)));
    }

    /**
     * {@link InetAddress#getByAddress} turns {@code ::ffff:a.b.c.d} into an IPv4 address, so such grants would
     * sign 4 bytes for a 16-byte draw; real clients arrive the same way, so only the draw needs excluding.
     */
    private static boolean isNotIpv4Mapped(final byte[] address)
    {
        for (int i = 0; i < 10; i++)
        {
            if (0 != address[i])
            {
                return true;
            }
        }

        return -1 != address[10] || -1 != address[11];
    }
}
