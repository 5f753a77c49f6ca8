package io.bifrost.transcoder.job;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.VideoCodec;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * One VOD transcode request as the origin appends it to the job log: which upload becomes which title, where the
 * title is published, and the ladder options that vary per title. Jobs are keyed (and idempotent) by video id.
 *
 * @param videoId        the title id ({@code [A-Za-z0-9_-]{1,64}}).
 * @param source         the uploaded file (absolute).
 * @param outputRoot     the folder holding one folder per title (absolute).
 * @param segmentSeconds segment duration, 2..6.
 * @param x264Preset     libx264 preset.
 * @param extraCodecs    codecs besides H.264.
 */
public record TranscodeJob(String videoId, Path source, Path outputRoot, int segmentSeconds, String x264Preset,
    Set<VideoCodec> extraCodecs)
{
    /**
     * @throws IllegalArgumentException when the id or an option is invalid, or a path is relative.
     */
    public TranscodeJob
    {
        ContentKey.masterPlaylist(ContentScope.VOD, videoId);
        if (!source.isAbsolute() || !outputRoot.isAbsolute())
        {
            throw new IllegalArgumentException("job paths must be absolute: " + source + ", " + outputRoot);
        }
        extraCodecs = extraCodecs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extraCodecs));
        ladderOptions(segmentSeconds, x264Preset, extraCodecs);
    }

    /**
     * @return the ladder options of this job (defaults for everything the job does not carry).
     */
    public LadderOptions ladderOptions()
    {
        return ladderOptions(segmentSeconds, x264Preset, extraCodecs);
    }

    private static LadderOptions ladderOptions(final int segmentSeconds, final String preset,
        final Set<VideoCodec> extraCodecs)
    {
        return LadderOptions.DEFAULTS.withSegmentSeconds(segmentSeconds).withX264Preset(preset)
            .withExtraCodecs(extraCodecs);
    }
}
