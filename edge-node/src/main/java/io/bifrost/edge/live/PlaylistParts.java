package io.bifrost.edge.live;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;
import io.bifrost.protocol.naming.ContentKind;
import io.bifrost.protocol.naming.PathParseResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts an LL-HLS media playlist lists (its {@code EXT-X-PART} tags), in order, with the segment boundaries the
 * segment URI lines give: what an edge that missed parts fetches from the origin to catch up. Only names of the
 * canonical form {@code {epoch}-{msn}.{part}.m4s} (relative, in the playlist's folder) are kept; anything else, and
 * {@code GAP=YES} parts, are skipped. Input is the origin's text: parsing never throws and keeps at most
 * {@link #MAX_PARTS} parts.
 */
final class PlaylistParts
{
    /** Most parts kept from one playlist. */
    static final int MAX_PARTS = 1_000;

    private static final String PART_TAG = "#EXT-X-PART:";

    /**
     * One listed part.
     *
     * @param epoch       session epoch from its name.
     * @param msn         segment.
     * @param part        index.
     * @param independent INDEPENDENT=YES.
     * @param segmentEnd  the last part listed before its segment's URI line.
     */
    record Part(long epoch, long msn, int part, boolean independent, boolean segmentEnd)
    {
        int flags()
        {
            return (independent ? LiveMessageDecoder.INDEPENDENT : 0) | (segmentEnd ? LiveMessageDecoder.SEGMENT_END : 0);
        }
    }

    private PlaylistParts()
    {
    }

    /**
     * @param streamId  the stream (to check names against).
     * @param rendition the rendition.
     * @param playlist  the playlist text; may be anything.
     * @return the parts, in playlist order.
     */
    static List<Part> parse(final String streamId, final String rendition, final String playlist)
    {
        final List<Part> parts = new ArrayList<>();
        if (playlist == null)
        {
            return parts;
        }
        final String folder = "/live/" + streamId + "/" + rendition + "/";
        int start = 0;
        final int length = playlist.length();
        while (start < length && parts.size() < MAX_PARTS)
        {
            int end = playlist.indexOf('\n', start);
            if (end < 0)
            {
                end = length;
            }
            final int lineEnd = end > start && playlist.charAt(end - 1) == '\r' ? end - 1 : end;
            if (playlist.startsWith(PART_TAG, start))
            {
                final Part part = part(folder, playlist.substring(start + PART_TAG.length(), lineEnd));
                if (part != null)
                {
                    parts.add(part);
                }
            }
            else if (lineEnd > start && playlist.charAt(start) != '#')
            {
                final ContentKey segment = key(folder, playlist.substring(start, lineEnd).trim());
                if (segment != null && segment.kind() == ContentKind.SEGMENT && !parts.isEmpty())
                {
                    final Part last = parts.get(parts.size() - 1);
                    if (last.msn() == segment.msn() && last.epoch() == segment.epoch())
                    {
                        parts.set(parts.size() - 1, new Part(last.epoch(), last.msn(), last.part(), last.independent(), true));
                    }
                }
            }
            start = end + 1;
        }
        return parts;
    }

    private static Part part(final String folder, final String attributes)
    {
        if (attributes.contains("GAP=YES"))
        {
            return null;
        }
        final int uri = attributes.indexOf("URI=\"");
        if (uri < 0)
        {
            return null;
        }
        final int close = attributes.indexOf('"', uri + 5);
        if (close < 0)
        {
            return null;
        }
        final ContentKey key = key(folder, attributes.substring(uri + 5, close));
        if (key == null || key.kind() != ContentKind.PART)
        {
            return null;
        }
        return new Part(key.epoch(), key.msn(), key.part(), attributes.contains("INDEPENDENT=YES"), false);
    }

    private static ContentKey key(final String folder, final String name)
    {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.length() > ContentKeyParser.MAX_PATH_LENGTH)
        {
            return null;
        }
        final PathParseResult parsed = ContentKeyParser.parse(folder + name);
        return parsed instanceof ContentKey key ? key : null;
    }
}
