package io.bifrost.control;

import com.sun.net.httpserver.HttpServer;
import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.CachePolicies;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.edge.control.ContentTraffic;
import io.bifrost.edge.control.EdgeControl;
import io.bifrost.edge.control.EdgeControlAgent;
import io.bifrost.edge.control.OnlineSigningKeys;
import io.bifrost.edge.http.EdgeHttpServer;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real edge in the test's JVM, started as {@code EdgeNode.launch} starts one (HTTP server on an ephemeral loopback
 * port with its RAM tier, control link over IPC on the shared Aeron driver, online signing keys when it has fleet keys
 * and a verify-only key ring), but with its port known to the test and its base URL on 127.0.0.1. Closing stops the
 * control link (a last DRAINING heartbeat), then the server, then the RAM tier.
 */
final class InProcessEdge implements AutoCloseable
{
    private final RamTier ramTier;
    private final EdgeHttpServer server;
    private final EdgeControl control;

    private InProcessEdge(final RamTier ramTier, final EdgeHttpServer server, final EdgeControl control)
    {
        this.ramTier = ramTier;
        this.server = server;
        this.control = control;
    }

    /**
     * @param aeron     the shared driver the control plane listens on.
     * @param dataDir   the edge's data directory (its RAM tier lives in {@code ram/} inside it).
     * @param edgeId    its id towards the control plane, in region {@code eu-west}.
     * @param origin    the origin it fills from.
     * @param fleetKeys its {@code edge.fleet-keys}, or null for none.
     * @param meters    where its meters go.
     * @param settings  anything else the test sets on the edge's context (e.g. signed prefixes).
     * @return the running edge.
     */
    static InProcessEdge start(
        final EmbeddedAeron aeron,
        final Path dataDir,
        final String edgeId,
        final URI origin,
        final String fleetKeys,
        final MeterRegistry meters,
        final UnaryOperator<EdgeNode.Context> settings)
    {
        final ContentTraffic traffic = new ContentTraffic();
        final EdgeNode.Context context = settings.apply(new EdgeNode.Context().bindAddress("127.0.0.1").port(0)
            .tlsPort(0).dataDir(dataDir).ramBytes(8L << 20).meterRegistry(meters).accessObserver(traffic)
            .fleetKeys(fleetKeys).origins(List.of(origin))).conclude();
        final RamTier ramTier = RamTier.open(dataDir.resolve("ram"), context.ramBytes(), context.ramPageBytes(),
            context.maxRamObjectBytes(), CachePolicies.named(context.cachePolicy()), meters);
        EdgeHttpServer server = null;
        try
        {
            server = EdgeHttpServer.start(context, ramTier, Readiness::up);
            final OnlineSigningKeys onlineKeys = context.fleetKeyRing().enabled() && context.signingKeys() != null ?
                new OnlineSigningKeys(context.signingKeys(), meters) : null;
            final EdgeControl control = EdgeControl.start(aeron.aeron(), EdgeControl.Channels.of(EdgeControl.IPC, null),
                new EdgeControlAgent.Settings(edgeId, "eu-west", "http://127.0.0.1:" + server.port(), 100, 200,
                    context.fleetKeyRing()),
                traffic, server.placement(), server.coalescer(), 1000, System::currentTimeMillis, meters, onlineKeys);
            return new InProcessEdge(ramTier, server, control);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(server, ramTier);
            throw ex;
        }
    }

    /**
     * An origin on an ephemeral loopback port answering every GET with {@code body}, cacheable for an hour.
     *
     * @param body the answer.
     * @return the started server (stop it after the test).
     * @throws IOException when it cannot bind.
     */
    static HttpServer origin(final byte[] body) throws IOException
    {
        final HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
        origin.createContext("/", exchange ->
        {
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        return origin;
    }

    /**
     * @param origin a server from {@link #origin(byte[])}.
     * @return its base URL.
     */
    static URI url(final HttpServer origin)
    {
        return URI.create("http://127.0.0.1:" + origin.getAddress().getPort());
    }

    /**
     * @return the edge's HTTP port.
     */
    int port()
    {
        return server.port();
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(control, server, ramTier);
    }
}
