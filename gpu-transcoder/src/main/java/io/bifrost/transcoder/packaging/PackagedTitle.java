package io.bifrost.transcoder.packaging;

import java.util.List;

/**
 * A packaged VOD title: what {@code master.m3u8} and {@code manifest.mpd} describe.
 *
 * @param video           video renditions, lowest first.
 * @param audio           audio renditions.
 * @param durationSeconds presentation duration.
 * @param segmentSeconds  nominal segment duration.
 */
public record PackagedTitle(List<PackagedVideo> video, List<PackagedAudio> audio, double durationSeconds,
    int segmentSeconds)
{
    /**
     * @param video the video renditions.
     * @param audio the audio renditions.
     */
    public PackagedTitle
    {
        video = List.copyOf(video);
        audio = List.copyOf(audio);
    }
}
