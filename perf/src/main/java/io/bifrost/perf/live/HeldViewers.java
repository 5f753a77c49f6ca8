package io.bifrost.perf.live;

import io.bifrost.protocol.node.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The viewers of {@link HeldRequestsHarness}, in their own process so that they have their own open-files limit and
 * their own cores: N HTTP/1.1 keep-alive connections to one edge on one or two Netty event loops (io_uring or epoll),
 * each sending the same pre-encoded request bytes and reading the answer with a small status/length parser
 * ({@link HeldViewerHandler}). Driven by lines on stdin, answering on stdout (both processes read the same monotonic
 * clock, {@link System#nanoTime()}, so a publish instant taken in the edge's process compares with arrivals here):
 *
 * <pre>
 * stdin:  round ID PATH-AND-QUERY      every viewer sends GET PATH-AND-QUERY; answers "sent ID" once all are written
 * stdin:  published ID NANOS           the part that answers round ID was published at NANOS (System.nanoTime)
 *                                      answers "result ID ok=N failed=N p50=.." once every viewer has its answer
 * stdin:  summary                      answers "summary n=.. p50=.." over every round named "measured"
 * stdin:  measured ID                  count round ID in the summary (send before its "published" line)
 * </pre>
 * Any other line on stdout (starting with "#") is information for the log.
 */
public final class HeldViewers
{
    private static final long ROUND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private final HeldViewerHandler[] viewers;
    private final EventLoopGroup group;
    private final LatencySamples all;
    private final AtomicInteger answered = new AtomicInteger();

    private HeldViewers(final int count, final EventLoopGroup group, final int rounds)
    {
        this.viewers = new HeldViewerHandler[count];
        this.group = group;
        this.all = new LatencySamples(count * Math.max(1, rounds));
    }

    /**
     * @param args {@code --host H --port P --viewers N --io-threads T --rounds R --transport auto|epoll|io_uring|nio}.
     */
    public static void main(final String[] args) throws Exception
    {
        String host = "127.0.0.1";
        int port = 0;
        int count = 100;
        int ioThreads = 1;
        int rounds = 10;
        String transportName = "auto";
        for (int i = 0; i < args.length; i += 2)
        {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--viewers" -> count = Integer.parseInt(value);
                case "--io-threads" -> ioThreads = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--transport" -> transportName = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class Javadoc)");
            }
        }
        final NettyTransport transport = NettyTransport.select(transportName);
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads,
            new DefaultThreadFactory("held-viewer"), ioHandlerFactory(transport));
        try
        {
            final HeldViewers client = new HeldViewers(count, group, rounds);
            System.out.println("# viewers: " + count + " connections, " + ioThreads + " event loop(s), " +
                transport.name().toLowerCase(Locale.ROOT) + ", cpus " + allowedCpus() + ", pid " +
                ProcessHandle.current().pid());
            client.connect(transport, host, port);
            System.out.println("# connected");
            System.out.flush();
            client.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)));
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * io_uring with a completion queue that holds one answer per viewer of a loop (Netty's default, 4096, overflows
     * when thousands of answers arrive in one pass, which slows the viewers, not the edge being measured).
     */
    private static IoHandlerFactory ioHandlerFactory(final NettyTransport transport)
    {
        return transport.ioHandlerFactory(0, 32768);
    }

    /**
     * @return the CPUs this process may run on (Linux {@code Cpus_allowed_list}), "?" elsewhere.
     */
    static String allowedCpus()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Cpus_allowed_list:"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final Exception unreadable)
        {
            return "?";
        }
        return "?";
    }

    private void connect(final NettyTransport transport, final String host, final int port) throws InterruptedException
    {
        final Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.socketChannelClass())
            .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
        // At most this many connects in flight, so the edge's accept backlog never overflows into SYN retries.
        final Semaphore inFlight = new Semaphore(256);
        final List<ChannelFuture> connects = new ArrayList<>(viewers.length);
        for (int v = 0; v < viewers.length; v++)
        {
            inFlight.acquire();
            final HeldViewerHandler handler = new HeldViewerHandler(this::onAnswer);
            viewers[v] = handler;
            final ChannelFuture connect = bootstrap.clone().handler(handler).connect(host, port);
            connect.addListener(done -> inFlight.release());
            connects.add(connect);
        }
        for (final ChannelFuture connect : connects)
        {
            if (!connect.await(60, TimeUnit.SECONDS) || !connect.isSuccess())
            {
                throw new IllegalStateException("viewer connection failed: " + connect.cause());
            }
        }
    }

    private void onAnswer()
    {
        answered.incrementAndGet();
    }

    private void serve(final BufferedReader commands) throws Exception
    {
        long measuredRound = -1;
        String round = null;
        String line;
        while ((line = commands.readLine()) != null)
        {
            final String[] words = line.trim().split(" ");
            switch (words[0])
            {
                case "round" ->
                {
                    round = words[1];
                    send(words[2]);
                    System.out.println("sent " + round);
                }
                case "measured" -> measuredRound = Long.parseLong(words[1]);
                case "published" ->
                {
                    final long publishedNanos = Long.parseLong(words[2]);
                    System.out.println(result(round, publishedNanos, measuredRound == Long.parseLong(words[1])));
                }
                case "summary" ->
                {
                    System.out.println("summary " + all.summary());
                    System.out.flush();
                    return;
                }
                default -> System.out.println("# unknown command: " + line);
            }
            System.out.flush();
        }
    }

    /**
     * Every viewer sends the request: one task per event loop writes and flushes its own connections.
     */
    private void send(final String pathAndQuery)
    {
        final ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(("GET " + pathAndQuery +
            " HTTP/1.1\r\nHost: edge\r\nUser-Agent: bifrost-held-viewers\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        answered.set(0);
        final long sentAt = System.nanoTime();
        final Map<EventLoop, List<HeldViewerHandler>> byLoop = new IdentityHashMap<>();
        for (final HeldViewerHandler viewer : viewers)
        {
            viewer.reset();
            byLoop.computeIfAbsent(viewer.channel().eventLoop(), loop -> new ArrayList<>()).add(viewer);
        }
        final CountDownLatch written = new CountDownLatch(byLoop.size());
        byLoop.forEach((loop, handlers) -> loop.execute(() ->
        {
            for (final HeldViewerHandler handler : handlers)
            {
                final Channel channel = handler.channel();
                channel.write(request.duplicate());
                channel.flush();
            }
            written.countDown();
        }));
        try
        {
            if (!written.await(60, TimeUnit.SECONDS))
            {
                System.out.println("# requests not all written within 60 s");
            }
        }
        catch (final InterruptedException interrupted)
        {
            Thread.currentThread().interrupt();
        }
        System.out.printf("# %d requests written in %.1f ms%n", viewers.length, (System.nanoTime() - sentAt) / 1e6);
    }

    /**
     * Wait (bounded) for every viewer's answer, then summarise the round's delays after the publish instant.
     */
    private String result(final String round, final long publishedNanos, final boolean measured)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + ROUND_TIMEOUT_NS;
        while (answered.get() < viewers.length && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        final LatencySamples samples = new LatencySamples(viewers.length);
        int ok = 0;
        int failed = 0;
        final int[] statuses = new int[6];
        for (final HeldViewerHandler viewer : viewers)
        {
            final long arrived = viewer.arrivedNanos();
            final int status = viewer.status();
            statuses[Math.min(5, Math.max(0, status / 100))]++;
            if (arrived > 0 && status == 200)
            {
                ok++;
                samples.record(arrived - publishedNanos);
                if (measured)
                {
                    all.record(arrived - publishedNanos);
                }
            }
            else
            {
                failed++;
            }
        }
        return "result " + round + " ok=" + ok + " failed=" + failed + " statuses(0xx..5xx)=" + Arrays.toString(statuses) +
            " " + samples.summary();
    }
}
