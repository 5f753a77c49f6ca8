package io.bifrost.edge.live;

import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.MessageFrame;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.PartFlagsDecoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes one message of the live stream (bytes from the network: untrusted) and passes it to a
 * {@link LiveMessageHandler}, or says why it did not.
 *
 * <p>Rules (the conventions at the top of {@code bifrost-messages.xml}; the prologue is a {@link MessageFrame}): the
 * schema id must be Bifrost's; the decoder is wrapped with the header's acting block length and version, so a newer
 * origin with extra fields stays readable, but a block shorter than this version's is malformed (every field is since
 * version 0). All reads go through a view bounded to the message, so a length field that points outside the message is
 * caught, never read past. Unknown templates (a newer origin's new messages) are skipped. Names must be valid stream ids and renditions, numbers in the
 * range a {@link ContentKey} accepts, payloads at most {@link AeronChannels#MAX_LIVE_PART_BYTES}.
 *
 * <p>Allocation: the stream id and rendition strings of each accepted message. Not thread-safe (one per subscriber).
 */
public final class LiveMessageDecoder
{
    /** PartFlags bit: the part starts with an independent frame. */
    public static final int INDEPENDENT = 1;
    /** PartFlags bit: last part of its segment. */
    public static final int SEGMENT_END = 1 << 1;
    /** PartFlags bit: the part is a gap (no payload). */
    public static final int GAP = 1 << 2;
    /** PartFlags bit: first part after a discontinuity. */
    public static final int DISCONTINUITY = 1 << 3;

    /** What became of a message. */
    public enum Result
    {
        /** A LivePart went to the handler. */
        PART,
        /** A WindowUpdate went to the handler. */
        WINDOW,
        /** Another schema's message: skipped. */
        UNKNOWN_SCHEMA,
        /** A template (or WindowKind) this edge does not know: skipped. */
        UNKNOWN_TEMPLATE,
        /** Truncated, inconsistent or out of range: skipped. */
        MALFORMED
    }

    private final MessageFrame frame = new MessageFrame(LivePartDecoder.TEMPLATE_ID, WindowUpdateDecoder.TEMPLATE_ID);
    private final DirectBuffer view = frame.view();
    private final UnsafeBuffer data = new UnsafeBuffer(0, 0);
    private final LivePartDecoder part = new LivePartDecoder();
    private final WindowUpdateDecoder window = new WindowUpdateDecoder();

    /**
     * @param buffer  holds the message.
     * @param offset  where it starts.
     * @param length  its length.
     * @param handler receives it when valid.
     * @return what happened; exceptions thrown by the handler propagate.
     */
    public Result decode(final DirectBuffer buffer, final int offset, final int length, final LiveMessageHandler handler)
    {
        final MessageFrame.Verdict verdict = frame.wrap(buffer, offset, length);
        if (verdict != MessageFrame.Verdict.VALID)
        {
            return verdict == MessageFrame.Verdict.FOREIGN_SCHEMA ? Result.UNKNOWN_SCHEMA :
                verdict == MessageFrame.Verdict.UNKNOWN_TEMPLATE ? Result.UNKNOWN_TEMPLATE : Result.MALFORMED;
        }
        try
        {
            return frame.templateId() == LivePartDecoder.TEMPLATE_ID ? decodePart(length, handler) :
                decodeWindow(length, handler);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return Result.MALFORMED;
        }
        finally
        {
            data.wrap(0, 0);
        }
    }

    private Result decodePart(final int length, final LiveMessageHandler handler)
    {
        part.wrap(view, frame.bodyOffset(), frame.blockLength(), frame.version());
        final long epoch = part.epoch();
        final long msn = part.msn();
        final long pdt = part.programDateTimeMs();
        final int duration = part.durationMicros();
        final int partIndex = part.partIndex();
        final PartFlagsDecoder flagsDecoder = part.flags();
        final int flags = flagsDecoder.getRaw();
        final String streamId = name(part.limit(), ContentKey.MAX_ID_LENGTH, true);
        if (streamId == null)
        {
            return Result.MALFORMED;
        }
        part.skipStreamId();
        final String rendition = name(part.limit(), ContentKey.MAX_RENDITION_LENGTH, false);
        if (rendition == null)
        {
            return Result.MALFORMED;
        }
        part.skipRendition();
        final int payloadLength = part.payloadLength();
        if (payloadLength < 0 || payloadLength > AeronChannels.MAX_LIVE_PART_BYTES ||
            part.limit() + LivePartDecoder.payloadHeaderLength() + payloadLength > length)
        {
            return Result.MALFORMED;
        }
        part.wrapPayload(data);
        if (epoch < 0 || msn < 0 || partIndex < 0 || partIndex > ContentKey.MAX_PART || duration < 0)
        {
            return Result.MALFORMED;
        }
        handler.onPart(streamId, rendition, epoch, msn, partIndex, pdt, duration, flags, data, 0, payloadLength);
        return Result.PART;
    }

    private Result decodeWindow(final int length, final LiveMessageHandler handler)
    {
        window.wrap(view, frame.bodyOffset(), frame.blockLength(), frame.version());
        final WindowKind kind = kind(window.kindRaw());
        if (kind == null)
        {
            return Result.UNKNOWN_TEMPLATE;
        }
        final LiveWindow numbers = new LiveWindow(window.epoch(), window.firstMsn(), window.lastCompleteMsn(),
            window.discontinuitySequence(), window.lastPartIndex(), window.targetDurationMs(), window.partTargetMs());
        final String streamId = name(window.limit(), ContentKey.MAX_ID_LENGTH, true);
        if (streamId == null)
        {
            return Result.MALFORMED;
        }
        window.skipStreamId();
        final boolean perRendition = kind == WindowKind.HLS_MEDIA_PLAYLIST || kind == WindowKind.HLS_MEDIA_PLAYLIST_DELTA;
        final String rendition = name(window.limit(), ContentKey.MAX_RENDITION_LENGTH, perRendition);
        if (rendition == null)
        {
            return Result.MALFORMED;
        }
        window.skipRendition();
        final int bodyLength = window.bodyLength();
        if (bodyLength < 0 || window.limit() + WindowUpdateDecoder.bodyHeaderLength() + bodyLength > length)
        {
            return Result.MALFORMED;
        }
        window.wrapBody(data);
        if (numbers.epoch() < 0 || numbers.firstMsn() < 0 || numbers.lastCompleteMsn() < -1 ||
            numbers.lastPartIndex() < -1 || numbers.lastPartIndex() > ContentKey.MAX_PART ||
            numbers.lastCompleteMsn() == Long.MAX_VALUE || numbers.targetDurationMs() < 0 || numbers.partTargetMs() < 0)
        {
            return Result.MALFORMED;
        }
        handler.onWindow(streamId, rendition, kind, numbers, data, 0, bodyLength);
        return Result.WINDOW;
    }

    /**
     * Read the var-data name at {@code at} (its 2-byte length, then ASCII), not advancing the decoder:
     * {@code [A-Za-z0-9_-]}, 1..max characters, or empty when not required.
     *
     * @return the name, or null when invalid or truncated.
     */
    private String name(final int at, final int max, final boolean required)
    {
        if (at < 0 || at + 2 > view.capacity())
        {
            return null;
        }
        final int nameLength = view.getShort(at, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int start = at + 2;
        if (nameLength > max || (required && nameLength == 0) || start + nameLength > view.capacity())
        {
            return null;
        }
        for (int i = 0; i < nameLength; i++)
        {
            final byte b = view.getByte(start + i);
            if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '-'))
            {
                return null;
            }
        }
        return nameLength == 0 ? "" : view.getStringWithoutLengthAscii(start, nameLength);
    }

    private static WindowKind kind(final short raw)
    {
        for (final WindowKind kind : WindowKind.values())
        {
            if (kind != WindowKind.NULL_VAL && kind.value() == raw)
            {
                return kind;
            }
        }
        return null;
    }
}
