package io.bifrost.edge.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path form's prefix comes from any viewer: every request path splits into a token and the rest, or into a
 * reason, never an exception, and what the edge then serves is exactly the path without {@code /t/{token}}; the token
 * gate then answers every split with a verdict, never an exception. The committed corpus
 * ({@code TokenPathFuzzTestInputs}) runs as a regression test in every build. Real fuzzing:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node test -Dtest=TokenPathFuzzTest}.
 */
class TokenPathFuzzTest
{
    private static final TokenGate GATE = new TokenGate(List.of("/vod/", "/live/"),
        new SigningKeyRing(new SigningKey("k1", new byte[32])), new SimpleMeterRegistry());
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
    private static final Instant NOW = Instant.ofEpochSecond(1_767_225_600L);

    @FuzzTest(maxDuration = "30s")
    void shouldSplitAnyPathIntoTokenAndRestOrAReasonWithinBounds(final FuzzedDataProvider data)
    {
        final String path = data.consumeRemainingAsString();

        final int split = TokenPath.split(path);

        if (split == TokenPath.ABSENT)
        {
            assertThat(path.startsWith(UrlToken.PATH_PREFIX) || path.equals("/t")).isFalse();
            assertThat(GATE.check(path, null, null, CLIENT, NOW)).satisfiesAnyOf(
                refusal -> assertThat(refusal).isNull(), refusal -> assertThat(refusal.code()).startsWith("token."));
        }
        else if (split > 0)
        {
            final String token = TokenPath.token(path, split);
            final String rest = path.substring(split);
            assertThat(token).isNotEmpty().doesNotContain("/").hasSizeLessThanOrEqualTo(UrlToken.MAX_LENGTH);
            assertThat(rest).startsWith("/");
            assertThat(UrlToken.PATH_PREFIX + token + rest).isEqualTo(path);
            final TokenGate.Refusal refusal = GATE.check(rest, null, token, CLIENT, NOW);
            if (refusal != null)
            {
                assertThat(refusal.code()).startsWith("token.");
            }
        }
        else
        {
            final TokenPath.Rejection rejection = TokenPath.Rejection.of(split);
            final String segment = path.length() <= UrlToken.PATH_PREFIX.length() ? "" :
                path.substring(UrlToken.PATH_PREFIX.length());
            switch (rejection)
            {
                case EMPTY -> assertThat(path).startsWith("/t//");
                case TOO_LONG -> assertThat(segment.indexOf('/') < 0 ? segment.length() : segment.indexOf('/'))
                    .isGreaterThan(UrlToken.MAX_LENGTH);
                case INCOMPLETE -> assertThat(path.equals("/t") || segment.indexOf('/') < 0).isTrue();
            }
            assertThat(GATE.refusePathForm(split).code()).isEqualTo(rejection.code());
        }
    }
}
