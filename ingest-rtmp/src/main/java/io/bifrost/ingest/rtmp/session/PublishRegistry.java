package io.bifrost.ingest.rtmp.session;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stream keys being published on this server right now, so that a second publisher of a live key is refused.
 * Thread-safe: sessions on different event loops claim and release concurrently.
 */
public final class PublishRegistry
{
    private final ConcurrentMap<String, Object> live = new ConcurrentHashMap<>();

    /**
     * @param key   the stream key.
     * @param owner the session that publishes it.
     * @return true when the key was free and is now owned by {@code owner}.
     */
    public boolean claim(final String key, final Object owner)
    {
        return null == live.putIfAbsent(key, owner);
    }

    /**
     * Free the key if {@code owner} holds it.
     *
     * @param key   the stream key.
     * @param owner the session that published it.
     */
    public void release(final String key, final Object owner)
    {
        live.remove(key, owner);
    }

    /**
     * @param key a stream key.
     * @return whether it is being published.
     */
    public boolean isLive(final String key)
    {
        return live.containsKey(key);
    }

    /**
     * @return how many keys are live.
     */
    public int liveCount()
    {
        return live.size();
    }
}
