package io.bifrost.edge.live;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateEncoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The origin's side of the live stream for edge tests (edge-node must not depend on origin-node): encodes LivePart and
 * WindowUpdate exactly as the origin's publisher does, and offers them until accepted.
 */
final class TestLivePublisher implements AutoCloseable
{
    private final Publication publication;
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        AeronChannels.MAX_LIVE_MESSAGE_BYTES, 64));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final LivePartEncoder part = new LivePartEncoder();
    private final WindowUpdateEncoder window = new WindowUpdateEncoder();

    TestLivePublisher(final Aeron aeron, final String channel)
    {
        publication = aeron.addPublication(channel, AeronChannels.LIVE_STREAM_ID);
    }

    Publication publication()
    {
        return publication;
    }

    static int encodePart(
        final UnsafeBuffer buffer,
        final String stream,
        final String rendition,
        final long epoch,
        final long msn,
        final int index,
        final boolean segmentEnd,
        final byte[] payload)
    {
        final LivePartEncoder part = new LivePartEncoder();
        part.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .epoch(epoch).msn(msn).programDateTimeMs(1_700_000_000_000L + msn * 2000 + index * 500)
            .durationMicros(500_000).partIndex(index);
        part.flags().clear().independent(index == 0).segmentEnd(segmentEnd);
        part.streamId(stream).rendition(rendition).putPayload(payload, 0, payload.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + part.encodedLength();
    }

    static int encodeWindow(
        final UnsafeBuffer buffer,
        final String stream,
        final String rendition,
        final WindowKind kind,
        final LiveWindow w,
        final String body)
    {
        final WindowUpdateEncoder window = new WindowUpdateEncoder();
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        window.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .epoch(w.epoch()).firstMsn(w.firstMsn()).lastCompleteMsn(w.lastCompleteMsn())
            .discontinuitySequence(w.discontinuitySequence()).firstProgramDateTimeMs(-1)
            .lastPartIndex(w.lastPartIndex()).targetDurationMs(w.targetDurationMs()).partTargetMs(w.partTargetMs())
            .kind(kind).streamId(stream).rendition(rendition).putBody(bytes, 0, bytes.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + window.encodedLength();
    }

    void part(
        final String stream,
        final String rendition,
        final long epoch,
        final long msn,
        final int index,
        final boolean segmentEnd,
        final byte[] payload)
    {
        offer(encodePart(buffer, stream, rendition, epoch, msn, index, segmentEnd, payload));
    }

    void window(final String stream, final String rendition, final WindowKind kind, final LiveWindow w, final String body)
    {
        offer(encodeWindow(buffer, stream, rendition, kind, w, body));
    }

    private void offer(final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return;
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("publication did not accept the message: " + result);
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close()
    {
        publication.close();
    }
}
