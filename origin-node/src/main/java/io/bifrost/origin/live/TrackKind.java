package io.bifrost.origin.live;

/**
 * What a live rendition carries. Renditions are single-track CMAF: each video rung is video only and one rendition
 * carries the audio, as in the VOD packaging (HLS: an EXT-X-MEDIA audio group; DASH: two adaptation sets).
 */
public enum TrackKind
{
    /** H.264 video, one rung of the ladder. */
    VIDEO,
    /** AAC audio, shared by every video rung. */
    AUDIO
}
