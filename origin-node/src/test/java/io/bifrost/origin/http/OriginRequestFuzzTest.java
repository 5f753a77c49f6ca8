package io.bifrost.origin.http;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.bifrost.protocol.http.ByteRange;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for what the origin parses beyond {@code ContentKeyParser}: API route matching and the Range
 * header. Any input is matched or refused without an exception, captures are always clean names, and a resolved range
 * always lies inside the representation. Replays the committed corpus in a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class OriginRequestFuzzTest
{
    private static final ApiRouter ROUTER = new ApiRouter()
        .add("GET", "/api/v1/videos", request -> ApiResponse.ok(null))
        .add("GET", "/api/v1/videos/{id}", request -> ApiResponse.ok(null))
        .add("PUT", "/api/v1/videos/{id}/captions/{lang}", request -> ApiResponse.ok(null));

    @FuzzTest(maxDuration = "60s")
    void routeMatchingNeverFailsAndCapturesCleanNames(final byte[] input)
    {
        final String path = new String(input, StandardCharsets.UTF_8);
        for (final String method : new String[] {"GET", "PUT"})
        {
            if (ROUTER.match(method, path) instanceof ApiRouter.Found found)
            {
                for (final String value : found.parameters().values())
                {
                    assertThat(value).matches("[A-Za-z0-9._~-]{1,128}").isNotIn(".", "..");
                }
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void resolvedRangesLieInsideTheRepresentation(final byte[] input)
    {
        final String header = new String(input, StandardCharsets.ISO_8859_1);
        for (final long length : new long[] {0, 1, 1000, Long.MAX_VALUE / 2})
        {
            final ByteRange range = ByteRange.resolve(header, length);
            if (range != ByteRange.WHOLE && range != ByteRange.UNSATISFIABLE)
            {
                assertThat(range.first()).isBetween(0L, range.last());
                assertThat(range.last()).isLessThan(length);
            }
        }
    }
}
