package io.bifrost.edge.cache.ssd;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.edge.cache.ResponseMeta;
import io.bifrost.edge.cache.policy.ContentHints;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSD tier's metadata records are read back from disk at every start: any bytes must decode to a valid entry
 * or to null, never throw, and whatever decodes must encode back to the same bytes. The committed corpus
 * ({@code SsdEntryCodecFuzzTestInputs}) runs as a regression test in every build.
 * Real fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node test -Dtest=SsdEntryCodecFuzzTest}.
 */
class SsdEntryCodecFuzzTest
{
    private static final String PATH = "/vod/a/720p/1.m4s";
    private static final long ID = ContentHints.objectId(PATH);

    @FuzzTest(maxDuration = "30s")
    void shouldDecodeAnyBytesToAnEntryOrNull(final FuzzedDataProvider data)
    {
        final byte[] value = data.consumeRemainingAsBytes();

        final SsdEntry entry = SsdEntryCodec.decode(ID, value);

        if (entry != null)
        {
            assertThat(entry.length()).isNotNegative();
            assertThat(entry.meta().expiresAtMs()).isGreaterThanOrEqualTo(entry.meta().storedAtMs());
            assertThat(entry.path()).isEqualTo(PATH);
            assertThat(SsdEntryCodec.encode(entry.path(), entry.length(), entry.meta())).isEqualTo(value);
        }
    }

    @Test
    void shouldRoundTripAnEntryWithAndWithoutHeaders()
    {
        final ResponseMeta full = new ResponseMeta(200, "video/mp4", "\"e\"", "max-age=60", "Mon, 01 Dec 2025 10:00:00 GMT",
            1000, 61_000);
        final ResponseMeta bare = new ResponseMeta(200, null, null, null, null, 1000, 1000);

        assertThat(SsdEntryCodec.decode(ID, SsdEntryCodec.encode(PATH, 7, full))).isEqualTo(new SsdEntry(ID, PATH, 7, full));
        assertThat(SsdEntryCodec.decode(ID, SsdEntryCodec.encode(PATH, 0, bare)).meta()).isEqualTo(bare);
        assertThat(SsdEntryCodec.decode(ID + 1, SsdEntryCodec.encode(PATH, 7, full))).as("another object's record").isNull();
        assertThat(SsdEntryCodec.decode(ID, new byte[] {1, 2, 3})).isNull();
    }
}
