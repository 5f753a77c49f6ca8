package io.bifrost.transcoder.packaging;

import java.util.List;

/**
 * A finished audio rendition as the manifests describe it.
 *
 * @param name         rendition id and folder.
 * @param groupId      HLS audio group id, e.g. {@code audio-aac}.
 * @param codecs       RFC 6381 codec string, e.g. {@code mp4a.40.2}.
 * @param sampleRateHz sample rate.
 * @param channels     channel count.
 * @param bandwidth    measured bitrates.
 * @param segments     segments in order (numbered from 0).
 */
public record PackagedAudio(String name, String groupId, String codecs, int sampleRateHz, int channels,
    Bandwidth bandwidth, List<MediaSegment> segments)
{
    /**
     * @param segments the segments.
     */
    public PackagedAudio
    {
        segments = List.copyOf(segments);
    }
}
