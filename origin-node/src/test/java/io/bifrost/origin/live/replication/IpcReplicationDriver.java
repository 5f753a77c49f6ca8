package io.bifrost.origin.live.replication;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The publisher tests' shared setup, as a JUnit extension: an embedded Aeron media driver in a fresh temporary
 * directory per test, a meter registry, and IPC subscriptions on the live stream where the origin's publisher is read
 * back. Register it with {@code @RegisterExtension final IpcReplicationDriver driver = new IpcReplicationDriver();}.
 */
final class IpcReplicationDriver implements BeforeEachCallback, AfterEachCallback
{
    private Path dir;
    private EmbeddedAeron aeron;
    private SimpleMeterRegistry registry;

    @Override
    public void beforeEach(final ExtensionContext context) throws IOException
    {
        dir = Files.createTempDirectory("bifrost-replication");
        aeron = EmbeddedAeron.acquire(dir.resolve("aeron"), false);
        registry = new SimpleMeterRegistry();
    }

    @Override
    public void afterEach(final ExtensionContext context) throws IOException
    {
        aeron.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /** @return the Aeron client of this test's driver. */
    Aeron aeron()
    {
        return aeron.aeron();
    }

    /** @return this test's meter registry. */
    SimpleMeterRegistry registry()
    {
        return registry;
    }

    /** @return a new IPC subscription on the live stream (closed by the caller). */
    Subscription subscribe()
    {
        return aeron.aeron().addSubscription(AeronChannels.IPC_CHANNEL, AeronChannels.LIVE_STREAM_ID);
    }

    /**
     * @param publisher a publisher with a subscriber.
     * @return the publisher, once its publication is connected (at most 10 s).
     */
    LiveReplicationPublisher awaitConnected(final LiveReplicationPublisher publisher)
    {
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.publication().isConnected());
        return publisher;
    }
}
