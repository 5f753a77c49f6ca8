package io.bifrost.edge.player;

/**
 * What a path under {@code /player} names. Matching is exact on the raw (undecoded) path: percent escapes, dot
 * segments, doubled slashes and anything else not listed below are {@link Kind#NOT_FOUND}, so no path trick reaches a
 * file.
 *
 * <pre>
 * /player/{id}                 the page, playing /vod/{id}/master.m3u8
 * /player/live/{id}            the page, playing /live/{id}/master.m3u8
 * /player/assets/hls.min.js    hls.js
 * /player/assets/seed-abr.js   the seed ABR controller
 * /player/assets/player.js     the page's script
 * /player/qoe                  QoE beacons (POST)
 * </pre>
 * Ids follow the edge's URL rules ({@code [A-Za-z0-9_-]}, at most 64 characters).
 *
 * @param kind  what the path names.
 * @param asset the asset file name for {@link Kind#ASSET}, else null.
 */
record PlayerRoute(Kind kind, String asset)
{
    /** The prefix every player path starts with. */
    static final String PREFIX = "/player";

    /** What a player path names. */
    enum Kind
    {
        PAGE, ASSET, BEACON, NOT_FOUND
    }

    static final String HLS_JS = "hls.min.js";
    static final String SEED_ABR_JS = "seed-abr.js";
    static final String PLAYER_JS = "player.js";

    private static final PlayerRoute PAGE = new PlayerRoute(Kind.PAGE, null);
    private static final PlayerRoute BEACON = new PlayerRoute(Kind.BEACON, null);
    private static final PlayerRoute NOT_FOUND = new PlayerRoute(Kind.NOT_FOUND, null);
    private static final String ASSETS = "/player/assets/";
    private static final String LIVE = "/player/live/";

    /**
     * @param uri a request target (path and optional query).
     * @return true when the request is the player's to answer: {@code /player} or anything under {@code /player/}.
     */
    static boolean owns(final String uri)
    {
        if (!uri.startsWith(PREFIX))
        {
            return false;
        }
        if (uri.length() == PREFIX.length())
        {
            return true;
        }
        final char next = uri.charAt(PREFIX.length());
        return next == '/' || next == '?';
    }

    /**
     * @param path the path of a request the player {@link #owns}, query removed.
     * @return what it names.
     */
    static PlayerRoute parse(final String path)
    {
        if (path.equals("/player/qoe"))
        {
            return BEACON;
        }
        if (path.startsWith(ASSETS))
        {
            final String name = path.substring(ASSETS.length());
            return switch (name)
            {
                case HLS_JS, SEED_ABR_JS, PLAYER_JS -> new PlayerRoute(Kind.ASSET, name);
                default -> NOT_FOUND;
            };
        }
        if (path.startsWith(LIVE))
        {
            return QoeBeaconParser.isContentId(path.substring(LIVE.length())) ? PAGE : NOT_FOUND;
        }
        if (path.startsWith(PREFIX + "/"))
        {
            return QoeBeaconParser.isContentId(path.substring(PREFIX.length() + 1)) ? PAGE : NOT_FOUND;
        }
        return NOT_FOUND;
    }
}
