package io.bifrost.edge.control;

import io.bifrost.edge.fill.FillCoalescer;
import io.bifrost.edge.fill.FillFailure;
import io.bifrost.edge.fill.FillHead;
import io.bifrost.edge.fill.FillListener;
import io.bifrost.edge.placement.PlacementHooks;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.bifrost.protocol.naming.ContentScope;
import io.bifrost.protocol.sbe.PlacementAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Carries out accepted placement commands through the edge's {@link PlacementHooks}.
 *
 * <p>A command names a content, optionally a rendition and a segment range; the executor turns it into objects:
 * without a rendition it fetches the master playlist and follows its variants; with one it takes the media playlist
 * and init segment, and the segments in range (VOD with both ends given: named directly; otherwise read from the
 * media playlist, fetched through the edge's own fill path so it is cached too). Objects are prefetched in priority
 * order at no more than {@code prefetchesPerSecond} (so a hot title does not stampede the origin), PIN pins each one
 * once it is cached (retrying until {@link #PIN_WAIT_MS}), RELEASE unpins and drops what earlier PINs of the content
 * pinned. Bounded: at most {@link #MAX_QUEUED} objects wait; more are dropped and counted.
 *
 * <p>{@link #accept} and {@link #doWork} run on the control agent's thread; playlist fills complete on event loops and
 * hand their bodies over through a concurrent queue.
 */
final class PlacementExecutor
{
    /** Most objects waiting to be prefetched. */
    static final int MAX_QUEUED = 100_000;
    /** Largest playlist read. */
    static final int MAX_PLAYLIST_BYTES = 1 << 20;
    /** How long a PIN waits for its object to be cached. */
    static final long PIN_WAIT_MS = 60_000;
    /** Most pinned paths remembered per content (for RELEASE). */
    static final int MAX_PINS_PER_CONTENT = 20_000;

    private final PlacementHooks hooks;
    private final FillCoalescer coalescer;
    private final LongSupplier clock;
    private final int prefetchesPerSecond;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private final Queue<PlaylistBody> playlists = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Task> pins = new ArrayDeque<>();
    private final Map<String, Set<ContentKey>> pinned = new HashMap<>();
    private final Counter prefetched;
    private final Counter pinnedCounter;
    private final Counter released;
    private final Counter dropped;
    private final Counter playlistFailures;
    private long sequence;
    private long tokens;
    private long lastRefillMs = Long.MIN_VALUE;

    private record Task(ContentKey key, PlacementOrder order, long sequence, long deadlineMs) implements Comparable<Task>
    {
        @Override
        public int compareTo(final Task other)
        {
            final int byPriority = Integer.compare(other.order.priority(), order.priority());
            return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
        }
    }

    private record PlaylistBody(ContentKey playlist, PlacementOrder order, String text)
    {
    }

    PlacementExecutor(
        final PlacementHooks hooks, final FillCoalescer coalescer, final LongSupplier clock, final int prefetchesPerSecond,
        final MeterRegistry meters)
    {
        this.hooks = hooks;
        this.coalescer = coalescer;
        this.clock = clock;
        this.prefetchesPerSecond = Math.max(1, prefetchesPerSecond);
        prefetched = counter(meters, "prefetched");
        pinnedCounter = counter(meters, "pinned");
        released = counter(meters, "released");
        dropped = counter(meters, "dropped");
        playlistFailures = counter(meters, "playlist_failed");
    }

    private static Counter counter(final MeterRegistry meters, final String result)
    {
        return Counter.builder("bifrost.edge.placement.objects").tag("result", result)
            .description("objects acted on for placement commands, by outcome").register(meters);
    }

    /**
     * Plan one accepted command.
     *
     * @param order the command.
     */
    void accept(final PlacementOrder order)
    {
        final int slash = order.contentId().indexOf('/');
        final ContentScope scope = order.contentId().startsWith("live/") ? ContentScope.LIVE : ContentScope.VOD;
        final String id = order.contentId().substring(slash + 1);
        if (order.action() == PlacementAction.RELEASE)
        {
            release(order);
            return;
        }
        if (order.rendition().isEmpty())
        {
            final ContentKey master = ContentKey.masterPlaylist(scope, id);
            enqueue(master, order);
            readPlaylist(master, order);
            return;
        }
        final ContentKey media = ContentKey.mediaPlaylist(scope, id, order.rendition());
        enqueue(media, order);
        enqueue(ContentKey.init(scope, id, order.rendition()), order);
        if (scope == ContentScope.VOD && order.fromMsn() >= 0 && order.toMsn() >= 0)
        {
            for (long msn = order.fromMsn(); msn <= order.toMsn() && tasks.size() < MAX_QUEUED; msn++)
            {
                enqueue(ContentKey.vodSegment(id, order.rendition(), msn), order);
            }
            return;
        }
        readPlaylist(media, order);
    }

    /**
     * Prefetch what the rate allows, follow finished playlists, pin what arrived.
     *
     * @return work done.
     */
    int doWork()
    {
        int work = 0;
        PlaylistBody body;
        while ((body = playlists.poll()) != null)
        {
            work++;
            onPlaylist(body);
        }
        final long nowMs = clock.getAsLong();
        if (lastRefillMs == Long.MIN_VALUE || nowMs - lastRefillMs >= 1_000 || nowMs < lastRefillMs)
        {
            tokens = prefetchesPerSecond;
            lastRefillMs = nowMs;
        }
        while (tokens > 0 && !tasks.isEmpty())
        {
            final Task task = tasks.poll();
            tokens--;
            work++;
            if (task.order().expiresAtMs() != 0 && task.order().expiresAtMs() <= nowMs)
            {
                continue;
            }
            hooks.prefetch(task.key());
            prefetched.increment();
            if (task.order().action() == PlacementAction.PIN)
            {
                pins.add(new Task(task.key(), task.order(), task.sequence(), nowMs + PIN_WAIT_MS));
            }
        }
        for (final Iterator<Task> it = pins.iterator(); it.hasNext(); )
        {
            final Task pin = it.next();
            if (hooks.pin(pin.key()))
            {
                it.remove();
                work++;
                pinnedCounter.increment();
                final Set<ContentKey> keys = pinned.computeIfAbsent(pin.order().contentId(), c -> new LinkedHashSet<>());
                if (keys.size() < MAX_PINS_PER_CONTENT)
                {
                    keys.add(pin.key());
                }
            }
            else if (pin.deadlineMs() <= nowMs)
            {
                it.remove();
                dropped.increment();
            }
        }
        return work;
    }

    /**
     * @return objects waiting to be prefetched.
     */
    int queued()
    {
        return tasks.size();
    }

    private void release(final PlacementOrder order)
    {
        final Set<ContentKey> keys = pinned.get(order.contentId());
        if (keys == null)
        {
            return;
        }
        for (final Iterator<ContentKey> it = keys.iterator(); it.hasNext(); )
        {
            final ContentKey key = it.next();
            if (!order.rendition().isEmpty() && !order.rendition().equals(key.rendition()))
            {
                continue;
            }
            if (key.kind() == ContentKind.SEGMENT && !inRange(order, key.msn()))
            {
                continue;
            }
            hooks.release(key);
            released.increment();
            it.remove();
        }
        if (keys.isEmpty())
        {
            pinned.remove(order.contentId());
        }
    }

    private void onPlaylist(final PlaylistBody body)
    {
        final List<ContentKey> references = PlaylistReferences.of(body.playlist(), body.text());
        for (final ContentKey key : references)
        {
            if (key.kind() == ContentKind.MEDIA_PLAYLIST)
            {
                enqueue(key, body.order());
                readPlaylist(key, body.order());
            }
            else if (key.kind() != ContentKind.SEGMENT || inRange(body.order(), key.msn()))
            {
                enqueue(key, body.order());
            }
        }
    }

    private static boolean inRange(final PlacementOrder order, final long msn)
    {
        return (order.fromMsn() < 0 || msn >= order.fromMsn()) && (order.toMsn() < 0 || msn <= order.toMsn());
    }

    private void enqueue(final ContentKey key, final PlacementOrder order)
    {
        if (tasks.size() >= MAX_QUEUED)
        {
            dropped.increment();
            return;
        }
        tasks.add(new Task(key, order, sequence++, 0));
    }

    private void readPlaylist(final ContentKey playlist, final PlacementOrder order)
    {
        coalescer.request(playlist, new FillListener()
        {
            private final StringBuilder text = new StringBuilder();
            private boolean ok;
            private boolean tooBig;

            @Override
            public void onHead(final FillHead head)
            {
                ok = head.status() == 200;
            }

            @Override
            public void onContent(final ByteBuf chunk)
            {
                if (ok && !tooBig)
                {
                    if (text.length() + chunk.readableBytes() > MAX_PLAYLIST_BYTES)
                    {
                        tooBig = true;
                        return;
                    }
                    text.append(chunk.toString(chunk.readerIndex(), chunk.readableBytes(), StandardCharsets.UTF_8));
                }
            }

            @Override
            public void onComplete()
            {
                if (ok && !tooBig)
                {
                    playlists.add(new PlaylistBody(playlist, order, text.toString()));
                }
                else
                {
                    playlistFailures.increment();
                }
            }

            @Override
            public void onError(final FillFailure failure)
            {
                playlistFailures.increment();
            }
        });
    }
}
