package io.bifrost.origin.live;

/**
 * One rendition of a live stream as its producer announces it before the first byte. Codec strings are not here: the
 * packager reads them from the init segment (avcC, esds).
 *
 * @param rendition    the rendition name, {@code [A-Za-z0-9_-]{1,32}}, e.g. {@code 720p} or {@code audio}.
 * @param kind         video or audio.
 * @param bandwidthBps the peak bit rate to advertise (EXT-X-STREAM-INF BANDWIDTH, DASH bandwidth).
 * @param width        frame width in pixels; 0 for audio.
 * @param height       frame height in pixels; 0 for audio.
 * @param frameRate    frames per second; 0 for audio or when unknown.
 */
public record LiveTrack(String rendition, TrackKind kind, int bandwidthBps, int width, int height, double frameRate)
{
}
