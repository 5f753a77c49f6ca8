package io.bifrost.transcoder.packaging;

/**
 * One media segment of a rendition.
 *
 * @param uri             the URI as written in the media playlist (relative, e.g. {@code 0.m4s}).
 * @param durationSeconds its {@code EXTINF} duration.
 * @param sizeBytes       its size on disk, or -1 before it was measured.
 */
public record MediaSegment(String uri, double durationSeconds, long sizeBytes)
{
}
