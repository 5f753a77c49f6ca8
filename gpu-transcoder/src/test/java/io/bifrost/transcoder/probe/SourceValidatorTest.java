package io.bifrost.transcoder.probe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SourceValidatorTest
{
    private static VideoStreamInfo video(final int width, final int height, final FrameRate rate, final int bits)
    {
        return new VideoStreamInfo("h264", width, height, 0, bits > 8 ? "yuv420p10le" : "yuv420p", bits, rate, rate,
            -1);
    }

    private static SourceInfo source(final VideoStreamInfo video, final double duration, final long size)
    {
        return new SourceInfo("mov", duration, size, video, new AudioStreamInfo("aac", 2, 48000));
    }

    private static SourceRejectedException.Reason rejection(final SourceInfo source, final SourceLimits limits)
    {
        final SourceRejectedException ex = catchThrowableOfType(SourceRejectedException.class,
            () -> SourceValidator.validate(source, limits));
        assertThat(ex).as("expected a rejection").isNotNull();
        assertThat(ex.getMessage()).isNotBlank();
        return ex.reason();
    }

    @Test
    void shouldAcceptAnOrdinaryHdClip()
    {
        assertThatCode(() -> SourceValidator.validate(
            source(video(1920, 1080, FrameRate.of(30), 8), 60, 20_000_000), SourceLimits.DEFAULTS))
            .doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptTenBitSourcesBecauseTheLadderConvertsThemToEightBit()
    {
        assertThatCode(() -> SourceValidator.validate(
            source(video(3840, 2160, FrameRate.of(60), 10), 60, 200_000_000), SourceLimits.DEFAULTS))
            .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAFileWithoutVideo()
    {
        final SourceInfo audioOnly = new SourceInfo("mp3", 180, 3_000_000, null, new AudioStreamInfo("mp3", 2, 44100));

        assertThat(rejection(audioOnly, SourceLimits.DEFAULTS)).isEqualTo(SourceRejectedException.Reason.NO_VIDEO);
        assertThat(SourceRejectedException.Reason.NO_VIDEO.code()).isEqualTo("source.no_video");
    }

    @Test
    void shouldRefuseZeroLength()
    {
        assertThat(rejection(source(video(640, 360, FrameRate.of(25), 8), 0, 1000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.ZERO_DURATION);
    }

    @Test
    void shouldRefuseAbsurdDimensions()
    {
        assertThat(rejection(source(video(16384, 1080, FrameRate.of(25), 8), 10, 10_000_000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.BAD_DIMENSIONS);
        assertThat(rejection(source(video(8, 8, FrameRate.of(25), 8), 10, 10_000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.BAD_DIMENSIONS);
    }

    @Test
    void shouldRefuseLongerThanTheConfiguredMaximum()
    {
        final SourceLimits oneHour = SourceLimits.DEFAULTS.withMaxDurationSeconds(3600);

        assertThat(rejection(source(video(640, 360, FrameRate.of(25), 8), 3601, 500_000_000), oneHour))
            .isEqualTo(SourceRejectedException.Reason.TOO_LONG);
    }

    @Test
    void shouldRefuseAbsurdFrameRate()
    {
        assertThat(rejection(source(video(640, 360, FrameRate.of(1000), 8), 10, 10_000_000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.BAD_FRAME_RATE);
    }

    @Test
    void shouldRefuseDecompressionBombs()
    {
        // a 20 KB file that claims an hour of 4K at 60 fps
        assertThat(rejection(source(video(3840, 2160, FrameRate.of(60), 8), 3600, 20_000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.DECOMPRESSION_BOMB);
        // a tighter pixels x frames bound
        assertThat(rejection(source(video(1920, 1080, FrameRate.of(30), 8), 60, 50_000_000),
            SourceLimits.DEFAULTS.withMaxDecodedPixels(1e9)))
            .isEqualTo(SourceRejectedException.Reason.DECOMPRESSION_BOMB);
    }

    @Test
    void shouldRefuseBitDepthsBeyondTheLimit()
    {
        assertThat(rejection(source(video(1920, 1080, FrameRate.of(30), 16), 60, 50_000_000), SourceLimits.DEFAULTS))
            .isEqualTo(SourceRejectedException.Reason.UNSUPPORTED_BIT_DEPTH);
    }
}
