package io.bifrost.perf.live;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.RandomLossGenerator;
import io.bifrost.edge.live.LiveEdge;
import io.bifrost.edge.live.LiveMessageHandler;
import io.bifrost.edge.live.LiveReplicationSubscriber;
import io.bifrost.edge.live.LiveWindow;
import io.bifrost.edge.live.LiveWindowStore;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.origin.live.replication.LiveReplicationPublisher;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;

import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Part replication latency origin to edge (issue #6): the origin's real {@link LiveReplicationPublisher} publishes
 * parts at a live rate, the edge's real {@link LiveReplicationSubscriber} (on an agent thread with the production idle
 * strategy) decodes them into a real {@link LiveWindowStore}; the latency of each part is the time from the
 * packager's {@code onPart} call to the moment the part is stored at the edge (same JVM, so one {@code nanoTime}
 * clock: the send time travels in the first 8 bytes of the payload).
 *
 * <p>Transports, each with its own real media drivers in temp dirs: {@code udp} (two drivers over UDP loopback, as
 * separate origin and edge processes: dynamic multi-destination-cast, the production channel), {@code ipc} (one
 * driver, {@code bifrost all}), {@code udp-loss} (the edge's driver drops a random 5% of received data frames with
 * Aeron's debug receive endpoint: the harness checks every part arrived, exactly once, in order).
 *
 * <pre>
 * perf/load/live-replication --transport udp --parts 3000 --parts-per-second 30 --part-bytes 40000
 * </pre>
 * Prints one line per transport: the percentiles, and for loss mode the frames dropped and whether any part is missing.
 * Do not run it while other heavy work shares the cores; a few seconds' smoke run is
 * {@code --parts 100 --parts-per-second 100}.
 */
public final class PartReplicationLatency
{
    private PartReplicationLatency()
    {
    }

    /**
     * @param args {@code --transport udp|ipc|udp-loss|all --parts N --parts-per-second R --part-bytes B
     *             --driver-idle backoff|spin}.
     */
    public static void main(final String[] args) throws Exception
    {
        String transport = "all";
        int parts = 3000;
        int rate = 30;
        int partBytes = 40_000;
        boolean spin = false;
        for (int i = 0; i < args.length; i += 2)
        {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--transport" -> transport = value;
                case "--parts" -> parts = Integer.parseInt(value);
                case "--parts-per-second" -> rate = Integer.parseInt(value);
                case "--part-bytes" -> partBytes = Integer.parseInt(value);
                case "--driver-idle" -> spin = "spin".equals(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class Javadoc)");
            }
        }
        if (partBytes < 8 || partBytes > AeronChannels.MAX_LIVE_PART_BYTES)
        {
            throw new IllegalArgumentException("--part-bytes must be 8.." + AeronChannels.MAX_LIVE_PART_BYTES);
        }
        for (final String mode : "all".equals(transport) ? new String[] {"ipc", "udp", "udp-loss"} : new String[] {transport})
        {
            System.out.println(mode + ": " + run(mode, parts, rate, partBytes, spin));
        }
    }

    private static String run(final String mode, final int parts, final int rate, final int partBytes, final boolean spin)
        throws Exception
    {
        final Path work = Files.createTempDirectory("bifrost-live-replication");
        final boolean ipc = "ipc".equals(mode);
        final boolean loss = "udp-loss".equals(mode);
        final AtomicLong dropped = new AtomicLong();
        MediaDriver originDriver = null;
        MediaDriver edgeDriver = null;
        Aeron originAeron = null;
        Aeron edgeAeron = null;
        AgentRunner runner = null;
        LiveReplicationPublisher publisher = null;
        try
        {
            originDriver = MediaDriver.launchEmbedded(driver(work.resolve("origin"), spin));
            originAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(originDriver.aeronDirectoryName()));
            if (ipc)
            {
                edgeAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(originDriver.aeronDirectoryName()));
            }
            else
            {
                final MediaDriver.Context edgeContext = driver(work.resolve("edge"), spin);
                if (loss)
                {
                    final RandomLossGenerator random = new RandomLossGenerator(0.05, 7);
                    edgeContext.receiveChannelEndpointSupplier((channel, dispatcher, status, context) ->
                        new DebugReceiveChannelEndpoint(channel, dispatcher, status, context, (address, buffer, length) ->
                        {
                            final boolean drop = random.shouldDropFrame(address, buffer, length);
                            if (drop)
                            {
                                dropped.incrementAndGet();
                            }
                            return drop;
                        }, (address, buffer, length) -> false));
                }
                edgeDriver = MediaDriver.launchEmbedded(edgeContext);
                edgeAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(edgeDriver.aeronDirectoryName()));
            }
            final int controlPort = freeUdpPort();
            final String publicationChannel = ipc ? AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL :
                AeronChannels.livePublicationChannel("localhost", controlPort);
            final String subscriptionChannel = ipc ? AeronChannels.IPC_CHANNEL :
                AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost", controlPort);

            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            final LiveWindowStore store = new LiveWindowStore(1L << 30, PooledByteBufAllocator.DEFAULT, registry);
            final LatencySamples samples = new LatencySamples(parts);
            final BitSet received = new BitSet(parts);
            final AtomicInteger outOfOrder = new AtomicInteger();
            final AtomicInteger last = new AtomicInteger(-1);
            final LiveMessageHandler timing = new LiveMessageHandler()
            {
                @Override
                public void onPart(
                    final String streamId, final String rendition, final long epoch, final long msn, final int partIndex,
                    final long programDateTimeMs, final int durationMicros, final int flags, final DirectBuffer payload,
                    final int payloadOffset, final int payloadLength)
                {
                    store.onPart(streamId, rendition, epoch, msn, partIndex, programDateTimeMs, durationMicros, flags,
                        payload, payloadOffset, payloadLength);
                    final long sent = payload.getLong(payloadOffset, ByteOrder.LITTLE_ENDIAN);
                    samples.record(System.nanoTime() - sent);
                    final int sequence = (int)(msn * 4 + partIndex);
                    if (sequence != last.get() + 1)
                    {
                        outOfOrder.incrementAndGet();
                    }
                    last.set(sequence);
                    if (received.get(sequence))
                    {
                        outOfOrder.incrementAndGet();
                    }
                    received.set(sequence);
                }

                @Override
                public void onWindow(
                    final String streamId, final String rendition, final WindowKind kind, final LiveWindow window,
                    final DirectBuffer body, final int bodyOffset, final int bodyLength)
                {
                    store.onWindow(streamId, rendition, kind, window, body, bodyOffset, bodyLength);
                }
            };
            final Subscription subscription = edgeAeron.addSubscription(subscriptionChannel, AeronChannels.LIVE_STREAM_ID);
            runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, LiveEdge.MAX_IDLE_PARK_NS),
                Throwable::printStackTrace, null, new LiveReplicationSubscriber(subscription, timing, registry, new AtomicInteger()));
            AgentRunner.startOnThread(runner);
            publisher = LiveReplicationPublisher.open(originAeron, publicationChannel, registry);
            final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!publisher.publication().isConnected() || !subscription.isConnected())
            {
                if (System.nanoTime() > connectDeadline)
                {
                    throw new IllegalStateException("the edge never connected to the origin's publication");
                }
                Thread.sleep(10);
            }

            final ByteBuffer payload = ByteBuffer.allocateDirect(partBytes).order(ByteOrder.LITTLE_ENDIAN);
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < parts; i++)
            {
                final long msn = i / 4;
                final int part = i % 4;
                final boolean end = part == 3;
                LockSupport.parkNanos(next - System.nanoTime());
                next += intervalNs;
                payload.clear();
                payload.putLong(0, System.nanoTime());
                publisher.onPart(new LivePartEvent("bench", "720p", 1, msn, part, System.currentTimeMillis(), 500_000,
                    part == 0, end, false, payload));
                publisher.onWindow(new LiveWindowEvent("bench", "720p", WindowKind.HLS_MEDIA_PLAYLIST, 1,
                    Math.max(0, msn - 10), end ? msn : msn - 1, 0, -1, end ? -1 : part, 2000, 500, "#EXTM3U\n"));
            }
            final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (samples.count() < parts && System.nanoTime() < drainDeadline)
            {
                Thread.sleep(10);
            }
            final double publisherDrops = registry.find("bifrost.origin.live.replication.dropped").counters().stream()
                .mapToDouble(c -> c.count()).sum();
            return samples.summary() + (loss ? String.format(" | frames dropped by the loss generator: %d", dropped.get()) :
                "") + String.format(" | parts received %d/%d, missing %d, out of order or duplicate %d, publisher " +
                "drops %.0f", received.cardinality(), parts, parts - received.cardinality(), outOfOrder.get(),
                publisherDrops);
        }
        finally
        {
            CloseHelper.quietCloseAll(publisher, runner, edgeAeron, originAeron, edgeDriver, originDriver);
            IoUtil.delete(work.toFile(), true);
        }
    }

    private static MediaDriver.Context driver(final Path dir, final boolean spin)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(dir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        // Default: what EmbeddedAeron runs in production (backoff, parks up to 1 ms).
        return spin ? context.sharedIdleStrategy(new BusySpinIdleStrategy()) :
            context.sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1)));
    }

    private static int freeUdpPort() throws Exception
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
