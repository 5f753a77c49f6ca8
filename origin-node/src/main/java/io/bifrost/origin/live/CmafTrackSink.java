package io.bifrost.origin.live;

import java.nio.ByteBuffer;

/**
 * The fragmented MP4 byte stream of one live rendition, in order, as its producer writes it: {@code ftyp} + {@code moov}
 * first, then {@code moof} + {@code mdat} pairs (a {@code styp} or {@code sidx} in between is allowed and skipped).
 * Chunks may split boxes anywhere; the packager parses incrementally.
 *
 * <p>Threading: one producer thread per track calls {@link #accept} and then {@link #end} exactly once. The call may
 * block briefly for the packager's lock but never for I/O. Ownership: {@code chunk}'s bytes are copied or consumed
 * during the call; the producer may reuse the buffer afterwards.
 */
public interface CmafTrackSink
{
    /**
     * @param chunk the next bytes, from its position to its limit.
     * @throws IllegalArgumentException when the bytes are not valid fragmented MP4 (the track is then failed; the
     *                                  producer should stop and end it).
     */
    void accept(ByteBuffer chunk);

    /**
     * The track ended (producer exit or stream end); the packager closes the last part and segment it can.
     */
    void end();
}
