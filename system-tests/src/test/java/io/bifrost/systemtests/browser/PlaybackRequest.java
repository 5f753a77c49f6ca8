package io.bifrost.systemtests.browser;

import java.time.Duration;
import java.util.List;

/**
 * One playback for {@link BrowserHarness#play(PlaybackRequest)}: which player plays which URL, what it must reach and
 * what the network does meanwhile. Immutable; the {@code with...} methods return changed copies. The field names
 * are the keys {@code system-tests/browser/play.mjs} reads.
 *
 * @param name          names the screenshot and the saved report, unique per test run.
 * @param url           the master playlist or MPD, normally on a Bifrost edge.
 * @param player        {@link #HLS_JS}, {@link #DASH_JS} or {@link #SHAKA}.
 * @param codecs        codec strings (from the master's CODECS) checked with {@code MediaSource.isTypeSupported}
 *                      first; the run fails with a clear message if any is not supported.
 * @param mseOnly       only answer the codec check.
 * @param minSeconds    the {@code currentTime} playback must reach (or the stream must end).
 * @param startTop      start on the top rung (the player's initial bandwidth estimate set high).
 * @param bufferSeconds forward buffer goal, kept small so a throttle still finds segments to fetch.
 * @param subtitles     select the first subtitle track and wait until its cues are loaded.
 * @param throttle      Chromium network throttling through CDP once the top rung plays, or null for none.
 * @param live          a live stream: the report carries latency samples.
 * @param timeout       the deadline of the whole run, browser start included.
 */
public record PlaybackRequest(
    String name,
    String url,
    String player,
    List<String> codecs,
    boolean mseOnly,
    double minSeconds,
    boolean startTop,
    double bufferSeconds,
    boolean subtitles,
    Throttle throttle,
    boolean live,
    Duration timeout)
{
    public static final String HLS_JS = "hls.js";
    public static final String DASH_JS = "dash.js";
    public static final String SHAKA = "shaka";

    /**
     * Network conditions applied with {@code Network.emulateNetworkConditions} while the player is on the top rung,
     * released again as soon as the player is on a lower one.
     *
     * @param afterSeconds throttle once {@code currentTime} passed this and the top rung plays.
     * @param kbps         download and upload throughput in kbit/s.
     * @param latencyMs    added round-trip latency.
     */
    public record Throttle(double afterSeconds, int kbps, int latencyMs)
    {
    }

    /** A VOD playback: start on the top rung, reach 6 s, no throttle, no subtitles, 90 s deadline. */
    public static PlaybackRequest vod(final String name, final String url, final String player,
        final List<String> codecs)
    {
        return new PlaybackRequest(name, url, player, List.copyOf(codecs), false, 6, true, 4, false, null, false,
            Duration.ofSeconds(90));
    }

    /** A live playback (LL-HLS where the player supports it): latency is reported, no top-rung start. */
    public static PlaybackRequest live(final String name, final String url, final String player,
        final List<String> codecs, final double minSeconds)
    {
        return new PlaybackRequest(name, url, player, List.copyOf(codecs), false, minSeconds, false, 4, false, null,
            true, Duration.ofSeconds(90));
    }

    /** Only the MSE codec check, no playback. */
    public static PlaybackRequest mseCheck(final String name, final List<String> codecs)
    {
        return new PlaybackRequest(name, "about:blank", HLS_JS, List.copyOf(codecs), true, 0, false, 4, false, null,
            false, Duration.ofSeconds(60));
    }

    public PlaybackRequest withSubtitles()
    {
        return new PlaybackRequest(name, url, player, codecs, mseOnly, minSeconds, startTop, bufferSeconds, true,
            throttle, live, timeout);
    }

    public PlaybackRequest withThrottle(final Throttle newThrottle)
    {
        return new PlaybackRequest(name, url, player, codecs, mseOnly, minSeconds, startTop, bufferSeconds, subtitles,
            newThrottle, live, timeout);
    }

    public PlaybackRequest withTimeout(final Duration newTimeout)
    {
        return new PlaybackRequest(name, url, player, codecs, mseOnly, minSeconds, startTop, bufferSeconds, subtitles,
            throttle, live, newTimeout);
    }
}
