package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Plans the ladder for a probed source.
 * <p>
 * Rules: planning uses the display shape (sample aspect ratio and rotation applied; outputs have square pixels),
 * and a rung's box is turned to match it (a 1080x1920 portrait source gets 1080x1920 at "1080p"). A rung is kept
 * only when its box fits inside the source (never upscale); when no rung fits, the lowest one is kept at the source's
 * own size. Each rendition keeps the source's aspect ratio inside the box, rounded to even dimensions. The frame
 * rate is the source's (variable rates rounded up to a standard one), capped at the configured maximum, and every
 * rendition uses the same keyframe interval (frame rate x segment duration) so that segments line up across
 * renditions. Extra codecs repeat the same rungs at a fraction of the bitrate.
 */
public final class LadderPlanner
{
    /** VBV peak as a multiple of the target bitrate (capped VBR). */
    static final double MAXRATE_FACTOR = 1.5;
    /** VBV buffer as a multiple of the target bitrate. */
    static final double BUFSIZE_FACTOR = 2.0;

    /** Constant rates a variable-frame-rate source is rounded up to, ascending. */
    static final List<FrameRate> STANDARD_RATES = List.of(FrameRate.of(12), FrameRate.of(15),
        new FrameRate(24000, 1001), FrameRate.of(24), FrameRate.of(25), new FrameRate(30000, 1001), FrameRate.of(30),
        FrameRate.of(48), FrameRate.of(50), new FrameRate(60000, 1001), FrameRate.of(60));
    /** An average a hair above a standard rate (timestamp rounding) still counts as that rate. */
    static final double VFR_SNAP_TOLERANCE = 0.9995;

    private LadderPlanner()
    {
    }

    /**
     * @param source  a validated source (it must have video).
     * @param options the ladder options.
     * @return the plan.
     * @throws IllegalArgumentException when the source has no video.
     */
    public static LadderPlan plan(final SourceInfo source, final LadderOptions options)
    {
        final VideoStreamInfo video = source.video();
        if (video == null)
        {
            throw new IllegalArgumentException("cannot plan a ladder for a source without video");
        }
        final int displayWidth = video.displayWidth();
        final int displayHeight = video.displayHeight();
        final boolean portrait = displayHeight > displayWidth;
        final int sourceLong = Math.max(displayWidth, displayHeight);
        final int sourceShort = Math.min(displayWidth, displayHeight);
        final FrameRate frameRate = outputFrameRate(video, options.maxFrameRate());
        final int gopFrames = (int)Math.max(1, Math.round(frameRate.toDouble() * options.segmentSeconds()));

        final List<LadderRung> kept = new ArrayList<>();
        for (final LadderRung rung : options.rungs())
        {
            if (rung.shortSide() <= sourceShort && rung.longSide() <= sourceLong)
            {
                kept.add(rung);
            }
        }
        final boolean belowLowest = kept.isEmpty();
        if (belowLowest)
        {
            kept.add(options.rungs().get(0));
        }

        final EnumSet<VideoCodec> codecs = EnumSet.of(VideoCodec.H264);
        codecs.addAll(options.extraCodecs());
        final List<VideoRendition> renditions = new ArrayList<>();
        for (final VideoCodec codec : codecs)
        {
            for (final LadderRung rung : kept)
            {
                final int[] size = belowLowest ?
                    new int[]{ displayWidth & ~1, displayHeight & ~1 } :
                    fit(displayWidth, displayHeight, portrait ? rung.shortSide() : rung.longSide(),
                    portrait ? rung.longSide() : rung.shortSide());
                final long bitrate = Math.round(rung.bitrateBps() * codec.bitrateFactor());
                renditions.add(new VideoRendition(rung.label() + codec.suffix(), rung, codec, size[0], size[1],
                    frameRate, bitrate, Math.round(bitrate * MAXRATE_FACTOR), Math.round(bitrate * BUFSIZE_FACTOR),
                    gopFrames));
            }
        }

        final List<AudioRendition> audio = new ArrayList<>();
        if (source.hasAudio())
        {
            final EnumSet<AudioCodec> audioCodecs = EnumSet.noneOf(AudioCodec.class);
            codecs.forEach(codec -> audioCodecs.add(codec.audio()));
            for (final AudioCodec codec : audioCodecs)
            {
                audio.add(new AudioRendition(codec.renditionName(), codec, codec.bitrateBps(),
                    AudioRendition.SAMPLE_RATE_HZ, AudioRendition.CHANNELS));
            }
        }
        return new LadderPlan(source, options.segmentSeconds(), renditions, audio, options);
    }

    /**
     * The constant output rate: the source's average rate, except that a variable-frame-rate source (whose average
     * is an odd number like 1800/89) is rounded up to the next standard rate so that no frames are dropped on
     * average; capped at {@code max}.
     */
    static FrameRate outputFrameRate(final VideoStreamInfo video, final FrameRate max)
    {
        final FrameRate nominal = video.nominalFrameRate();
        if (video.isVariableFrameRate())
        {
            for (final FrameRate standard : STANDARD_RATES)
            {
                if (standard.toDouble() >= nominal.toDouble() * VFR_SNAP_TOLERANCE)
                {
                    return standard.cappedAt(max);
                }
            }
        }
        return nominal.cappedAt(max);
    }

    /** Largest even size with the source's aspect ratio inside the box (never larger than the source). */
    static int[] fit(final int width, final int height, final int boxWidth, final int boxHeight)
    {
        final double scale = Math.min(1.0, Math.min((double)boxWidth / width, (double)boxHeight / height));
        int w = even(width * scale);
        int h = even(height * scale);
        w = Math.min(w, boxWidth - (boxWidth & 1));
        h = Math.min(h, boxHeight - (boxHeight & 1));
        return new int[]{ Math.max(2, w), Math.max(2, h) };
    }

    private static int even(final double value)
    {
        return Math.max(2, (int)Math.round(value / 2.0) * 2);
    }
}
