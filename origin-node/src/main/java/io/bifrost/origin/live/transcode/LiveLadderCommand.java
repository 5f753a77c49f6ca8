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
 * {@code -tune zerolatency} per rung with keyframes forced on the segment grid ({@code -force_key_frames
 * expr:gte(t,n_forced*S)}, scene cuts off, no other keyframes), and AAC 48 kHz stereo as its own output. Every output
 * is fragmented MP4 for CMAF ({@code +frag_keyframe+empty_moov+default_base_moof+cmaf}) with {@code -frag_duration}
 * at the part target and {@code -flush_packets 1}, so each part reaches its pipe as soon as ffmpeg cuts it. ffmpeg 5.1
 * was checked to cut exactly: at 30 fps and 333 ms, video fragments of 10 frames (keyframes every 60th frame start a
 * fragment), audio fragments of 16 AAC frames (341 ms). Immutable.
 *
 * @param ffmpeg       the executable.
 * @param plan         the ladder for this source.
 * @param videoOutputs where each video rendition goes, in plan order.
 * @param audioOutput  where the audio goes, null without audio.
 * @param preset       the libx264 preset.
 * @param partTargetMs the fragment duration.
 * @param capFrameRate whether to insert an {@code fps} filter (the source is faster than the ladder's cap).
 * @param audioBitrateBps the AAC bit rate.
 */
record LiveLadderCommand(Path ffmpeg, LadderPlan plan, List<Path> videoOutputs, Path audioOutput, String preset,
    int partTargetMs, boolean capFrameRate, int audioBitrateBps)
{
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
        final String forceKeyFrames = "expr:gte(t,n_forced*" + plan.segmentSeconds() + ")";
        for (int i = 0; i < video.size(); i++)
        {
            final VideoRendition rendition = video.get(i);
            args.addAll(List.of("-map", "[v" + i + "]", "-an", "-c:v", "libx264", "-preset", preset,
                "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
                "-b:v", Long.toString(rendition.bitrateBps()), "-maxrate", Long.toString(rendition.maxrateBps()),
                "-bufsize", Long.toString(rendition.bufsizeBits()),
                "-g", Integer.toString(NO_NATURAL_KEYFRAMES), "-keyint_min", "1", "-sc_threshold", "0",
                "-force_key_frames", forceKeyFrames));
            output(args, videoOutputs.get(i));
        }
        if (null != audioOutput)
        {
            args.addAll(List.of("-map", "0:a:0", "-vn", "-c:a", "aac", "-b:a", Integer.toString(audioBitrateBps),
                "-ar", Integer.toString(AudioRendition.SAMPLE_RATE_HZ), "-ac", Integer.toString(AudioRendition.CHANNELS)));
            output(args, audioOutput);
        }
        return args;
    }

    private void output(final List<String> args, final Path path)
    {
        args.addAll(List.of("-f", "mp4", "-movflags", MOVFLAGS,
            "-frag_duration", String.format(Locale.ROOT, "%d", partTargetMs * 1000L), "-flush_packets", "1",
            path.toString()));
    }
}
