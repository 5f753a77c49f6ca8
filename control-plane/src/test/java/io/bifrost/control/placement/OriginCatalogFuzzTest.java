package io.bifrost.control.placement;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for the reader of the origin's catalog answers ({@link OriginCatalogLookup#publishedAtMs(byte[])}):
 * any body gives a publication time of 0 or more, -1 (not published), or an {@link IllegalArgumentException}, never
 * another exception or a hang.
 *
 * <p>Input: the answer body. A normal build replays the corpus under
 * {@code src/test/resources/io/bifrost/control/placement/OriginCatalogFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 ./mvnw -pl control-plane test -Dtest=OriginCatalogFuzzTest} fuzzes.
 */
class OriginCatalogFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void anyAnswerIsATimeNotPublishedOrARefusal(final byte[] body)
    {
        try
        {
            assertThat(OriginCatalogLookup.publishedAtMs(body)).isGreaterThanOrEqualTo(-1);
        }
        catch (final IllegalArgumentException refused)
        {
            assertThat(refused.getMessage()).startsWith("origin catalog");
        }
    }
}
