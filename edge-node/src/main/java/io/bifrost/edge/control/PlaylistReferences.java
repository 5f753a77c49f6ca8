package io.bifrost.edge.control;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.PathParseResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The content objects an HLS playlist refers to: variant playlists of a master playlist, the init segment
 * ({@code EXT-X-MAP}) and the segments of a media playlist. URIs are resolved against the playlist's own path;
 * only URIs that resolve to a canonical content path of the same content are kept (a playlist never makes the
 * edge fetch anything else). Partial segments ({@code EXT-X-PART}) are not listed: live parts reach edges over Aeron.
 * Stateless.
 */
final class PlaylistReferences
{
    /** Most references taken from one playlist. */
    static final int MAX_REFERENCES = 20_000;

    private PlaylistReferences()
    {
    }

    /**
     * @param playlist the playlist's key (its path is the base for relative URIs).
     * @param text     the playlist body.
     * @return the referenced objects, in playlist order, at most {@link #MAX_REFERENCES}.
     */
    static List<ContentKey> of(final ContentKey playlist, final CharSequence text)
    {
        final String base = playlist.path().substring(0, playlist.path().lastIndexOf('/') + 1);
        final Set<ContentKey> keys = new LinkedHashSet<>();
        int start = 0;
        final int length = text.length();
        while (start < length && keys.size() < MAX_REFERENCES)
        {
            int end = start;
            while (end < length && text.charAt(end) != '\n')
            {
                end++;
            }
            final String line = text.subSequence(start, end).toString().trim();
            start = end + 1;
            if (line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("#EXT-X-MAP:"))
            {
                final int uri = line.indexOf("URI=\"");
                final int close = uri < 0 ? -1 : line.indexOf('"', uri + 5);
                if (close > 0)
                {
                    add(keys, playlist, base, line.substring(uri + 5, close));
                }
            }
            else if (line.charAt(0) != '#')
            {
                add(keys, playlist, base, line);
            }
        }
        return new ArrayList<>(keys);
    }

    private static void add(final Set<ContentKey> keys, final ContentKey playlist, final String base, final String uri)
    {
        String path = uri;
        final int query = path.indexOf('?');
        if (query >= 0)
        {
            path = path.substring(0, query);
        }
        if (path.contains("://") || path.contains("..") || path.isEmpty())
        {
            return;
        }
        if (path.charAt(0) != '/')
        {
            path = base + path;
        }
        final PathParseResult parsed = ContentKeyParser.parse(path);
        if (parsed instanceof ContentKey key && key.contentId().equals(playlist.contentId()))
        {
            keys.add(key);
        }
    }
}
