package io.bifrost.origin.live.replication;

import io.aeron.Subscription;
import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An origin launched with {@link OriginNode.Context#liveReplication} publishes the live stream: an edge subscribing in
 * the same process (the {@code bifrost all} case, one media driver) connects to its publication.
 */
class OriginLiveReplicationWiringTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPublishTheLiveStreamWhenReplicationIsConfigured()
    {
        final Path aeronDir = dir.resolve("aeron");
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RunningOrigin origin = OriginNode.launch(new OriginNode.Context()
                .bindAddress("127.0.0.1").port(0).dataDir(dir.resolve("origin")).meterRegistry(registry)
                .liveReplication(new LiveReplicationSettings(AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, aeronDir, false)));
            EmbeddedAeron edge = EmbeddedAeron.acquire(aeronDir, false);
            Subscription ignored = edge.aeron().addSubscription(AeronChannels.IPC_CHANNEL, AeronChannels.LIVE_STREAM_ID))
        {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                registry.get("bifrost.origin.live.replication.connected").gauge().value() == 1);
            assertThat(origin.live()).isNotNull();
        }
    }
}
