package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.probe.FrameRate;

import java.util.List;

/**
 * A finished video rendition as the manifests describe it.
 *
 * @param name       rendition id and folder.
 * @param codecs     RFC 6381 codec string read from the init segment, e.g. {@code avc1.64001e}.
 * @param width      pixels.
 * @param height     pixels.
 * @param frameRate  constant output frame rate.
 * @param bandwidth  measured bitrates of the video alone.
 * @param segments   segments in order (numbered from 0).
 * @param audioGroup HLS group id of the audio played with it, or {@code null} when there is no audio.
 */
public record PackagedVideo(String name, String codecs, int width, int height, FrameRate frameRate,
    Bandwidth bandwidth, List<MediaSegment> segments, String audioGroup)
{
    /**
     * @param segments the segments.
     */
    public PackagedVideo
    {
        segments = List.copyOf(segments);
    }
}
