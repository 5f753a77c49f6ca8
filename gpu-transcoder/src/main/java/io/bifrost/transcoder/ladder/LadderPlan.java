package io.bifrost.transcoder.ladder;

import io.bifrost.transcoder.probe.SourceInfo;

import java.util.List;

/**
 * Everything one transcode produces: video renditions (lowest first, H.264 then the extra codecs), audio renditions
 * (none when the source is silent), and the segment duration shared by all of them.
 *
 * @param source         the probed source.
 * @param segmentSeconds segment duration in seconds.
 * @param video          video renditions.
 * @param audio          audio renditions.
 * @param options        the options the plan was made with.
 */
public record LadderPlan(SourceInfo source, int segmentSeconds, List<VideoRendition> video,
    List<AudioRendition> audio, LadderOptions options)
{
    /**
     * @param video the video renditions.
     * @param audio the audio renditions.
     */
    public LadderPlan
    {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
    }

    /**
     * @return the expected number of segments per rendition: ceil(duration / segment).
     */
    public int expectedSegmentCount()
    {
        return (int)Math.ceil(source.durationSeconds() / segmentSeconds - 1e-6);
    }

    /**
     * @param codec an audio codec.
     * @return the audio rendition of that codec, or {@code null}.
     */
    public AudioRendition audioFor(final AudioCodec codec)
    {
        for (final AudioRendition rendition : audio)
        {
            if (rendition.codec() == codec)
            {
                return rendition;
            }
        }
        return null;
    }
}
