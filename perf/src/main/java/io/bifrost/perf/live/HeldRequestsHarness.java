package io.bifrost.perf.live;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.RunningEdge;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.origin.live.replication.LiveReplicationPublisher;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.WindowKind;
import org.agrona.IoUtil;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Held blocking requests on one edge (issue #6 goal: 10,000 viewers per edge on 2 cores, part delivery p99 under 50 ms
 * after arrival): N viewers hold an LL-HLS blocking reload ({@code _HLS_msn/_HLS_part} for the next part), or a
 * preload-hinted part request ({@code --mode part}), on a real edge ({@link EdgeNode#launch}, live over
 * {@code aeron:ipc} from the origin's real {@link LiveReplicationPublisher} in this process); once all are held, the
 * next part is published, and each viewer's delay from the publish to its complete answer is recorded. Rounds repeat
 * with the next part; the summary is over the measured rounds.
 *
 * <p>The viewers run in a separate process ({@link HeldViewers}: Netty, one or two event loops, one keep-alive
 * connection per viewer), started here, optionally pinned with {@code taskset -c CLIENT_CPUS}; this process (the edge)
 * is pinned by whoever starts it (the script's {@code --edge-cpus}). The two talk over the client's stdin/stdout; the
 * publish instant is {@link System#nanoTime()} here, the arrival instant {@link System#nanoTime()} there (one
 * monotonic clock per machine).
 *
 * <pre>
 * perf/load/live-held-requests --viewers 10000 --rounds 10 --io-threads 2 --edge-cpus 0-1 --client-cpus 2-3
 * </pre>
 * Do not run it while other heavy work shares the cores; a smoke run is {@code --viewers 500 --rounds 2}.
 */
public final class HeldRequestsHarness
{
    private HeldRequestsHarness()
    {
    }

    /**
     * @param args {@code --viewers N --rounds R --warmup W --io-threads T --mode playlist|part --client-cpus LIST
     *             --client-threads C --part-bytes B --encoded true|false --io-uring-ring-size S --io-uring-cq-size Q
     *             --wake-chunk K};
     *             warm-up rounds (default 2) are printed but left out of the summary. {@code --encoded false} answers
     *             woken viewers through the HTTP codec instead of with the bytes encoded once per wake; the ring sizes
     *             default to the edge's ({@link EdgeNode.Context#ioUringRingSize}, {@link EdgeNode.Context#ioUringCqSize}),
     *             and so does the wake chunk ({@link EdgeNode.Context#liveWakeChunk}).
     */
    public static void main(final String[] args) throws Exception
    {
        int viewers = 1000;
        int rounds = 5;
        int warmup = 2;
        int ioThreads = 2;
        int clientThreads = 1;
        int partBytes = 40_000;
        String clientCpus = "";
        String mode = "playlist";
        boolean encoded = true;
        int ringSize = EdgeNode.Context.DEFAULT_IO_URING_RING_SIZE;
        int cqSize = EdgeNode.Context.DEFAULT_IO_URING_CQ_SIZE;
        int wakeChunk = EdgeNode.Context.DEFAULT_LIVE_WAKE_CHUNK;
        for (int i = 0; i < args.length; i += 2)
        {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--viewers" -> viewers = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--io-threads" -> ioThreads = Integer.parseInt(value);
                case "--client-threads" -> clientThreads = Integer.parseInt(value);
                case "--client-cpus" -> clientCpus = value;
                case "--part-bytes" -> partBytes = Integer.parseInt(value);
                case "--mode" -> mode = value;
                case "--encoded" -> encoded = Boolean.parseBoolean(value);
                case "--io-uring-ring-size" -> ringSize = Integer.parseInt(value);
                case "--io-uring-cq-size" -> cqSize = Integer.parseInt(value);
                case "--wake-chunk" -> wakeChunk = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class Javadoc)");
            }
        }
        if (!"playlist".equals(mode) && !"part".equals(mode))
        {
            throw new IllegalArgumentException("--mode is playlist or part, got " + mode);
        }
        final Path work = Files.createTempDirectory("bifrost-live-held");
        final DeliverySamplingRegistry registry = new DeliverySamplingRegistry(mode, viewers * (warmup + rounds));
        final Path aeronDir = work.resolve("aeron");
        final EdgeNode.Context edgeContext = new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
            .dataDir(work.resolve("edge")).ioThreads(ioThreads).origins(List.of(URI.create("http://127.0.0.1:9")))
            .meterRegistry(registry).liveChannel(AeronChannels.IPC_CHANNEL).aeronDirectory(aeronDir)
            .idleTimeout(Duration.ofMinutes(5)).liveEncodedAnswers(encoded).ioUringRingSize(ringSize)
            .ioUringCqSize(cqSize).liveWakeChunk(wakeChunk);
        try (EmbeddedAeron aeron = EmbeddedAeron.acquire(aeronDir, false);
            LiveReplicationPublisher publisher = LiveReplicationPublisher.open(aeron.aeron(),
                AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, registry);
            RunningEdge edge = EdgeNode.launch(edgeContext);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build())
        {
            final int port = edge.port();
            System.out.println(edge + ", " + viewers + " viewers, " + mode + " mode, edge io threads " + ioThreads +
                ", encoded answers " + encoded + ", io_uring ring " + ringSize + "/" + cqSize + ", wake chunk " + wakeChunk +
                ", edge process cpus " + HeldViewers.allowedCpus() + ", viewers' cpus " +
                (clientCpus.isEmpty() ? "not pinned" : clientCpus));
            final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!publisher.publication().isConnected() && System.nanoTime() < connectDeadline)
            {
                Thread.sleep(10);
            }
            final ByteBuffer payload = ByteBuffer.allocateDirect(partBytes);
            int sequence = 0;
            publish(publisher, payload, sequence++);
            final URI playlist = URI.create("http://127.0.0.1:" + port + "/live/bench/720p/index.m3u8");
            final long playlistDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (http.send(HttpRequest.newBuilder(playlist).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() != 200)
            {
                if (System.nanoTime() > playlistDeadline)
                {
                    throw new IllegalStateException("the edge never served the live playlist");
                }
                Thread.sleep(10);
            }
            try (ViewerProcess client = ViewerProcess.start(clientCpus, "127.0.0.1", port, viewers, clientThreads,
                rounds))
            {
                final EventLoopCpu loopCpu = new EventLoopCpu();
                long holdCpuNanos = 0;
                long wakeCpuNanos = 0;
                long measuredAnswers = 0;
                int measuredFrom = 0;
                final Map<String, Long> wakeCpuByLoop = new TreeMap<>();
                for (int round = -warmup; round < rounds; round++)
                {
                    final boolean measured = round >= 0;
                    final long msn = sequence / 4;
                    final int part = sequence % 4;
                    final String target = "part".equals(mode) ? "/live/bench/720p/1-" + msn + "." + part + ".m4s" :
                        "/live/bench/720p/index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part;
                    final double heldBefore = held(registry);
                    final int deliveredBefore = registry.count();
                    final double chunksBefore = count(registry, "bifrost.edge.live.wake.chunks", null);
                    if (round == 0)
                    {
                        measuredFrom = deliveredBefore;
                    }
                    final long cpuBeforeRound = loopCpu.nanos();
                    final String id = String.valueOf(round + warmup);
                    client.send("round " + id + " " + target);
                    client.await("sent " + id);
                    final long heldDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    while (held(registry) - heldBefore < viewers && System.nanoTime() < heldDeadline)
                    {
                        Thread.sleep(1);
                    }
                    final double heldNow = held(registry) - heldBefore;
                    final long cpuHeld = loopCpu.nanos();
                    final Map<String, Long> loopsHeld = loopCpu.byLoop();
                    if (measured)
                    {
                        client.send("measured " + id);
                    }
                    final long published = System.nanoTime();
                    publish(publisher, payload, sequence++);
                    client.send("published " + id + " " + published);
                    final String result = client.await("result " + id);
                    if (measured)
                    {
                        holdCpuNanos += cpuHeld - cpuBeforeRound;
                        wakeCpuNanos += loopCpu.nanos() - cpuHeld;
                        loopCpu.byLoop().forEach((loop, cpu) ->
                            wakeCpuByLoop.merge(loop, cpu - loopsHeld.getOrDefault(loop, 0L), Long::sum));
                        measuredAnswers += viewers;
                    }
                    // the edge records one sample per event loop's batch (chunk) when its last write completes, maybe
                    // after the viewers read their answers; every chunk ran before its viewers had them: wait for the
                    // last sample
                    final double chunks = count(registry, "bifrost.edge.live.wake.chunks", null) - chunksBefore;
                    final long deliveredDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (registry.count() - deliveredBefore < chunks && System.nanoTime() < deliveredDeadline)
                    {
                        Thread.sleep(1);
                    }
                    System.out.printf("%s %s: held %.0f, %s; edge (arrival to each loop batch's last write " +
                        "complete, one sample per batch): %s%n",
                        measured ? "round" : "warm-up", id, heldNow, result.substring(("result " + id + " ").length()),
                        registry.summary(deliveredBefore));
                }
                client.send("summary");
                final String summary = client.await("summary");
                System.out.printf("all measured rounds (%s mode, %d viewers, edge %d io threads): %s%n", mode, viewers,
                    ioThreads, summary.substring("summary ".length()));
                System.out.printf("edge's own delivery, measured rounds (bifrost.edge.live.held.delivery{kind=%s}, " +
                    "from the %s's arrival to the last write of each event loop's batch completing, one sample per " +
                    "batch; its max bounds every viewer's): %s%n", mode, mode,
                    registry.summary(measuredFrom));
                System.out.printf("edge: %.0f woken in %.0f event-loop tasks (%.0f chunks), %.0f answered with the " +
                    "shared response (%.0f of them pre-encoded)%n",
                    count(registry, "bifrost.edge.live.requests", "woken"),
                    count(registry, "bifrost.edge.live.wake.tasks", null),
                    count(registry, "bifrost.edge.live.wake.chunks", null),
                    count(registry, "bifrost.edge.live.wake.shared", null),
                    count(registry, "bifrost.edge.live.wake.encoded", null));
                if (measuredAnswers > 0)
                {
                    System.out.printf("edge event loops' CPU in the measured rounds: %.1f us per held request (read, " +
                        "decode, hold), %.1f us per woken answer (wake, write, flush)%n",
                        holdCpuNanos / 1e3 / measuredAnswers, wakeCpuNanos / 1e3 / measuredAnswers);
                    final StringBuilder split = new StringBuilder();
                    final long wakeTotal = Math.max(1, wakeCpuNanos);
                    wakeCpuByLoop.forEach((loop, cpu) -> split.append(split.isEmpty() ? "" : ", ").append(loop)
                        .append(' ').append(Math.round(100.0 * cpu / wakeTotal)).append('%'));
                    System.out.println("edge wake CPU by event loop (from the part's publish to the round's last " +
                        "answer): " + split);
                }
            }
        }
        finally
        {
            IoUtil.delete(work.toFile(), true);
        }
    }

    private static double held(final DeliverySamplingRegistry registry)
    {
        return registry.get("bifrost.edge.live.requests").tag("outcome", "held").counter().count();
    }

    /**
     * @return the counter's count, 0 when this edge build has no such counter.
     */
    private static double count(final DeliverySamplingRegistry registry, final String name, final String outcome)
    {
        final var search = outcome == null ? registry.find(name) : registry.find(name).tag("outcome", outcome);
        final var counter = search.counter();
        return counter == null ? 0 : counter.count();
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
