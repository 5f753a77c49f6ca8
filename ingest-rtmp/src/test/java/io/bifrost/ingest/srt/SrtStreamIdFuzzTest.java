package io.bifrost.ingest.srt;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link SrtStreamId}: any ffmpeg log line yields no id, a bounded id, or
 * {@link SrtStreamIdException}; any stream id yields a key of the safe alphabet or {@link SrtStreamIdException}.
 * Corpus under {@code src/test/resources/io/bifrost/ingest/srt/SrtStreamIdFuzzTestInputs/}.
 */
class SrtStreamIdFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void parsesKeyOrRefuses(final byte[] input)
    {
        final String line = new String(input, StandardCharsets.UTF_8);
        try
        {
            final String id = SrtStreamId.fromLogLine(line);
            if (null != id)
            {
                assertThat(id.length()).isLessThanOrEqualTo(SrtStreamId.MAX_STREAM_ID_LENGTH);
            }
        }
        catch (final SrtStreamIdException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
        try
        {
            assertThat(SrtStreamId.streamKey(line)).matches("[A-Za-z0-9_.~-]{1,256}");
        }
        catch (final SrtStreamIdException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }
}
