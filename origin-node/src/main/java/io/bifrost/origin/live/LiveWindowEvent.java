package io.bifrost.origin.live;

import io.bifrost.protocol.sbe.WindowKind;

/**
 * A rendered playlist or MPD after a window change (mirrors the SBE {@code WindowUpdate} message). For a rendition the
 * packager sends {@link WindowKind#HLS_MEDIA_PLAYLIST}, then {@link WindowKind#HLS_MEDIA_PLAYLIST_DELTA} when the window
 * is long enough for delta updates; master and MPD when they change; {@link WindowKind#END_OF_STREAM} last.
 *
 * @param streamId               stream id.
 * @param rendition              rendition name; empty for stream-wide kinds.
 * @param kind                   what {@code body} is.
 * @param epoch                  session epoch.
 * @param firstMsn               EXT-X-MEDIA-SEQUENCE.
 * @param lastCompleteMsn        newest complete segment; before the session's first one completes, the msn before it
 *                               (-1 for a first publish), so lastCompleteMsn + 1 is always the segment in progress.
 * @param discontinuitySequence  EXT-X-DISCONTINUITY-SEQUENCE.
 * @param firstProgramDateTimeMs PDT of the first segment, -1 when unknown.
 * @param lastPartIndex          newest part of segment lastCompleteMsn + 1, -1 when none.
 * @param targetDurationMs       segment target duration.
 * @param partTargetMs           part target duration, 0 when not low-latency.
 * @param body                   the rendered text, served as-is.
 */
public record LiveWindowEvent(
    String streamId,
    String rendition,
    WindowKind kind,
    long epoch,
    long firstMsn,
    long lastCompleteMsn,
    long discontinuitySequence,
    long firstProgramDateTimeMs,
    int lastPartIndex,
    int targetDurationMs,
    int partTargetMs,
    String body)
{
}
