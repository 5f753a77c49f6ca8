package io.bifrost.origin.live.transcode;

import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command line of one live stream: FLV on stdin, one decode, {@code split} + {@code scale} per rung, libx264
 * {@code -tune zerolatency} per rung with keyframes forced on a grid that divides the segment grid ({@code
 * -force_key_frames expr:gte(t,n_forced*S/N)} for N keyframes per S s segment, scene cuts off, no other keyframes),
 * and AAC 48 kHz stereo as its own output. Every output is fragmented MP4 for CMAF
 * ({@code +frag_keyframe+empty_moov+default_base_moof+cmaf}) with {@code -frag_duration} at the part target and
 * {@code -flush_packets 1}, so each part reaches its pipe as soon as ffmpeg cuts it. ffmpeg 5.1 was checked to cut
 * exactly: at 30 fps and 333 ms, video fragments of 10 frames (every keyframe starts a fragment), audio fragments of
 * 16 AAC frames (341 ms).
 *
 * <p>Keyframes inside a segment (N above 1; 1 s in 2 s segments by default) make the parts they start independent
 * (INDEPENDENT=YES), where hls.js in low-latency mode can change rendition without waiting for the next segment; the
 * packager still cuts segments on the segment grid only. They cost bit rate (an IDR frame is several times a P
 * frame). A keyframe interval that is a multiple of the part target keeps them on part starts; another one makes
 * ffmpeg cut a short fragment at each keyframe, and the packager may then join that keyframe into the middle of a
 * part, where no player can use it. Immutable.
 *
 * @param ffmpeg       the executable.
 * @param plan         the ladder for this source.
 * @param videoOutputs where each video rendition goes, in plan order.
 * @param audioOutput  where the audio goes, null without audio.
 * @param preset       the libx264 preset.
 * @param partTargetMs the fragment duration.
 * @param capFrameRate whether to insert an {@code fps} filter (the source is faster than the ladder's cap).
 * @param audioBitrateBps the AAC bit rate.
 * @param segmentSeconds the live segment duration, at least 1 (origin.live-segment-seconds; the plan's own segment
 *                       duration is the VOD ladder's, 2..6, and is not used for live keyframes).
 * @param keyframesPerSegment keyframes forced per segment, at least 1 (1: on the segment grid only).
 */
record LiveLadderCommand(Path ffmpeg, LadderPlan plan, List<Path> videoOutputs, Path audioOutput, String preset,
    int partTargetMs, boolean capFrameRate, int audioBitrateBps, int segmentSeconds, int keyframesPerSegment)
{
    LiveLadderCommand
    {
        if (segmentSeconds < 1)
        {
            throw new IllegalArgumentException("the segment duration must be at least 1 s, got " + segmentSeconds);
        }
        if (keyframesPerSegment < 1)
        {
            throw new IllegalArgumentException("keyframes per segment must be at least 1, got " + keyframesPerSegment);
        }
    }

    /** A keyframe interval longer than any stream, so that only the forced keyframes on the grid are keyframes. */
    static final int NO_NATURAL_KEYFRAMES = 100_000;
    /** CMAF fragmented MP4, written as it is cut. */
    static final String MOVFLAGS = "+frag_keyframe+empty_moov+default_base_moof+cmaf";

    /**
     * @return the argument list (no shell involved).
     */
    List<String> arguments()
    {
        final List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostats",
            "-loglevel", "warning", "-y", "-f", "flv", "-i", "pipe:0"));
        final List<VideoRendition> video = plan.video();
        final StringBuilder graph = new StringBuilder("[0:v]");
        if (capFrameRate)
        {
            graph.append("fps=").append(video.get(0).frameRate().toFfmpeg()).append(',');
        }
        graph.append("split=").append(video.size());
        for (int i = 0; i < video.size(); i++)
        {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < video.size(); i++)
        {
            final VideoRendition rendition = video.get(i);
            graph.append(";[s").append(i).append("]scale=").append(rendition.width()).append(':')
                .append(rendition.height()).append(",setsar=1[v").append(i).append(']');
        }
        args.addAll(List.of("-filter_complex", graph.toString()));
        for (int i = 0; i < video.size(); i++)
        {
            args.addAll(List.of("-map", "[v" + i + "]", "-an"));
            videoEncoder(args, video.get(i));
            output(args, videoOutputs.get(i));
        }
        audio(args);
        return args;
    }

    /**
     * The decoder of the batched path ({@link RawFrameLadder}): FLV on stdin, the video decoded once to raw 8-bit
     * I420 at the ladder's constant rate on stdout, and the audio encoded as in {@link #arguments()}.
     * {@code fps=...:start_time=0} makes frame {@code n} the picture at {@code n / rate} s of the same zero-based
     * timeline the audio output uses (a late first video frame is repeated back to 0), so the rung encoders, which only
     * count frames, stay in sync with the audio; {@code scale=W:H} pins the raw size should the publisher change
     * resolution midway (the new picture is scaled to the first one's size).
     *
     * @param decodedWidth  the width of the raw frames (the source's).
     * @param decodedHeight their height.
     * @return the argument list.
     */
    List<String> decoderArguments(final int decodedWidth, final int decodedHeight)
    {
        final List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostats",
            "-loglevel", "warning", "-y", "-f", "flv", "-i", "pipe:0", "-map", "0:v:0", "-an",
            "-vf", "fps=" + plan.video().get(0).frameRate().toFfmpeg() + ":start_time=0,scale=" + decodedWidth + ":" +
            decodedHeight + ",format=yuv420p",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"));
        audio(args);
        return args;
    }

    /**
     * One rung's encoder on the batched path: raw I420 frames of the rung's size on stdin at the ladder's rate, the
     * same libx264 settings, keyframe grid and fragmenting as {@link #arguments()}, into the rung's pipe.
     *
     * @param rung the rendition's index in the plan.
     * @return the argument list.
     */
    List<String> rungEncoderArguments(final int rung)
    {
        final VideoRendition rendition = plan.video().get(rung);
        final List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostats",
            "-loglevel", "warning", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
            "-s", rendition.width() + "x" + rendition.height(), "-framerate", rendition.frameRate().toFfmpeg(),
            "-i", "pipe:0", "-map", "0:v:0"));
        videoEncoder(args, rendition);
        output(args, videoOutputs.get(rung));
        return args;
    }

    private void videoEncoder(final List<String> args, final VideoRendition rendition)
    {
        args.addAll(List.of("-c:v", "libx264", "-preset", preset,
            "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-b:v", Long.toString(rendition.bitrateBps()), "-maxrate", Long.toString(rendition.maxrateBps()),
            "-bufsize", Long.toString(rendition.bufsizeBits()),
            "-g", Integer.toString(NO_NATURAL_KEYFRAMES), "-keyint_min", "1", "-sc_threshold", "0",
            "-force_key_frames", forceKeyFramesExpression(segmentSeconds, keyframesPerSegment)));
    }

    private void audio(final List<String> args)
    {
        if (null != audioOutput)
        {
            args.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", Integer.toString(audioBitrateBps),
                "-ar", Integer.toString(AudioRendition.SAMPLE_RATE_HZ), "-ac", Integer.toString(AudioRendition.CHANNELS)));
            output(args, audioOutput);
        }
    }

    /**
     * @param segmentSeconds      the segment duration.
     * @param keyframesPerSegment keyframes per segment.
     * @return the {@code -force_key_frames} value: the first frame at or after each multiple of S/N seconds (the
     *         multiplication comes first, so the multiples of N land exactly on S, 2S, ...).
     */
    static String forceKeyFramesExpression(final int segmentSeconds, final int keyframesPerSegment)
    {
        return "expr:gte(t,n_forced*" + segmentSeconds + (1 == keyframesPerSegment ? "" : "/" + keyframesPerSegment) +
            ")";
    }

    private void output(final List<String> args, final Path path)
    {
        args.addAll(List.of("-f", "mp4", "-movflags", MOVFLAGS,
            "-frag_duration", String.format(Locale.ROOT, "%d", partTargetMs * 1000L), "-flush_packets", "1",
            path.toString()));
    }
}
