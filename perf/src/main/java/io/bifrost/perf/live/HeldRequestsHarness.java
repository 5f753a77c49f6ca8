package io.bifrost.perf.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.origin.live.replication.LiveReplicationPublisher;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.node.RunningRole;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.agrona.IoUtil;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Held blocking requests on one edge (issue #6 goal: 10,000 viewers per edge on 2 cores, part delivery p99 under 50 ms
 * after arrival): N viewers hold an LL-HLS blocking reload ({@code _HLS_msn/_HLS_part} for the next part), or a
 * preload-hinted part request ({@code --mode part}), on a real edge ({@link EdgeNode#launch}, live over
 * {@code aeron:ipc} from the origin's real {@link LiveReplicationPublisher} in the same process); once all are held,
 * the next part is published, and each viewer's delay from the publish to its complete response is recorded.
 * Rounds repeat with the next part; the summary is over all rounds.
 *
 * <pre>
 * perf/load/live-held-requests --viewers 10000 --rounds 10 --io-threads 2 [--mode playlist|part]
 * </pre>
 * Viewers are JDK HttpClient HTTP/1.1 connections in this JVM (one per viewer), so pin the JVM to the edge's cores
 * plus a client core with taskset and read the numbers as an upper bound. Do not run it while other heavy work shares
 * the cores; a smoke run is {@code --viewers 50 --rounds 2}. Needs a file-descriptor limit above 2 x viewers.
 */
public final class HeldRequestsHarness
{
    private HeldRequestsHarness()
    {
    }

    /**
     * @param args {@code --viewers N --rounds R --warmup W --io-threads T --mode playlist|part}; warm-up rounds (default
     *             2) are printed but left out of the summary.
     */
    public static void main(final String[] args) throws Exception
    {
        int viewers = 1000;
        int rounds = 5;
        int warmup = 2;
        int ioThreads = 2;
        String mode = "playlist";
        for (int i = 0; i < args.length; i += 2)
        {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--viewers" -> viewers = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--io-threads" -> ioThreads = Integer.parseInt(value);
                case "--mode" -> mode = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class Javadoc)");
            }
        }
        final Path work = Files.createTempDirectory("bifrost-live-held");
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final Path aeronDir = work.resolve("aeron");
        final EdgeNode.Context edgeContext = new EdgeNode.Context().bindAddress("127.0.0.1").port(port).tlsPort(0)
            .dataDir(work.resolve("edge")).ioThreads(ioThreads).origins(List.of(URI.create("http://127.0.0.1:9")))
            .meterRegistry(registry).liveChannel(AeronChannels.IPC_CHANNEL).aeronDirectory(aeronDir)
            .idleTimeout(Duration.ofMinutes(5));
        final LatencySamples all = new LatencySamples(viewers * rounds);
        try (EmbeddedAeron aeron = EmbeddedAeron.acquire(aeronDir, false);
            LiveReplicationPublisher publisher = LiveReplicationPublisher.open(aeron.aeron(),
                AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, registry);
            RunningRole edge = EdgeNode.launch(edgeContext);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build())
        {
            System.out.println(edge + ", " + viewers + " viewers, " + mode + " mode");
            while (!publisher.publication().isConnected())
            {
                Thread.sleep(10);
            }
            final ByteBuffer payload = ByteBuffer.allocateDirect(40_000);
            int sequence = 0;
            publish(publisher, payload, sequence++);
            final URI playlist = URI.create("http://127.0.0.1:" + port + "/live/bench/720p/index.m3u8");
            while (http.send(HttpRequest.newBuilder(playlist).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() != 200)
            {
                Thread.sleep(10);
            }
            for (int round = -warmup; round < rounds; round++)
            {
                final boolean measured = round >= 0;
                final long msn = sequence / 4;
                final int part = sequence % 4;
                final URI target = "part".equals(mode) ?
                    URI.create("http://127.0.0.1:" + port + "/live/bench/720p/1-" + msn + "." + part + ".m4s") :
                    URI.create(playlist + "?_HLS_msn=" + msn + "&_HLS_part=" + part);
                final double heldBefore = held(registry);
                final CountDownLatch done = new CountDownLatch(viewers);
                final AtomicInteger ok = new AtomicInteger();
                final long[] published = new long[1];
                final LatencySamples round1 = new LatencySamples(viewers);
                for (int v = 0; v < viewers; v++)
                {
                    http.sendAsync(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) ->
                        {
                            final long delay = System.nanoTime() - published[0];
                            synchronized (all)
                            {
                                if (error == null && response.statusCode() == 200)
                                {
                                    ok.incrementAndGet();
                                    if (measured)
                                    {
                                        all.record(delay);
                                    }
                                    round1.record(delay);
                                }
                            }
                            done.countDown();
                        });
                }
                final long heldDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (held(registry) - heldBefore < viewers && System.nanoTime() < heldDeadline)
                {
                    Thread.sleep(5);
                }
                published[0] = System.nanoTime();
                publish(publisher, payload, sequence++);
                done.await(120, TimeUnit.SECONDS);
                synchronized (all)
                {
                    System.out.printf((measured ? "round %d" : "warm-up %d") +
                        ": %d/%d answered 200, held %.0f, delay after publish %s%n", measured ? round : round + warmup,
                        ok.get(), viewers, held(registry) - heldBefore, round1.summary());
                }
            }
            synchronized (all)
            {
                System.out.printf("all measured rounds (%s mode, %d viewers, %d io threads): %s%n", mode, viewers, ioThreads,
                    all.summary());
            }
        }
        finally
        {
            IoUtil.delete(work.toFile(), true);
        }
    }

    private static double held(final SimpleMeterRegistry registry)
    {
        return registry.get("bifrost.edge.live.requests").tag("outcome", "held").counter().count();
    }

    private static void publish(final LiveReplicationPublisher publisher, final ByteBuffer payload, final int sequence)
    {
        final long msn = sequence / 4;
        final int part = sequence % 4;
        final boolean end = part == 3;
        payload.clear();
        publisher.onPart(new LivePartEvent("bench", "720p", 1, msn, part, System.currentTimeMillis(), 500_000, part == 0,
            end, false, payload));
        publisher.onWindow(new LiveWindowEvent("bench", "720p", WindowKind.HLS_MEDIA_PLAYLIST, 1, Math.max(0, msn - 10),
            end ? msn : msn - 1, 0, -1, end ? -1 : part, 2000, 500, "#EXTM3U\n#part " + sequence + "\n"));
    }
}
