package io.bifrost.origin.live.replication;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.bifrost.origin.live.LiveListener;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.PartFlagsEncoder;
import io.bifrost.protocol.sbe.WindowUpdateEncoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Pushes every live part and window update to the edges over one Aeron publication (DESIGN.md section 2, Live), as the
 * SBE {@code LivePart} and {@code WindowUpdate} messages, in the order the packager calls: a part always travels
 * before the window update that announces it, and one publication keeps that order on the wire.
 *
 * <p>Each message is encoded into one reused buffer sized for the largest live message, then offered. The packager
 * must never wait on the network: a back-pressured publication is retried for at most {@code maxRetryNanos}, then the
 * message is dropped and counted; with no edge connected the message is dropped at once. An edge that misses a part
 * sees a gap in (msn, part) and catches up from the origin over HTTP, so a drop costs latency, never correctness.
 *
 * <p>Authentication: with fleet keys ({@code origin.fleet-keys}, the edges' {@code edge.fleet-keys}) every message
 * carries a {@link SequencedAuthenticator} block after the SBE message (sender id, sequence, 44-byte trailer with the
 * send time, key id and HMAC-SHA256/128), signed in the order it is offered, so an edge refuses unsigned, forged,
 * stale and replayed messages before they reach its window store. The encode buffer keeps room for it: a message whose
 * signed length would not fit one Aeron message is dropped as {@code too_large}. Signing reuses the buffer and MACs
 * in place (no copy of the part).
 *
 * <p>Meters: {@code bifrost.origin.live.replication.messages{kind=part|window}} (offered and accepted),
 * {@code bifrost.origin.live.replication.dropped{reason=not_connected|back_pressured|closed|too_large}},
 * {@code bifrost.origin.live.replication.connected} (1 while at least one edge follows the stream).
 *
 * <p>Thread-safe: calls for different streams may come from different packager threads; they are serialized here
 * (the encode buffer is shared and the publication keeps one order).
 */
public final class LiveReplicationPublisher implements LiveListener, AutoCloseable
{
    /** How long a back-pressured offer is retried before the message is dropped: 200 microseconds. */
    public static final long DEFAULT_MAX_RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    /** Why a message did not go out, the {@code reason} tag of the drop counter. */
    enum DropReason
    {
        NOT_CONNECTED, BACK_PRESSURED, CLOSED, TOO_LARGE;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LiveReplicationPublisher.class);

    private final Publication publication;
    private final boolean ownsPublication;
    private final long maxRetryNanos;
    private final SequencedAuthenticator authenticator;
    private final UnsafeBuffer buffer;
    private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final LivePartEncoder partEncoder = new LivePartEncoder();
    private final WindowUpdateEncoder windowEncoder = new WindowUpdateEncoder();
    private final Counter partsSent;
    private final Counter windowsSent;
    private final Counter[] drops = new Counter[DropReason.values().length];
    private boolean closed;

    /**
     * @param publication   where messages go (the live channel, {@link AeronChannels#LIVE_STREAM_ID}).
     * @param maxRetryNanos longest a back-pressured message is retried before it is dropped.
     * @param registry      where the meters go.
     */
    public LiveReplicationPublisher(final Publication publication, final long maxRetryNanos, final MeterRegistry registry)
    {
        this(publication, false, maxRetryNanos, registry, FleetKeys.NONE);
    }

    /**
     * @param publication   where messages go (the live channel, {@link AeronChannels#LIVE_STREAM_ID}).
     * @param maxRetryNanos longest a back-pressured message is retried before it is dropped.
     * @param registry      where the meters go.
     * @param fleetKeys     when enabled, every message is signed ({@link SequencedAuthenticator}).
     */
    public LiveReplicationPublisher(
        final Publication publication, final long maxRetryNanos, final MeterRegistry registry, final FleetKeys fleetKeys)
    {
        this(publication, false, maxRetryNanos, registry, fleetKeys);
    }

    private LiveReplicationPublisher(
        final Publication publication,
        final boolean ownsPublication,
        final long maxRetryNanos,
        final MeterRegistry registry,
        final FleetKeys fleetKeys)
    {
        if (maxRetryNanos < 0)
        {
            throw new IllegalArgumentException("maxRetryNanos must not be negative, got " + maxRetryNanos);
        }
        this.publication = publication;
        this.ownsPublication = ownsPublication;
        this.maxRetryNanos = maxRetryNanos;
        this.authenticator = new SequencedAuthenticator(fleetKeys);
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            Math.min(publication.maxMessageLength(), AeronChannels.MAX_LIVE_MESSAGE_BYTES), 64));
        this.partsSent = Counter.builder("bifrost.origin.live.replication.messages")
            .description("live messages accepted by the Aeron publication to the edges").tag("kind", "part")
            .register(registry);
        this.windowsSent = Counter.builder("bifrost.origin.live.replication.messages")
            .description("live messages accepted by the Aeron publication to the edges").tag("kind", "window")
            .register(registry);
        for (final DropReason reason : DropReason.values())
        {
            drops[reason.ordinal()] = Counter.builder("bifrost.origin.live.replication.dropped")
                .description("live messages not sent to the edges (they catch up over HTTP)").tag("reason", reason.tag)
                .register(registry);
        }
        Gauge.builder("bifrost.origin.live.replication.connected", publication, p -> p.isConnected() ? 1 : 0)
            .description("1 while at least one edge follows the live publication").register(registry);
    }

    /**
     * Add the live publication on {@code channel} and publish there; closing the publisher closes the publication.
     *
     * @param aeron    the process's Aeron client.
     * @param channel  e.g. {@link AeronChannels#livePublicationChannel(String, int)} or
     *                 {@link AeronChannels#LIVE_IPC_PUBLICATION_CHANNEL}.
     * @param registry where the meters go.
     * @return the publisher.
     */
    public static LiveReplicationPublisher open(final Aeron aeron, final String channel, final MeterRegistry registry)
    {
        return open(aeron, channel, registry, FleetKeys.NONE);
    }

    /**
     * Add the live publication on {@code channel} and publish there, signed with the fleet's keys; closing the
     * publisher closes the publication.
     *
     * @param aeron     the process's Aeron client.
     * @param channel   e.g. {@link AeronChannels#livePublicationChannel(String, int)}.
     * @param registry  where the meters go.
     * @param fleetKeys when enabled, every message is signed ({@link SequencedAuthenticator}); {@link FleetKeys#NONE}
     *                  sends them unsigned. Ignored on an IPC channel ({@code bifrost all}): only processes that can
     *                  open this host's Aeron directory reach it, so there is nothing to authenticate against, and the
     *                  edge in the same process does not verify IPC either ({@code LiveEdge}).
     * @return the publisher.
     */
    public static LiveReplicationPublisher open(
        final Aeron aeron, final String channel, final MeterRegistry registry, final FleetKeys fleetKeys)
    {
        final boolean ipc = channel.startsWith(AeronChannels.IPC_CHANNEL);
        if (!fleetKeys.enabled() && !ipc)
        {
            LOG.warn("live replication on {} is not authenticated: anyone who can send UDP to the edges' live port can " +
                "feed them parts and playlists; set origin.fleet-keys and edge.fleet-keys", channel);
        }
        final Publication publication = aeron.addPublication(channel, AeronChannels.LIVE_STREAM_ID);
        try
        {
            return new LiveReplicationPublisher(publication, true, DEFAULT_MAX_RETRY_NANOS, registry,
                ipc ? FleetKeys.NONE : fleetKeys);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(publication);
            throw ex;
        }
    }

    /**
     * @return the publication messages go to (tests wait on {@link Publication#isConnected()}).
     */
    public Publication publication()
    {
        return publication;
    }

    @Override
    public synchronized void onPart(final LivePartEvent part)
    {
        if (closed)
        {
            return;
        }
        final ByteBuffer payload = part.payload();
        final int payloadLength = payload == null ? 0 : payload.remaining();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + LivePartEncoder.BLOCK_LENGTH +
            LivePartEncoder.streamIdHeaderLength() + part.streamId().length() +
            LivePartEncoder.renditionHeaderLength() + part.rendition().length() +
            LivePartEncoder.payloadHeaderLength() + payloadLength;
        if (length > buffer.capacity() - authenticator.overhead())
        {
            drops[DropReason.TOO_LARGE.ordinal()].increment();
            return;
        }
        partEncoder.wrapAndApplyHeader(buffer, 0, header)
            .epoch(part.epoch())
            .msn(part.msn())
            .programDateTimeMs(part.programDateTimeMs())
            .durationMicros(part.durationMicros())
            .partIndex(part.partIndex());
        final PartFlagsEncoder flags = partEncoder.flags().clear();
        flags.independent(part.independent()).segmentEnd(part.segmentEnd()).discontinuity(part.discontinuity())
            .gap(payloadLength == 0);
        partEncoder.streamId(part.streamId()).rendition(part.rendition());
        if (payloadLength > 0)
        {
            source.wrap(payload, payload.position(), payloadLength);
            partEncoder.putPayload(source, 0, payloadLength);
        }
        else
        {
            partEncoder.putPayload(buffer, 0, 0);
        }
        if (offer(MessageHeaderEncoder.ENCODED_LENGTH + partEncoder.encodedLength()))
        {
            partsSent.increment();
        }
    }

    @Override
    public synchronized void onWindow(final LiveWindowEvent window)
    {
        if (closed)
        {
            return;
        }
        final String body = window.body() == null ? "" : window.body();
        final boolean ascii = isAscii(body);
        final byte[] utf8 = ascii ? null : body.getBytes(StandardCharsets.UTF_8);
        final int bodyLength = ascii ? body.length() : utf8.length;
        final String rendition = window.rendition() == null ? "" : window.rendition();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + WindowUpdateEncoder.BLOCK_LENGTH +
            WindowUpdateEncoder.streamIdHeaderLength() + window.streamId().length() +
            WindowUpdateEncoder.renditionHeaderLength() + rendition.length() +
            WindowUpdateEncoder.bodyHeaderLength() + bodyLength;
        if (length > buffer.capacity() - authenticator.overhead())
        {
            drops[DropReason.TOO_LARGE.ordinal()].increment();
            return;
        }
        windowEncoder.wrapAndApplyHeader(buffer, 0, header)
            .epoch(window.epoch())
            .firstMsn(window.firstMsn())
            .lastCompleteMsn(window.lastCompleteMsn())
            .discontinuitySequence(window.discontinuitySequence())
            .firstProgramDateTimeMs(window.firstProgramDateTimeMs())
            .lastPartIndex(window.lastPartIndex())
            .targetDurationMs(window.targetDurationMs())
            .partTargetMs(window.partTargetMs())
            .kind(window.kind())
            .streamId(window.streamId())
            .rendition(rendition);
        // Var data written by hand so an ASCII body (every playlist) is copied without an intermediate byte array.
        final int lengthAt = windowEncoder.limit();
        buffer.putInt(lengthAt, bodyLength, WindowUpdateEncoder.BYTE_ORDER);
        if (ascii)
        {
            buffer.putStringWithoutLengthAscii(lengthAt + WindowUpdateEncoder.bodyHeaderLength(), body);
        }
        else
        {
            buffer.putBytes(lengthAt + WindowUpdateEncoder.bodyHeaderLength(), utf8);
        }
        windowEncoder.limit(lengthAt + WindowUpdateEncoder.bodyHeaderLength() + bodyLength);
        if (offer(MessageHeaderEncoder.ENCODED_LENGTH + windowEncoder.encodedLength()))
        {
            windowsSent.increment();
        }
    }

    private boolean offer(final int messageLength)
    {
        final int length = authenticator.sign(buffer, 0, messageLength, System.currentTimeMillis());
        long deadline = 0;
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.NOT_CONNECTED)
            {
                drops[DropReason.NOT_CONNECTED.ordinal()].increment();
                return false;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                drops[DropReason.CLOSED.ordinal()].increment();
                return false;
            }
            // BACK_PRESSURED or ADMIN_ACTION: retry, bounded.
            final long now = System.nanoTime();
            if (deadline == 0)
            {
                deadline = now + maxRetryNanos;
            }
            else if (now - deadline >= 0)
            {
                drops[DropReason.BACK_PRESSURED.ordinal()].increment();
                return false;
            }
            Thread.onSpinWait();
        }
    }

    private static boolean isAscii(final String text)
    {
        for (int i = 0, n = text.length(); i < n; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param reason why.
     * @return messages dropped for that reason so far.
     */
    double dropped(final DropReason reason)
    {
        return drops[reason.ordinal()].count();
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            if (ownsPublication)
            {
                CloseHelper.quietClose(publication);
            }
        }
    }
}
