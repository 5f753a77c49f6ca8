package io.bifrost.edge.control;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.edge.placement.PlacementHooks;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The edge's link to the control plane: heartbeats, telemetry and placement commands over Aeron, on one agent
 * thread with a backoff idle strategy ({@link EdgeControlAgent}). Closing it sends a last DRAINING heartbeat, then
 * stops the thread and closes the channels.
 *
 * <p>Where the control plane is ({@code edge.control-endpoint}): {@code ipc} when it runs in the same process
 * ({@code bifrost all}, one shared media driver), or {@code host[:port]} for one on another host: heartbeats and
 * telemetry go to UDP {@code host:port} (default port {@link AeronChannels#CONTROL_PLANE_PORT}), placement commands
 * come from its multi-destination-cast publication whose control endpoint is {@code host:port+1} (default
 * {@link AeronChannels#PLACEMENT_CONTROL_PORT}: the control plane's {@code control.placement-endpoint} must use the
 * port after its {@code control.edge-endpoint}), received on this edge's {@code edge.placement-endpoint} (default
 * {@code 0.0.0.0:}{@link AeronChannels#PLACEMENT_DATA_PORT}; port 0 takes a free one).
 */
public final class EdgeControl implements AutoCloseable
{
    /** Value of {@code edge.control-endpoint} for a control plane in the same process. */
    public static final String IPC = "ipc";
    /** Default local UDP endpoint placement commands arrive on. */
    public static final String DEFAULT_PLACEMENT_ENDPOINT = "0.0.0.0:" + AeronChannels.PLACEMENT_DATA_PORT;
    /** Default objects prefetched per second for placement commands. */
    public static final int DEFAULT_PREFETCHES_PER_SECOND = 100;

    private static final Logger LOG = LoggerFactory.getLogger(EdgeControl.class);

    private final AgentRunner runner;
    private EmbeddedAeron aeron;

    /**
     * The Aeron channels of the link.
     *
     * @param publication  where heartbeats and telemetry go (both stream ids).
     * @param subscription where placement commands come from.
     */
    public record Channels(String publication, String subscription)
    {
        /**
         * @param controlEndpoint   {@code ipc} or {@code host[:port]} of the control plane.
         * @param placementEndpoint local {@code host:port} placement commands arrive on (UDP only).
         * @return the channels.
         * @throws IllegalArgumentException naming the key when an endpoint is malformed.
         */
        public static Channels of(final String controlEndpoint, final String placementEndpoint)
        {
            if (IPC.equalsIgnoreCase(controlEndpoint))
            {
                return new Channels(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL, AeronChannels.IPC_CHANNEL);
            }
            final String[] control = hostPort("edge.control-endpoint", controlEndpoint, AeronChannels.CONTROL_PLANE_PORT);
            final String[] local = hostPort("edge.placement-endpoint", placementEndpoint, -1);
            final int controlPort = Integer.parseInt(control[1]);
            if (controlPort < 1 || controlPort > 65_534)
            {
                throw new IllegalArgumentException("edge.control-endpoint port must be 1 to 65534, got " + controlPort);
            }
            // The placement publication's control port is the next one (the defaults 40458 and 40459).
            return new Channels(
                AeronChannels.controlPlanePublicationChannel(control[0], controlPort),
                AeronChannels.placementSubscriptionChannel(local[0], Integer.parseInt(local[1]), control[0],
                    controlPort + 1));
        }

        private static String[] hostPort(final String key, final String value, final int defaultPort)
        {
            if (value == null || value.isBlank())
            {
                throw new IllegalArgumentException(key + " must be set (host:port)");
            }
            final boolean bracketed = value.startsWith("[");
            final int close = bracketed ? value.indexOf(']') : -1;
            final int colon = bracketed ? (close > 0 && close + 1 < value.length() && value.charAt(close + 1) == ':' ?
                close + 1 : -1) : value.indexOf(':') == value.lastIndexOf(':') ? value.indexOf(':') : -1;
            final String host = colon < 0 ? value : value.substring(0, colon);
            final String port = colon < 0 ? (defaultPort < 0 ? null : Integer.toString(defaultPort)) :
                value.substring(colon + 1);
            if (host.isEmpty() || port == null || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65_535)
            {
                throw new IllegalArgumentException(key + " must be host:port" + (defaultPort < 0 ? "" : " or host") +
                    ", got '" + value + "'");
            }
            return new String[] {host, port};
        }
    }

    private EdgeControl(final AgentRunner runner)
    {
        this.runner = runner;
    }

    /**
     * Start the link of a launched edge, as {@link EdgeNode#launch} does when {@code edge.control-endpoint} is set:
     * acquires the process's Aeron driver ({@code edge.aeron-dir}, {@code edge.aeron-external}) and fills in the
     * defaults that need the bound port: edge id {@code hostname-port}, public URL {@code http://hostname:port}.
     *
     * @param context the edge's concluded context.
     * @param server  the running edge server.
     * @param traffic the observer counting its traffic (installed on the server's access ring).
     * @return the running link; closing it also releases the Aeron handle.
     */
    public static EdgeControl start(final EdgeNode.Context context, final EdgeHttpServer server, final ContentTraffic traffic)
    {
        final String host = hostName();
        final String edgeId = context.edgeId() != null ? context.edgeId() : host + "-" + server.port();
        final String baseUrl = context.publicUrl() != null ? context.publicUrl() : "http://" + host + ":" + server.port();
        final Channels channels = Channels.of(context.controlEndpoint(), context.placementEndpoint());
        if (!context.fleetKeyRing().enabled() && !IPC.equalsIgnoreCase(context.controlEndpoint()))
        {
            LOG.warn("edge.fleet-keys is not set: control messages are not authenticated; keep UDP 40458/40459 and "
                + "the placement endpoint on a private network");
        }
        final EmbeddedAeron handle = EmbeddedAeron.acquire(context.aeronDirectory(), context.aeronExternal());
        try
        {
            final OnlineSigningKeys onlineKeys = context.fleetKeyRing().enabled() && context.signingKeys() != null ?
                new OnlineSigningKeys(context.signingKeys(), context.meterRegistry()) : null;
            final EdgeControl control = start(handle.aeron(), channels, new EdgeControlAgent.Settings(edgeId,
                    context.region(), baseUrl, context.heartbeatInterval().toMillis(), context.telemetryInterval().toMillis(),
                    context.fleetKeyRing()),
                traffic, server.placement(), server.coalescer(), context.placementPrefetchRate(), context.clock(),
                context.meterRegistry(), onlineKeys);
            control.aeron = handle;
            return control;
        }
        catch (final RuntimeException ex)
        {
            handle.close();
            throw ex;
        }
    }

    /**
     * @return this host's name, reduced to the characters edge ids allow ({@code [A-Za-z0-9._-]}); "edge" when unknown.
     */
    static String hostName()
    {
        String name;
        try
        {
            name = InetAddress.getLocalHost().getHostName();
        }
        catch (final UnknownHostException | SecurityException ex)
        {
            name = "edge";
        }
        final String clean = name.replaceAll("[^A-Za-z0-9._-]", "");
        return clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0)) ? "edge" : clean;
    }

    /**
     * Open the channels and start the agent thread, taking token keys from the control plane too.
     *
     * @param aeron               the process's Aeron client.
     * @param channels            where the control plane is.
     * @param settings            this edge's identity and intervals.
     * @param traffic             the access observer counting per-content traffic (must be the edge's observer).
     * @param hooks               placement hooks of the running edge.
     * @param coalescer           the edge's fill path (placement reads playlists through it).
     * @param prefetchesPerSecond objects prefetched per second at most.
     * @param clock               epoch milliseconds.
     * @param meters              the edge's meter registry (counters, and the gauges the heartbeat reads).
     * @param onlineKeys          the token gate's keys, changed by the control plane's {@code SigningKeys} messages
     *                            (only with fleet keys); null: those messages are skipped.
     * @return the running link.
     * @throws IllegalStateException when a channel cannot be opened.
     */
    public static EdgeControl start(
        final Aeron aeron,
        final Channels channels,
        final EdgeControlAgent.Settings settings,
        final ContentTraffic traffic,
        final PlacementHooks hooks,
        final FillCoalescer coalescer,
        final int prefetchesPerSecond,
        final LongSupplier clock,
        final MeterRegistry meters,
        final OnlineSigningKeys onlineKeys)
    {
        Publication heartbeats = null;
        Publication telemetry = null;
        Subscription placement = null;
        try
        {
            heartbeats = aeron.addPublication(channels.publication(), AeronChannels.HEARTBEAT_STREAM_ID);
            telemetry = aeron.addPublication(channels.publication(), AeronChannels.TELEMETRY_STREAM_ID);
            placement = aeron.addSubscription(channels.subscription(), AeronChannels.PLACEMENT_STREAM_ID);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(placement, telemetry, heartbeats);
            throw new IllegalStateException("edge cannot open its control-plane channels (" + channels + "): " +
                ex.getMessage(), ex);
        }
        final EdgeControlAgent agent = new EdgeControlAgent(settings, heartbeats, telemetry, placement, traffic,
            new PlacementExecutor(hooks, coalescer, clock, prefetchesPerSecond, meters), clock, meters, onlineKeys);
        final Counter errors = Counter.builder("bifrost.edge.control.errors")
            .description("unexpected errors in the edge's control-plane agent").register(meters);
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1)),
            error ->
            {
                errors.increment();
                LOG.error("edge control agent failed", error);
            },
            null, agent);
        AgentRunner.startOnThread(runner);
        LOG.info("edge {} ({}) reports to the control plane on {}, placement from {}", settings.edgeId(),
            settings.region(), channels.publication(), channels.subscription());
        return new EdgeControl(runner);
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(runner, aeron);
    }
}
