package io.bifrost.origin.live.replication;

import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;

import java.nio.file.Path;

/**
 * Where the origin publishes live parts and window updates to the edges.
 *
 * @param channel         the live publication channel: {@link AeronChannels#livePublicationChannel(String, int)}
 *                        (UDP, dynamic multi-destination-cast; edges add themselves) or
 *                        {@link AeronChannels#LIVE_IPC_PUBLICATION_CHANNEL} when every role runs in one process.
 * @param aeronDirectory  the process's Aeron directory ({@link EmbeddedAeron#defaultDirectory()} by default); roles of
 *                        one process share the driver there.
 * @param externalDriver  true to connect to a media driver the operator runs in {@code aeronDirectory}.
 */
public record LiveReplicationSettings(String channel, Path aeronDirectory, boolean externalDriver)
{
    /**
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LiveReplicationSettings
    {
        if (channel == null || !channel.startsWith("aeron:"))
        {
            throw new IllegalArgumentException(
                "origin.live-channel must be an Aeron channel (aeron:udp?control=... or aeron:ipc), got " + channel);
        }
        if (aeronDirectory == null)
        {
            throw new IllegalArgumentException("origin.aeron-dir must be set");
        }
    }

    /**
     * @param originHost the address edges reach the origin's control endpoint on.
     * @return UDP publication on {@link AeronChannels#LIVE_CONTROL_PORT} with the embedded driver's default directory.
     */
    public static LiveReplicationSettings udp(final String originHost)
    {
        return new LiveReplicationSettings(AeronChannels.livePublicationChannel(originHost, AeronChannels.LIVE_CONTROL_PORT),
            EmbeddedAeron.defaultDirectory(), false);
    }
}
