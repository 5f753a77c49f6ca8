package io.bifrost.origin.catalog;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Video ids: {@code [A-Za-z0-9_-]{1,64}} (the content naming of DESIGN.md section 3), so an id is always a safe path
 * segment and store key. Stateless.
 */
public final class VideoIds
{
    private VideoIds()
    {
    }

    /**
     * @return a fresh random id: a UUID in base64url, 22 characters.
     */
    public static String newVideoId()
    {
        final UUID uuid = UUID.randomUUID();
        final ByteBuffer bytes = ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * @param videoId a candidate id, possibly null.
     * @return true when it is a valid video id.
     */
    public static boolean isValid(final String videoId)
    {
        try
        {
            ContentKey.masterPlaylist(ContentScope.VOD, videoId);
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }
}
