package io.bifrost.origin.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.store.OriginStore;
import io.bifrost.transcoder.protection.TitleKey;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The content keys of protected titles, one per title, in the origin store's metadata column family under
 * {@code title-key/{videoId}} (JSON: key id and key in hex). That family is never served: keys reach players only
 * through {@link KeyEndpoints}. A key is created on first use and written durably (synced batch) before it is
 * returned, so a transcode redone after a crash encrypts with the same key. Deleting a title shreds its key.
 * Thread-safe.
 */
public final class TitleKeyStore
{
    /** Metadata key prefix of title keys. */
    public static final String PREFIX = "title-key/";
    private static final byte[] SHREDDED = new byte[0];

    private final OriginStore store;
    private final SecureRandom random;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param store  the origin store (owned by the caller).
     * @param random where keys come from.
     */
    public TitleKeyStore(final OriginStore store, final SecureRandom random)
    {
        this.store = store;
        this.random = random;
    }

    /**
     * @param videoId the title.
     * @return its key, created and stored durably if it had none.
     */
    public synchronized TitleKey keyOf(final String videoId)
    {
        final TitleKey existing = find(videoId);
        if (existing != null)
        {
            return existing;
        }
        final TitleKey created = TitleKey.generate(random);
        try (OriginStore.Batch batch = store.batch())
        {
            batch.putMetadata(PREFIX + videoId, json.writeValueAsBytes(Map.of("kid", created.kidHex(),
                "key", created.keyHex()))).commit();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot store the key of " + videoId, ex);
        }
        return created;
    }

    /**
     * @param videoId the title.
     * @return its key, or null when it has none.
     */
    public TitleKey find(final String videoId)
    {
        final byte[] stored = store.getMetadata(PREFIX + videoId);
        if (stored == null || stored.length == 0)
        {
            return null;
        }
        try
        {
            final Map<?, ?> fields = json.readValue(stored, Map.class);
            return TitleKey.fromHex(String.valueOf(fields.get("kid")), String.valueOf(fields.get("key")));
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("the stored key of " + videoId + " is unreadable");
        }
    }

    /**
     * Forget a title's key (its media is gone, so nothing can be decrypted with it any more).
     *
     * @param videoId the title.
     */
    public synchronized void shred(final String videoId)
    {
        if (store.getMetadata(PREFIX + videoId) != null)
        {
            try (OriginStore.Batch batch = store.batch())
            {
                batch.putMetadata(PREFIX + videoId, SHREDDED).commit();
            }
        }
    }
}
