package io.bifrost.perf.transcode;

import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The ffmpeg command lines Bifrost's one-process ladder is compared with, built from the same {@link LadderPlan} so
 * that rungs, sizes, bitrates, VBV, GOP, preset, segment duration and audio are identical:
 * <ul>
 *   <li>{@link #perRendition}: one ffmpeg per rendition, each decoding the source itself. A video rendition's
 *       command is Bifrost's own {@link TranscodeCommand} for a plan holding only that rendition (same filters and
 *       encoder flags; the split has one branch), and the audio rendition is one more process.</li>
 *   <li>{@link #handWritten}: the single command an operator writes by hand from the ffmpeg documentation: one
 *       {@code split} + {@code scale} per rung, per-stream {@code -b:v:N}, {@code -g}/{@code -keyint_min}/
 *       {@code -sc_threshold 0}, and one HLS muxer with {@code -var_stream_map} and a shared audio group (so audio is
 *       encoded once, as in Bifrost). No frame-rate filter or pixel-format conversion: the source is already
 *       constant-rate 8-bit 4:2:0.</li>
 * </ul>
 * Every command writes {@code {rendition}/index.m3u8} plus fMP4 segments relative to its working directory (the
 * hand-written one also a {@code master.m3u8}). Stateless.
 */
final class BaselineCommands
{
    /** Master playlist the hand-written command writes. */
    static final String HAND_WRITTEN_MASTER = "master.m3u8";
    /** HLS group id shared by every video variant of the hand-written command. */
    private static final String AUDIO_GROUP = "aud";

    private BaselineCommands()
    {
    }

    /**
     * @param ffmpeg the executable.
     * @param source the source file.
     * @param plan   Bifrost's plan for it.
     * @return one command per video rendition (lowest first), then one per audio rendition; run each in the output
     *         directory.
     */
    static List<List<String>> perRendition(final Path ffmpeg, final Path source, final LadderPlan plan)
    {
        final List<List<String>> commands = new ArrayList<>();
        for (final VideoRendition rendition : plan.video())
        {
            final LadderPlan single = new LadderPlan(plan.source(), plan.segmentSeconds(), List.of(rendition),
                List.of(), plan.options());
            commands.add(TranscodeCommand.build(ffmpeg, source, single));
        }
        for (final AudioRendition rendition : plan.audio())
        {
            final List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
                "-loglevel", "error", "-nostats", "-y", "-i", "file:" + source.toAbsolutePath(),
                "-map", "0:a:0", "-c:a", rendition.codec().encoder(), "-b:a", Long.toString(rendition.bitrateBps()),
                "-ar", Integer.toString(rendition.sampleRateHz()), "-ac", Integer.toString(rendition.channels()),
                "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"));
            command.addAll(hlsOutput(rendition.name(), plan.segmentSeconds()));
            commands.add(command);
        }
        return commands;
    }

    /**
     * @param ffmpeg the executable.
     * @param source the source file.
     * @param plan   Bifrost's plan for it (H.264 renditions and at most one audio rendition).
     * @return the single command; run it in the output directory.
     * @throws IllegalArgumentException when the plan has more than one audio rendition (extra codecs).
     */
    static List<String> handWritten(final Path ffmpeg, final Path source, final LadderPlan plan)
    {
        if (plan.audio().size() > 1)
        {
            throw new IllegalArgumentException("the hand-written command covers one audio rendition, the plan has " +
                plan.audio().size());
        }
        final List<VideoRendition> video = plan.video();
        final StringBuilder graph = new StringBuilder("[0:v]split=").append(video.size());
        for (int i = 0; i < video.size(); i++)
        {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < video.size(); i++)
        {
            graph.append(";[s").append(i).append("]scale=").append(video.get(i).width()).append(':')
                .append(video.get(i).height()).append("[v").append(i).append(']');
        }
        final String gop = Integer.toString(video.get(0).gopFrames());
        final List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
            "-loglevel", "error", "-nostats", "-y", "-i", source.toAbsolutePath().toString(),
            "-filter_complex", graph.toString()));
        final StringJoiner streamMap = new StringJoiner(" ");
        for (int i = 0; i < video.size(); i++)
        {
            final VideoRendition rendition = video.get(i);
            command.addAll(List.of("-map", "[v" + i + "]",
                "-b:v:" + i, Long.toString(rendition.bitrateBps()),
                "-maxrate:v:" + i, Long.toString(rendition.maxrateBps()),
                "-bufsize:v:" + i, Long.toString(rendition.bufsizeBits())));
            streamMap.add("v:" + i + ",agroup:" + AUDIO_GROUP + ",name:" + rendition.name());
        }
        command.addAll(List.of("-c:v", "libx264", "-preset", plan.options().x264Preset(), "-profile:v", "high",
            "-g", gop, "-keyint_min", gop, "-sc_threshold", "0"));
        for (final AudioRendition rendition : plan.audio())
        {
            command.addAll(List.of("-map", "0:a:0", "-c:a", rendition.codec().encoder(),
                "-b:a", Long.toString(rendition.bitrateBps()),
                "-ar", Integer.toString(rendition.sampleRateHz()), "-ac", Integer.toString(rendition.channels())));
            streamMap.add("a:0,agroup:" + AUDIO_GROUP + ",name:" + rendition.name());
        }
        command.addAll(List.of("-f", "hls",
            "-hls_time", Integer.toString(plan.segmentSeconds()),
            "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4",
            "-hls_flags", "independent_segments",
            "-hls_fmp4_init_filename", TranscodeCommand.INIT_SEGMENT,
            "-hls_segment_filename", "%v/%d.m4s",
            "-master_pl_name", HAND_WRITTEN_MASTER,
            "-var_stream_map", streamMap.toString(),
            "%v/" + TranscodeCommand.MEDIA_PLAYLIST));
        return command;
    }

    /** The HLS fMP4 output of one rendition, as {@link TranscodeCommand} writes it. */
    private static List<String> hlsOutput(final String rendition, final int segmentSeconds)
    {
        return List.of("-f", "hls",
            "-hls_time", Integer.toString(segmentSeconds),
            "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", TranscodeCommand.INIT_SEGMENT,
            "-hls_flags", "independent_segments",
            "-start_number", Integer.toString(TranscodeCommand.FIRST_SEGMENT_NUMBER),
            "-hls_segment_filename", rendition + "/%d.m4s",
            rendition + "/" + TranscodeCommand.MEDIA_PLAYLIST);
    }
}
