package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.FrameRate;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How a source is turned into a ladder. Immutable; {@link #DEFAULTS} is the seed's ladder with 4 s segments,
 * libx264 {@code veryfast}, at most 60 fps, H.264 only.
 *
 * @param segmentSeconds  segment (and GOP) duration, 2..6 s.
 * @param x264Preset      libx264/libx265 preset. {@code -profile:v high} is a ceiling: {@code ultrafast} turns off
 *                        CABAC and 8x8 transforms and yields Constrained Baseline (the manifests then say so).
 * @param maxFrameRate    output frame rate cap; slower sources keep their rate.
 * @param extraCodecs     codecs encoded besides H.264 (HEVC, VP9, AV1); empty by default.
 * @param rungs           the candidate rungs, lowest first.
 * @param vp9CpuUsed      libvpx-vp9 {@code -cpu-used} (0 best .. 8 fastest).
 * @param svtAv1Preset    libsvtav1 {@code -preset} (0 best .. 13 fastest).
 */
public record LadderOptions(
    int segmentSeconds,
    String x264Preset,
    FrameRate maxFrameRate,
    Set<VideoCodec> extraCodecs,
    List<LadderRung> rungs,
    int vp9CpuUsed,
    int svtAv1Preset)
{
    /** Smallest accepted segment duration in seconds. */
    public static final int MIN_SEGMENT_SECONDS = 2;
    /** Largest accepted segment duration in seconds. */
    public static final int MAX_SEGMENT_SECONDS = 6;
    private static final Set<String> X264_PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast",
        "medium", "slow", "slower", "veryslow", "placebo");

    /** The seed's ladder, 4 s segments, veryfast, 60 fps cap, H.264 only. */
    public static final LadderOptions DEFAULTS = new LadderOptions(4, "veryfast", FrameRate.of(60),
        EnumSet.noneOf(VideoCodec.class), List.of(LadderRung.values()), 4, 8);

    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LadderOptions
    {
        if (segmentSeconds < MIN_SEGMENT_SECONDS || segmentSeconds > MAX_SEGMENT_SECONDS)
        {
            throw new IllegalArgumentException("transcode.segment-seconds must be between " + MIN_SEGMENT_SECONDS +
                " and " + MAX_SEGMENT_SECONDS + ", got " + segmentSeconds);
        }
        if (!X264_PRESETS.contains(x264Preset))
        {
            throw new IllegalArgumentException("transcode.preset must be one of " + X264_PRESETS + ", got '" +
                x264Preset + "'");
        }
        if (rungs.isEmpty())
        {
            throw new IllegalArgumentException("transcode.rungs must name at least one rung");
        }
        if (vp9CpuUsed < 0 || vp9CpuUsed > 8 || svtAv1Preset < 0 || svtAv1Preset > 13)
        {
            throw new IllegalArgumentException("vp9 cpu-used must be 0..8 and svt-av1 preset 0..13");
        }
        final EnumSet<VideoCodec> extras = extraCodecs.isEmpty() ? EnumSet.noneOf(VideoCodec.class) :
            EnumSet.copyOf(extraCodecs);
        extras.remove(VideoCodec.H264);
        extraCodecs = Set.copyOf(extras);
        final EnumSet<LadderRung> sorted = EnumSet.copyOf(rungs);
        rungs = List.copyOf(sorted);
    }

    /**
     * @param seconds the segment duration.
     * @return a copy.
     */
    public LadderOptions withSegmentSeconds(final int seconds)
    {
        return new LadderOptions(seconds, x264Preset, maxFrameRate, extraCodecs, rungs, vp9CpuUsed, svtAv1Preset);
    }

    /**
     * @param preset the libx264 preset.
     * @return a copy.
     */
    public LadderOptions withX264Preset(final String preset)
    {
        return new LadderOptions(segmentSeconds, preset, maxFrameRate, extraCodecs, rungs, vp9CpuUsed, svtAv1Preset);
    }

    /**
     * @param codecs extra codecs besides H.264.
     * @return a copy.
     */
    public LadderOptions withExtraCodecs(final Set<VideoCodec> codecs)
    {
        return new LadderOptions(segmentSeconds, x264Preset, maxFrameRate, codecs, rungs, vp9CpuUsed, svtAv1Preset);
    }

    /**
     * @param candidates the rungs to consider.
     * @return a copy.
     */
    public LadderOptions withRungs(final List<LadderRung> candidates)
    {
        return new LadderOptions(segmentSeconds, x264Preset, maxFrameRate, extraCodecs, candidates, vp9CpuUsed,
            svtAv1Preset);
    }

    /**
     * @param cpuUsed libvpx-vp9 speed.
     * @return a copy.
     */
    public LadderOptions withVp9CpuUsed(final int cpuUsed)
    {
        return new LadderOptions(segmentSeconds, x264Preset, maxFrameRate, extraCodecs, rungs, cpuUsed, svtAv1Preset);
    }
}
