package io.bifrost.protocol.aeron;

import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;

/**
 * Every Aeron stream id, UDP port, channel and term length that Bifrost nodes use, and the only code that builds
 * Aeron channel strings: callers pass hosts and ports, never concatenate URIs.
 * <pre>
 *   origin        --LIVE_STREAM_ID, UDP multi-destination-cast (dynamic)-->  edges
 *   edges         --HEARTBEAT_STREAM_ID + TELEMETRY_STREAM_ID, UDP unicast-->   control plane
 *   control plane --PLACEMENT_STREAM_ID, UDP multi-destination-cast-->       edges
 *   bifrost all   the same stream ids over aeron:ipc (every role in one JVM, one media driver)
 * </pre>
 * With dynamic multi-destination-cast the publisher binds a control endpoint; each subscriber names that control
 * endpoint plus its own data endpoint, sends status messages to the publisher, and the publisher adds it as a
 * destination. So edges can join and leave without reconfiguring the origin or the control plane. Flow control is
 * Aeron's default (follow the fastest receiver): a slow edge never holds the others back; it sees a gap in
 * (msn, part) and catches up from the origin over HTTP (DESIGN.md section 2).
 * <p>
 * Messages are the SBE codecs of {@code io.bifrost.protocol.sbe}. Aeron's largest message is the term length / 8
 * (STACK.md), so the term lengths here are what bound a message: {@link #MAX_LIVE_PART_BYTES} for a live part,
 * {@link #MAX_CONTROL_MESSAGE_BYTES} for heartbeats, telemetry and placement commands. The term length is a
 * publication setting (subscribers take it from the publisher), so only publication channels carry it.
 * <p>
 * Stateless; every method is thread-safe. Builders throw {@link IllegalArgumentException} for a bad host or port.
 */
public final class AeronChannels
{
    /** LivePart and WindowUpdate, origin to edges; one publication, so a WindowUpdate follows its parts. */
    public static final int LIVE_STREAM_ID = 1001;

    /** EdgeHeartbeat, edges to control plane. */
    public static final int HEARTBEAT_STREAM_ID = 2001;

    /** EdgeTelemetry, edges to control plane; a stream of its own so a big telemetry batch never delays a heartbeat. */
    public static final int TELEMETRY_STREAM_ID = 2002;

    /** PlacementCommand, control plane to edges. */
    public static final int PLACEMENT_STREAM_ID = 3001;

    /** UDP on the origin: live multi-destination-cast control endpoint (edges' status messages and NAKs). */
    public static final int LIVE_CONTROL_PORT = 40456;

    /** UDP on each edge: live data endpoint (parts and window updates arrive here). */
    public static final int LIVE_DATA_PORT = 40457;

    /** UDP on the control plane: unicast endpoint where heartbeats and telemetry arrive. */
    public static final int CONTROL_PLANE_PORT = 40458;

    /** UDP on the control plane: placement multi-destination-cast control endpoint (edges' status messages). */
    public static final int PLACEMENT_CONTROL_PORT = 40459;

    /** UDP on each edge: placement data endpoint (placement commands arrive here). */
    public static final int PLACEMENT_DATA_PORT = 40460;

    /** Aeron's largest message is the term length divided by this (Aeron FrameDescriptor; STACK.md). */
    public static final int TERM_LENGTH_TO_MAX_MESSAGE_RATIO = 8;

    /** Aeron's default MTU (STACK.md); messages above it travel as fragments, reassembled by a FragmentAssembler. */
    public static final int MTU_LENGTH = 1408;

    /** Term length of the live publication: 16 MiB, so one message holds up to 2 MiB (a live part). */
    public static final int LIVE_TERM_LENGTH = 16 * 1024 * 1024;

    /** Largest Aeron message on the live stream: {@link #LIVE_TERM_LENGTH} / 8 = 2 MiB. */
    public static final int MAX_LIVE_MESSAGE_BYTES = LIVE_TERM_LENGTH / TERM_LENGTH_TO_MAX_MESSAGE_RATIO;

    /** Longest stream id, {@code [A-Za-z0-9_-]{1,64}} (DESIGN.md section 3). */
    public static final int MAX_STREAM_ID_LENGTH = 64;

    /** Longest rendition name, {@code [A-Za-z0-9_-]{1,32}}. */
    public static final int MAX_RENDITION_LENGTH = 32;

    /**
     * Bytes of a LivePart message other than its payload, at the longest stream id and rendition: message header,
     * fixed block, the three var-data length prefixes plus the two names, and the authentication a fleet with keys
     * appends ({@link SequencedAuthenticator#OVERHEAD}: sender id, sequence and trailer), so the largest part fits one
     * message signed or not.
     */
    public static final int LIVE_PART_MAX_OVERHEAD_BYTES =
        MessageHeaderEncoder.ENCODED_LENGTH +
        LivePartEncoder.BLOCK_LENGTH +
        LivePartEncoder.streamIdHeaderLength() + MAX_STREAM_ID_LENGTH +
        LivePartEncoder.renditionHeaderLength() + MAX_RENDITION_LENGTH +
        LivePartEncoder.payloadHeaderLength() +
        SequencedAuthenticator.OVERHEAD;

    /**
     * Largest CMAF chunk (LivePart payload) that fits one live message whatever the stream id and rendition; the
     * packager must cut parts below it (2 MiB at 0.5 s parts is about 33 Mbit/s).
     */
    public static final int MAX_LIVE_PART_BYTES = MAX_LIVE_MESSAGE_BYTES - LIVE_PART_MAX_OVERHEAD_BYTES;

    /** Term length of heartbeat, telemetry and placement publications: 1 MiB (small logs on every edge). */
    public static final int CONTROL_TERM_LENGTH = 1024 * 1024;

    /**
     * Largest message on the heartbeat, telemetry and placement streams: {@link #CONTROL_TERM_LENGTH} / 8 = 128 KiB;
     * an edge splits a telemetry window that does not fit into several messages.
     */
    public static final int MAX_CONTROL_MESSAGE_BYTES = CONTROL_TERM_LENGTH / TERM_LENGTH_TO_MAX_MESSAGE_RATIO;

    /** Host of the default UDP channels: every role on one machine, in separate processes. */
    public static final String DEFAULT_HOST = "localhost";

    /** Subscription channel of every stream in {@code bifrost all} (IPC within one media driver). */
    public static final String IPC_CHANNEL = "aeron:ipc";

    /** Publication channel of the live stream in {@code bifrost all}: IPC with the live term length. */
    public static final String LIVE_IPC_PUBLICATION_CHANNEL = ipcPublicationChannel(LIVE_TERM_LENGTH);

    /** Publication channel of the heartbeat, telemetry and placement streams in {@code bifrost all}. */
    public static final String CONTROL_IPC_PUBLICATION_CHANNEL = ipcPublicationChannel(CONTROL_TERM_LENGTH);

    /** Origin's live publication on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_LIVE_PUBLICATION_CHANNEL =
        livePublicationChannel(DEFAULT_HOST, LIVE_CONTROL_PORT);

    /** Edge's live subscription on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_LIVE_SUBSCRIPTION_CHANNEL =
        liveSubscriptionChannel(DEFAULT_HOST, LIVE_DATA_PORT, DEFAULT_HOST, LIVE_CONTROL_PORT);

    /** Edge's heartbeat and telemetry publication to a control plane on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_CONTROL_PLANE_PUBLICATION_CHANNEL =
        controlPlanePublicationChannel(DEFAULT_HOST, CONTROL_PLANE_PORT);

    /** Control plane's heartbeat and telemetry subscription on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_CONTROL_PLANE_SUBSCRIPTION_CHANNEL =
        controlPlaneSubscriptionChannel(DEFAULT_HOST, CONTROL_PLANE_PORT);

    /** Control plane's placement publication on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_PLACEMENT_PUBLICATION_CHANNEL =
        placementPublicationChannel(DEFAULT_HOST, PLACEMENT_CONTROL_PORT);

    /** Edge's placement subscription on {@link #DEFAULT_HOST}. */
    public static final String DEFAULT_PLACEMENT_SUBSCRIPTION_CHANNEL =
        placementSubscriptionChannel(DEFAULT_HOST, PLACEMENT_DATA_PORT, DEFAULT_HOST, PLACEMENT_CONTROL_PORT);

    private static final int MIN_TERM_LENGTH = 64 * 1024;
    private static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

    private AeronChannels()
    {
    }

    /**
     * The origin's live publication: dynamic multi-destination-cast, so edges add themselves.
     *
     * @param originHost  address the origin binds its control endpoint on, reachable from the edges.
     * @param controlPort UDP port of that endpoint, normally {@link #LIVE_CONTROL_PORT}.
     * @return e.g. {@code aeron:udp?control=origin1:40456|control-mode=dynamic|term-length=16777216}.
     */
    public static String livePublicationChannel(final String originHost, final int controlPort)
    {
        return mdcPublicationChannel(originHost, controlPort, LIVE_TERM_LENGTH);
    }

    /**
     * An edge's live subscription.
     *
     * @param edgeHost          local address the edge receives on, reachable from the origin.
     * @param dataPort          local UDP port, normally {@link #LIVE_DATA_PORT}; 0 takes a free port (tests).
     * @param originHost        the origin's control host (as in {@link #livePublicationChannel(String, int)}).
     * @param originControlPort the origin's control port.
     * @return e.g. {@code aeron:udp?endpoint=edge1:40457|control=origin1:40456}.
     */
    public static String liveSubscriptionChannel(
        final String edgeHost, final int dataPort, final String originHost, final int originControlPort)
    {
        return mdcSubscriptionChannel(edgeHost, dataPort, originHost, originControlPort);
    }

    /**
     * An edge's publication of heartbeats and telemetry (both stream ids share it).
     *
     * @param controlPlaneHost the control plane's address.
     * @param port             its UDP port, normally {@link #CONTROL_PLANE_PORT}.
     * @return e.g. {@code aeron:udp?endpoint=control1:40458|term-length=1048576}.
     */
    public static String controlPlanePublicationChannel(final String controlPlaneHost, final int port)
    {
        return "aeron:udp?endpoint=" + endpoint(controlPlaneHost, port) +
            "|term-length=" + termLength(CONTROL_TERM_LENGTH);
    }

    /**
     * The control plane's subscription to heartbeats and telemetry.
     *
     * @param bindHost local address to receive on ({@code 0.0.0.0} for every interface).
     * @param port     local UDP port, normally {@link #CONTROL_PLANE_PORT}.
     * @return e.g. {@code aeron:udp?endpoint=0.0.0.0:40458}.
     */
    public static String controlPlaneSubscriptionChannel(final String bindHost, final int port)
    {
        return "aeron:udp?endpoint=" + endpoint(bindHost, port);
    }

    /**
     * The control plane's placement publication: dynamic multi-destination-cast, so edges add themselves.
     *
     * @param controlPlaneHost address the control plane binds its control endpoint on, reachable from the edges.
     * @param controlPort      UDP port of that endpoint, normally {@link #PLACEMENT_CONTROL_PORT}.
     * @return e.g. {@code aeron:udp?control=control1:40459|control-mode=dynamic|term-length=1048576}.
     */
    public static String placementPublicationChannel(final String controlPlaneHost, final int controlPort)
    {
        return mdcPublicationChannel(controlPlaneHost, controlPort, CONTROL_TERM_LENGTH);
    }

    /**
     * An edge's placement subscription.
     *
     * @param edgeHost          local address the edge receives on, reachable from the control plane.
     * @param dataPort          local UDP port, normally {@link #PLACEMENT_DATA_PORT}; 0 takes a free port (tests).
     * @param controlPlaneHost  the control plane's control host.
     * @param controlPlanePort  the control plane's control port, normally {@link #PLACEMENT_CONTROL_PORT}.
     * @return e.g. {@code aeron:udp?endpoint=edge1:40460|control=control1:40459}.
     */
    public static String placementSubscriptionChannel(
        final String edgeHost, final int dataPort, final String controlPlaneHost, final int controlPlanePort)
    {
        return mdcSubscriptionChannel(edgeHost, dataPort, controlPlaneHost, controlPlanePort);
    }

    /**
     * An IPC publication channel ({@code bifrost all}); subscribers use {@link #IPC_CHANNEL}.
     *
     * @param termLength a power of two from 64 KiB to 1 GiB.
     * @return e.g. {@code aeron:ipc?term-length=16777216}.
     */
    public static String ipcPublicationChannel(final int termLength)
    {
        return IPC_CHANNEL + "?term-length=" + termLength(termLength);
    }

    /**
     * Largest message a publication with this term length accepts.
     *
     * @param termLength a power of two from 64 KiB to 1 GiB.
     * @return termLength / 8.
     */
    public static int maxMessageLength(final int termLength)
    {
        return termLength(termLength) / TERM_LENGTH_TO_MAX_MESSAGE_RATIO;
    }

    /**
     * An Aeron endpoint: {@code host:port}, IPv6 literals in brackets ({@code [::1]:40456}).
     *
     * @param host a DNS name (RFC 1123), an IPv4 literal, or an IPv6 literal with or without brackets (no zone).
     * @param port 1 to 65535.
     * @return the endpoint.
     * @throws IllegalArgumentException when the host or the port is not valid, naming which and why.
     */
    public static String endpoint(final String host, final int port)
    {
        return host(host) + ':' + port(port, false);
    }

    private static String mdcPublicationChannel(final String controlHost, final int controlPort, final int termLength)
    {
        return "aeron:udp?control=" + endpoint(controlHost, controlPort) + "|control-mode=dynamic|term-length=" +
            termLength(termLength);
    }

    private static String mdcSubscriptionChannel(
        final String endpointHost, final int endpointPort, final String controlHost, final int controlPort)
    {
        return "aeron:udp?endpoint=" + host(endpointHost) + ':' + port(endpointPort, true) +
            "|control=" + endpoint(controlHost, controlPort);
    }

    private static int port(final int port, final boolean allowAnyFreePort)
    {
        final int min = allowAnyFreePort ? 0 : 1;
        if (port < min || port > 65_535)
        {
            throw new IllegalArgumentException(
                "UDP port must be between " + min + " and 65535" + (allowAnyFreePort ? " (0 = any free port)" : "") +
                ", got " + port);
        }
        return port;
    }

    private static int termLength(final int termLength)
    {
        if (termLength < MIN_TERM_LENGTH || termLength > MAX_TERM_LENGTH || Integer.bitCount(termLength) != 1)
        {
            throw new IllegalArgumentException(
                "Aeron term length must be a power of two from 64 KiB to 1 GiB, got " + termLength);
        }
        return termLength;
    }

    private static String host(final String host)
    {
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("host must not be empty");
        }

        final boolean bracketed = host.startsWith("[") && host.endsWith("]");
        final String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (bracketed || bare.indexOf(':') >= 0)
        {
            if (!HostSyntax.isIpv6Literal(bare))
            {
                throw new IllegalArgumentException("host is not a valid IPv6 literal: " + host);
            }
            return '[' + bare + ']';
        }

        if (!HostSyntax.isIpv4Literal(bare) && !HostSyntax.isHostName(bare))
        {
            throw new IllegalArgumentException(
                "host must be a DNS name (letters, digits, '-', '.'), an IPv4 or an IPv6 literal, got: " + host);
        }
        return bare;
    }
}
