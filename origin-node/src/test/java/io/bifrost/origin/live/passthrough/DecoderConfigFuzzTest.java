package io.bifrost.origin.live.passthrough;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for the decoder configurations a publisher sends: {@link AvcDecoderConfig} (with the SPS
 * picture size) and {@link AacConfig}. Any bytes give a configuration within bounds or a {@link MediaFormatException}
 * with a message; never another exception. Replays the committed corpus (real records from ffmpeg's FLV muxer and
 * variants) in a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class DecoderConfigFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void avcConfigurationParsesWithinBoundsOrRefuses(final byte[] input)
    {
        try
        {
            final AvcDecoderConfig config = AvcDecoderConfig.parse(input, 0, input.length);
            assertThat(config.width()).isBetween(1, AvcDecoderConfig.MAX_SIDE);
            assertThat(config.height()).isBetween(1, AvcDecoderConfig.MAX_SIDE);
            assertThat(config.nalLengthSize()).isIn(1, 2, 4);
            assertThat(config.record()).hasSize(input.length);
            assertThat(CmafInitSegment.video(config)).isNotEmpty();
        }
        catch (final MediaFormatException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aacConfigurationParsesWithinBoundsOrRefuses(final byte[] input)
    {
        try
        {
            final AacConfig config = AacConfig.parse(input, 0, input.length);
            assertThat(config.sampleRateHz()).isBetween(1000, 192_000);
            assertThat(config.channels()).isBetween(1, 8);
            assertThat(config.samplesPerFrame()).isIn(960, 1024);
            assertThat(CmafInitSegment.audio(config)).isNotEmpty();
        }
        catch (final MediaFormatException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }
}
