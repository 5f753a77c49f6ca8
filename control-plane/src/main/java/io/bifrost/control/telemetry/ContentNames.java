package io.bifrost.control.telemetry;

import java.util.regex.Pattern;

/**
 * The names the control plane keys traffic by, as every door accepts them: edges' telemetry, steering, playback URL
 * requests and the dashboard refuse a content id or region that does not match, so what telemetry aggregates and what
 * the API asks about always share one syntax. Patterns are immutable and thread-safe; use {@code matcher(..).matches()}.
 */
public final class ContentNames
{
    /** A content id: {@code live/} or {@code vod/} and a stream or video id of 1 to 64 {@code [A-Za-z0-9_-]}. */
    public static final Pattern CONTENT_ID = Pattern.compile("(live|vod)/[A-Za-z0-9_-]{1,64}");
    /** A region name: 1 to 64 {@code [A-Za-z0-9._-]}. */
    public static final Pattern REGION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ContentNames()
    {
    }
}
