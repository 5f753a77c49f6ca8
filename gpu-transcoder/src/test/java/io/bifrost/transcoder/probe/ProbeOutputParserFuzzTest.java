package io.bifrost.transcoder.probe;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the ffprobe JSON parser: any bytes either parse into a {@link SourceInfo} that obeys its invariants or are
 * refused with a {@link ProbeOutputException}; nothing else may escape. Runs the committed corpus in every build
 * ({@code src/test/resources/io/bifrost/transcoder/probe/ProbeOutputParserFuzzTestInputs/}); a real fuzzing run is
 * {@code JAZZER_FUZZ=1 ./mvnw -pl gpu-transcoder test -Dtest=ProbeOutputParserFuzzTest}.
 */
class ProbeOutputParserFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void parseReturnsAValidSourceOrRefuses(final byte[] input)
    {
        final SourceInfo source;
        try
        {
            source = ProbeOutputParser.parse(input);
        }
        catch (final ProbeOutputException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
            return;
        }
        assertThat(source.container()).isNotNull();
        assertThat(source.durationSeconds()).isFinite().isGreaterThanOrEqualTo(0);
        if (source.hasVideo())
        {
            assertThat(source.video().rotationDegrees()).isIn(0, 90, 180, 270);
            assertThat(source.video().bitDepth()).isBetween(1, 32);
            assertThat(source.video().nominalFrameRate().toDouble()).isPositive();
        }
        if (source.hasAudio())
        {
            assertThat(source.audio().channels()).isGreaterThanOrEqualTo(0);
            assertThat(source.audio().sampleRateHz()).isGreaterThanOrEqualTo(0);
        }
    }
}
