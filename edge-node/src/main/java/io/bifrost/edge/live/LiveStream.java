package io.bifrost.edge.live;

import io.netty.buffer.ByteBuf;

import java.util.HashMap;
import java.util.Map;

/**
 * One live stream at the edge: the session (epoch) it follows, its renditions, and its stream-wide manifests. Its
 * monitor guards all of it, renditions included: the Aeron thread writes, event loops read, each for a short time.
 */
final class LiveStream
{
    final String id;
    final Map<String, LiveRendition> renditions = new HashMap<>();
    long epoch = -1;
    ByteBuf master;
    ByteBuf mpd;

    LiveStream(final String id)
    {
        this.id = id;
    }

    LiveRendition rendition(final String name)
    {
        return renditions.computeIfAbsent(name, LiveRendition::new);
    }
}
