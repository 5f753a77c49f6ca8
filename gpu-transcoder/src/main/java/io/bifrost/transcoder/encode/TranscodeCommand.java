package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.ladder.VideoRendition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the single ffmpeg command that encodes a whole {@link LadderPlan}: the source is decoded once, a
 * {@code -filter_complex} graph converts it to the planned constant frame rate, splits it, and scales each branch to
 * one rendition (8-bit yuv420p whatever the source depth); every rendition, and each audio codec, is its own HLS
 * output with CMAF (fMP4) segments.
 * <p>
 * Layout, relative to the working directory the command runs in (the rendition folder of the output):
 * {@code {rendition}/index.m3u8}, {@code {rendition}/init.mp4}, {@code {rendition}/0.m4s, 1.m4s, ...}: segment
 * numbers start at 0 and equal the media sequence number, so the origin serves {@code /vod/{id}/{rendition}/{msn}.m4s}
 * straight from disk. Keyframes are closed GOPs of exactly frame rate x segment seconds frames, forced at every
 * segment boundary and with scene-cut keyframes off, so every segment of every rendition starts with an IDR frame at
 * the same media time. Audio is a separate rendition (CMAF and DASH want one track per file, and one audio track then
 * serves every video rendition instead of being stored once per rendition).
 */
public final class TranscodeCommand
{
    /** Name of every rendition's media playlist. */
    public static final String MEDIA_PLAYLIST = "index.m3u8";
    /** Name of every rendition's initialisation segment. */
    public static final String INIT_SEGMENT = "init.mp4";
    /** NVENC preset (p1 fastest .. p7 best); p5 is NVIDIA's "slow", a quality setting for VOD. */
    static final String NVENC_PRESET = "p5";
    /** First media sequence number (and segment file number). */
    public static final int FIRST_SEGMENT_NUMBER = 0;

    private TranscodeCommand()
    {
    }

    /**
     * @param ffmpeg the executable.
     * @param source the source file (absolute path recommended; passed with the {@code file:} protocol).
     * @param plan   the ladder.
     * @return the argument list; run it with the output directory as working directory.
     */
    public static List<String> build(final Path ffmpeg, final Path source, final LadderPlan plan)
    {
        return build(ffmpeg, source, plan, EncoderFamily.SOFTWARE);
    }

    /**
     * @param ffmpeg   the executable.
     * @param source   the source file.
     * @param plan     the ladder.
     * @param encoders software or NVENC for the H.264/HEVC renditions.
     * @return the argument list; run it with the output directory as working directory.
     */
    public static List<String> build(final Path ffmpeg, final Path source, final LadderPlan plan,
        final EncoderFamily encoders)
    {
        final List<String> args = new ArrayList<>();
        args.add(ffmpeg.toString());
        args.addAll(List.of("-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1",
            "-y", "-i", "file:" + source.toAbsolutePath()));
        args.add("-filter_complex");
        args.add(filterGraph(plan));

        final int seg = plan.segmentSeconds();
        final List<VideoRendition> video = plan.video();
        for (int i = 0; i < video.size(); i++)
        {
            final VideoRendition rendition = video.get(i);
            args.addAll(List.of("-map", "[v" + i + "]"));
            args.addAll(videoEncoderArgs(rendition, plan, encoders));
            args.addAll(List.of("-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"));
            args.addAll(hlsOutput(rendition.name(), seg));
        }
        args.addAll(audioOutputs(plan));
        return args;
    }

    /**
     * @param plan the ladder.
     * @return one HLS output per audio rendition, reading the first audio stream of input 0.
     */
    static List<String> audioOutputs(final LadderPlan plan)
    {
        final List<String> args = new ArrayList<>();
        for (final AudioRendition rendition : plan.audio())
        {
            args.addAll(List.of("-map", "0:a:0", "-c:a", rendition.codec().encoder(),
                "-b:a", Long.toString(rendition.bitrateBps()),
                "-ar", Integer.toString(rendition.sampleRateHz()),
                "-ac", Integer.toString(rendition.channels()),
                "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"));
            args.addAll(hlsOutput(rendition.name(), plan.segmentSeconds()));
        }
        return args;
    }

    /**
     * The filter graph: one decode, constant frame rate, split into one scaled 8-bit branch per video rendition,
     * labelled {@code [v0]}, {@code [v1]}, ...
     *
     * @param plan the ladder.
     * @return the {@code -filter_complex} argument.
     */
    public static String filterGraph(final LadderPlan plan)
    {
        final List<VideoRendition> video = plan.video();
        final StringBuilder graph = new StringBuilder(256);
        graph.append("[0:v:0]fps=").append(video.get(0).frameRate().toFfmpeg())
            .append(",split=").append(video.size());
        for (int i = 0; i < video.size(); i++)
        {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < video.size(); i++)
        {
            final VideoRendition rendition = video.get(i);
            graph.append(";[s").append(i).append("]scale=w=").append(rendition.width())
                .append(":h=").append(rendition.height())
                .append(":flags=bicubic,setsar=1,format=yuv420p[v").append(i).append(']');
        }
        return graph.toString();
    }

    static List<String> videoEncoderArgs(final VideoRendition rendition, final LadderPlan plan,
        final EncoderFamily encoders)
    {
        final String gop = Integer.toString(rendition.gopFrames());
        final String forceKeyFrames = "expr:gte(t,n_forced*" + plan.segmentSeconds() + ")";
        if (encoders == EncoderFamily.NVENC &&
            (rendition.codec() == VideoCodec.H264 || rendition.codec() == VideoCodec.HEVC))
        {
            return nvencArgs(rendition, gop, forceKeyFrames);
        }
        final List<String> args = new ArrayList<>(List.of("-c:v", rendition.codec().encoder(),
            "-b:v", Long.toString(rendition.bitrateBps()),
            "-maxrate", Long.toString(rendition.maxrateBps()),
            "-bufsize", Long.toString(rendition.bufsizeBits())));
        switch (rendition.codec())
        {
            case H264 -> args.addAll(List.of("-preset", plan.options().x264Preset(), "-profile:v", "high",
                "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-flags", "+cgop",
                "-force_key_frames", forceKeyFrames));
            case HEVC -> args.addAll(List.of("-preset", plan.options().x264Preset(), "-profile:v", "main",
                "-tag:v", "hvc1", "-g", gop, "-keyint_min", gop, "-force_key_frames", forceKeyFrames,
                "-x265-params", String.format(Locale.ROOT,
                "keyint=%s:min-keyint=%s:scenecut=0:open-gop=0:log-level=error", gop, gop)));
            case VP9 -> args.addAll(List.of("-deadline", "good",
                "-cpu-used", Integer.toString(plan.options().vp9CpuUsed()), "-row-mt", "1",
                "-g", gop, "-keyint_min", gop, "-force_key_frames", forceKeyFrames));
            case AV1 -> args.addAll(List.of("-preset", Integer.toString(plan.options().svtAv1Preset()),
                "-g", gop, "-force_key_frames", forceKeyFrames, "-svtav1-params", "scd=0"));
            default -> throw new IllegalStateException("no encoder arguments for " + rendition.codec());
        }
        return args;
    }

    private static List<String> nvencArgs(final VideoRendition rendition, final String gop,
        final String forceKeyFrames)
    {
        final boolean h264 = rendition.codec() == VideoCodec.H264;
        final List<String> args = new ArrayList<>(List.of("-c:v", h264 ? "h264_nvenc" : "hevc_nvenc",
            "-preset", NVENC_PRESET, "-tune", "hq", "-rc", "vbr",
            "-b:v", Long.toString(rendition.bitrateBps()),
            "-maxrate", Long.toString(rendition.maxrateBps()),
            "-bufsize", Long.toString(rendition.bufsizeBits()),
            "-profile:v", h264 ? "high" : "main",
            "-g", gop, "-no-scenecut", "1", "-forced-idr", "1",
            "-force_key_frames", forceKeyFrames));
        if (!h264)
        {
            args.addAll(List.of("-tag:v", "hvc1"));
        }
        return args;
    }

    static List<String> hlsOutput(final String rendition, final int segmentSeconds)
    {
        return List.of("-f", "hls",
            "-hls_time", Integer.toString(segmentSeconds),
            "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", INIT_SEGMENT,
            "-hls_flags", "independent_segments",
            "-start_number", Integer.toString(FIRST_SEGMENT_NUMBER),
            "-hls_segment_filename", rendition + "/%d.m4s",
            rendition + "/" + MEDIA_PLAYLIST);
    }
}
