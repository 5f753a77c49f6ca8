package io.bifrost.protocol.signing;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static io.bifrost.protocol.signing.UrlTokenVerifierTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link UrlTokenVerifier}: arbitrary token text never makes it throw, and only tokens the
 * signer really issued ever verify. The committed corpus under
 * {@code src/test/resources/io/bifrost/protocol/signing/UrlTokenVerifierFuzzTestInputs/} holds the genuine tokens
 * below (so the fuzzer starts from deep inside the format) and some malformed ones; with {@code JAZZER_FUZZ=1} it
 * fuzzes for {@code maxDuration}.
 */
class UrlTokenVerifierFuzzTest
{
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final Instant EXPIRY = NOW.plusSeconds(86_400);
    private static final String PATH = "/vod/abc/720p/1.m4s";
    private static final InetAddress CLIENT = ip("192.0.2.7");

    private static final SigningKeyRing RING = new SigningKeyRing(TestKeys.key1(), TestKeys.key2());
    private static final UrlTokenVerifier VERIFIER = new UrlTokenVerifier(RING);
    private static final List<String> GENUINE = genuineTokens();
    private static final String CORPUS = "UrlTokenVerifierFuzzTestInputs/verifyNeverThrowsAndAcceptsOnlyGenuineTokens/";

    @FuzzTest(maxDuration = "60s")
    void verifyNeverThrowsAndAcceptsOnlyGenuineTokens(final byte[] input)
    {
        final String token = new String(input, StandardCharsets.ISO_8859_1);

        assertOnlyGenuineVerify(token, VERIFIER.verify(token, PATH, CLIENT, NOW));
        assertOnlyGenuineVerify(token, VERIFIER.verify(token, PATH, null, NOW));
        assertOnlyGenuineVerify(token, VERIFIER.verify(token, "/live/cam1/master.m3u8", ip("2001:db8::7"), NOW));
    }

    @Test
    void shouldKeepTheGenuineCorpusInStepWithTheSigner() throws IOException
    {
        final List<String> genuine = genuineTokens();
        for (int i = 0; i < genuine.size(); i++)
        {
            final String name = CORPUS + "genuine-" + (i + 1);
            try (InputStream in = UrlTokenVerifierFuzzTest.class.getResourceAsStream(name))
            {
                assertThat(in).as(name).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as(name)
                    .isEqualTo(genuine.get(i));
            }
        }

        assertThat(VERIFIER.verify(genuine.get(0), PATH, null, NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(VERIFIER.verify(genuine.get(1), PATH, CLIENT, NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(VERIFIER.verify(genuine.get(2), "/live/cam1/master.m3u8", ip("2001:db8::7"), NOW))
            .isEqualTo(TokenVerdict.OK);
        assertThat(VERIFIER.verify(genuine.get(3), "/live/cam1/master.m3u8", null, NOW)).isEqualTo(TokenVerdict.OK);
        assertThat(VERIFIER.verify(genuine.get(4), PATH, null, NOW)).isEqualTo(TokenVerdict.EXPIRED);
        assertThat(VERIFIER.verify(genuine.get(5), PATH, null, NOW)).isEqualTo(TokenVerdict.WRONG_PREFIX);
    }

    /**
     * The tokens of the corpus files named {@code genuine-*}, in file-name order; regenerate those files from this
     * list if the format or test keys change.
     */
    static List<String> genuineTokens()
    {
        final UrlSigner k1 = new UrlSigner(new SigningKeyRing(TestKeys.key1()));
        final UrlSigner k2 = new UrlSigner(new SigningKeyRing(TestKeys.key2()));

        return List.of(
            k1.sign("/vod/abc/", EXPIRY),
            k1.sign("/vod/abc/", EXPIRY, CLIENT),
            k2.sign("/", EXPIRY, ip("2001:db8::7")),
            k1.sign("/live/cam1/master.m3u8", EXPIRY),
            k1.sign("/vod/abc/", NOW.minusSeconds(1)),
            k2.sign("/vod/other/", EXPIRY));
    }

    private static void assertOnlyGenuineVerify(final String token, final TokenVerdict verdict)
    {
        assertThat(verdict).isNotNull();
        if (verdict.isOk())
        {
            assertThat(GENUINE).contains(token);
        }
    }
}
