package io.bifrost.protocol.naming;

/**
 * Top-level namespace of a content path: live streams under {@code /live/} and on-demand videos under {@code /vod/}.
 */
public enum ContentScope
{
    /**
     * A live stream, {@code /live/{streamId}/...}; segment and part names carry the origin session's epoch.
     */
    LIVE("live"),

    /**
     * An on-demand video, {@code /vod/{videoId}/...}; segments have no epoch and there are no parts.
     */
    VOD("vod");

    private final String pathSegment;

    ContentScope(final String pathSegment)
    {
        this.pathSegment = pathSegment;
    }

    /**
     * @return the first path segment for this scope, {@code live} or {@code vod}.
     */
    public String pathSegment()
    {
        return pathSegment;
    }
}
