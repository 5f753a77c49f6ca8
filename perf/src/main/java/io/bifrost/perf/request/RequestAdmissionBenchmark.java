package io.bifrost.perf.request;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathParseResult;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.TokenVerdict;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlTokenVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What every edge request pays before the cache lookup: parse the path into a {@link ContentKey} and verify the
 * signed-URL token (DESIGN.md section 3: the token is checked first, the path is the cache key). Also the cost of
 * refusing a traversal attempt, which must stay as cheap as a parse. Anchor: the JDK's URI parse + normalize.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestAdmissionBenchmark
{
    private static final String PART_PATH = "/live/stream-42/1080p/1764000000-18231.3.m4s";
    private static final String VOD_PATH = "/vod/abcDEF123_video/720p/412.m4s";
    private static final String TRAVERSAL_PATH = "/vod/abcDEF123_video/../../etc/passwd";

    private UrlTokenVerifier verifier;
    private String token;
    private Instant now;

    @Setup
    public void setUp()
    {
        final SigningKeyRing ring = new SigningKeyRing(
            new SigningKey("k2026", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
        now = Instant.parse("2026-11-25T00:00:00Z");
        token = new UrlSigner(ring).sign("/live/stream-42/", now.plusSeconds(3600));
        verifier = new UrlTokenVerifier(ring);
    }

    /**
     * @return the parsed live part key.
     */
    @Benchmark
    public PathParseResult parseLivePart()
    {
        return ContentKeyParser.parse(PART_PATH);
    }

    /**
     * @return the parsed VOD segment key.
     */
    @Benchmark
    public PathParseResult parseVodSegment()
    {
        return ContentKeyParser.parse(VOD_PATH);
    }

    /**
     * @return the rejection.
     */
    @Benchmark
    public PathParseResult rejectTraversal()
    {
        return ContentKeyParser.parse(TRAVERSAL_PATH);
    }

    /**
     * Anchor: what a path check built on the JDK costs (parse as a URI and normalise it), without producing a key.
     *
     * @return the normalised URI.
     */
    @Benchmark
    public URI anchorJdkUriNormalize()
    {
        return URI.create(PART_PATH).normalize();
    }

    /**
     * @return the verdict for a valid token (one HMAC-SHA256 over ~60 bytes plus parsing).
     */
    @Benchmark
    public TokenVerdict verifyToken()
    {
        return verifier.verify(token, PART_PATH, null, now);
    }
}
