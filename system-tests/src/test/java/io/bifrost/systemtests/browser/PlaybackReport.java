package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one {@link BrowserHarness#play(PlaybackRequest)} saw, read from the JSON {@code play.mjs} wrote (kept under
 * {@code system-tests/target/browser-reports/} for a failed CI run): playback samples, player and video element errors,
 * the renditions the player chose and fetched, the throttle episode, subtitle cues, latency and the screenshot.
 *
 * @param json the whole report, for anything the accessors do not cover.
 * @param file where the report was saved.
 */
public record PlaybackReport(JsonNode json, Path file)
{
    /** @return true when the run reached every phase it was asked for without a fatal player error. */
    public boolean ok()
    {
        return json.path("ok").asBoolean(false);
    }

    /** @return why the run did not finish, or null. */
    public String failure()
    {
        return json.path("failure").isNull() ? null : json.path("failure").asText(null);
    }

    public String chromiumVersion()
    {
        return json.path("chromiumVersion").asText("");
    }

    public String playerVersion()
    {
        return json.path("playerVersion").asText("");
    }

    /** @return codec string to {@code MediaSource.isTypeSupported} answer, in the order asked. */
    public Map<String, Boolean> mse()
    {
        final Map<String, Boolean> answer = new LinkedHashMap<>();
        json.path("mse").properties().forEach(entry -> answer.put(entry.getKey(), entry.getValue().asBoolean()));
        return answer;
    }

    /** @return milliseconds from asking the player to play the URL to the first {@code playing} event, or -1. */
    public long startupMs()
    {
        return json.path("startupMs").isNumber() ? json.path("startupMs").asLong() : -1;
    }

    /** @return the highest {@code currentTime} sampled. */
    public double maxCurrentTime()
    {
        double max = json.path("final").path("currentTime").asDouble(0);
        for (final JsonNode sample : json.path("samples"))
        {
            max = Math.max(max, sample.path("currentTime").asDouble(0));
        }
        return max;
    }

    /** @return how far playback advanced from where it started (live: from where it joined the stream), seconds. */
    public double advancedSeconds()
    {
        return maxCurrentTime() - json.path("firstCurrentTime").asDouble(0);
    }

    /** @return the number of samples whose {@code currentTime} was higher than the one before. */
    public int advancingSamples()
    {
        int advancing = 0;
        double last = -1;
        for (final JsonNode sample : json.path("samples"))
        {
            final double time = sample.path("currentTime").asDouble(0);
            if (time > last && last >= 0)
            {
                advancing++;
            }
            last = time;
        }
        return advancing;
    }

    /** @return fatal errors from the player or the video element, as text. */
    public List<String> fatalErrors()
    {
        final List<String> fatal = new ArrayList<>();
        for (final JsonNode error : json.path("errors"))
        {
            if (error.path("fatal").asBoolean())
            {
                fatal.add(error.path("text").asText());
            }
        }
        return fatal;
    }

    /** @return uncaught page exceptions and console errors. */
    public List<String> pageErrors()
    {
        final List<String> errors = new ArrayList<>();
        json.path("pageErrors").forEach(error -> errors.add(error.asText()));
        return errors;
    }

    /** @return the heights of the video renditions the player offers, lowest first. */
    public List<Integer> levelHeights()
    {
        final List<Integer> heights = new ArrayList<>();
        json.path("levels").forEach(level -> heights.add(level.path("height").asInt()));
        heights.sort(Integer::compare);
        return heights;
    }

    /** @return the rendition heights the player was on, in order, each change once. */
    public List<Integer> levelHistory()
    {
        final List<Integer> heights = new ArrayList<>();
        json.path("switches").forEach(change -> heights.add(change.path("height").asInt()));
        return heights;
    }

    /** @return rendition folders ({@code 720p}, {@code audio}, {@code sub-en}...) the browser fetched, in order. */
    public List<String> renditionsLoaded()
    {
        final List<String> renditions = new ArrayList<>();
        json.path("renditionsLoaded").forEach(loaded -> renditions.add(loaded.path("rendition").asText()));
        return renditions;
    }

    /** @return rendition folders of media segments ({@code n.m4s}) whose request started at or after a moment. */
    public Set<String> segmentRenditionsRequestedFrom(final long atMs)
    {
        final Set<String> renditions = new LinkedHashSet<>();
        for (final JsonNode request : json.path("requests"))
        {
            final String path = request.path("path").asText();
            if (request.path("startMs").asLong() >= atMs && path.endsWith(".m4s") && path.indexOf('/') > 0)
            {
                renditions.add(path.substring(0, path.indexOf('/')));
            }
        }
        return renditions;
    }

    /** @return the throttle episode ({@code kbps, startedAtMs, fromHeight, toHeight, switchMs...}), or missing. */
    public JsonNode throttle()
    {
        return json.path("throttle");
    }

    /** @return the texts of the first cues of every subtitle or caption track the video element has. */
    public List<String> subtitleCueTexts()
    {
        final List<String> texts = new ArrayList<>();
        for (final JsonNode track : json.path("textTracks"))
        {
            if (!"metadata".equals(track.path("kind").asText()))
            {
                track.path("firstCues").forEach(cue -> texts.add(cue.path("text").asText()));
            }
        }
        return texts;
    }

    /** @return the number of cues on the subtitle or caption tracks of the video element. */
    public int subtitleCues()
    {
        int cues = 0;
        for (final JsonNode track : json.path("textTracks"))
        {
            if (!"metadata".equals(track.path("kind").asText()))
            {
                cues += track.path("cues").asInt();
            }
        }
        return cues;
    }

    /** @return the player's live latency in seconds (hls.latency for hls.js) sampled while playing. */
    public List<Double> latencySamples()
    {
        final List<Double> latencies = new ArrayList<>();
        for (final JsonNode sample : json.path("samples"))
        {
            final JsonNode latency = sample.path("latency").path("latency");
            if (latency.isNumber() && sample.path("currentTime").asDouble(0) > 0)
            {
                latencies.add(latency.asDouble());
            }
        }
        return latencies;
    }

    /** @return the PNG written at the end of the run, or null. */
    public Path screenshot()
    {
        return json.path("screenshot").isTextual() ? Path.of(json.path("screenshot").asText()) : null;
    }

    /**
     * One startup milestone of the edge's reference player ({@code bifrostPlayer.timeline}), on the page's clock.
     *
     * @param atMs   milliseconds since the page's navigation.
     * @param name   hls.js's event (manifestLoading, levelLoaded, fragLoading, bufferAppended, ...) or the video's.
     * @param detail what the page recorded with it (fragments: type, level, sn, part, independent, start, duration).
     */
    public record StartupStep(long atMs, String name, JsonNode detail)
    {
        @Override
        public String toString()
        {
            return atMs + " " + name + (detail == null || detail.isNull() ? "" : " " + detail);
        }
    }

    /** @return the URLs of the dedicated workers the page started (hls.js's transmuxer worker is a blob: URL). */
    public List<String> workers()
    {
        final List<String> workers = new ArrayList<>();
        json.path("workers").forEach(worker -> workers.add(worker.asText()));
        return workers;
    }

    /** @return the reference player's startup milestones up to its first {@code playing}, empty for other players. */
    public List<StartupStep> startupSteps()
    {
        final List<StartupStep> steps = new ArrayList<>();
        for (final JsonNode step : json.path("startup").path("timeline"))
        {
            steps.add(new StartupStep(step.path("atMs").asLong(), step.path("name").asText(), step.path("detail")));
        }
        return steps;
    }

    /**
     * @return the reference player's startup as lines for the test log: the navigation's timing, the milestones and the
     * requests made before the first frame ({@code [path, start, first byte, end]}), all in ms since navigation.
     */
    public String startupTimeline()
    {
        final JsonNode startup = json.path("startup");
        if (startup.isMissingNode() || startup.isNull())
        {
            return "no startup timeline";
        }
        final StringBuilder out = new StringBuilder("startup timeline (ms since navigation): page ")
            .append(startup.path("navigation")).append('\n');
        startupSteps().forEach(step -> out.append("  ").append(step).append('\n'));
        out.append("  requests before the first frame [path, start, first byte, end]: ")
            .append(startup.path("requests"));
        return out.toString();
    }

    /** @return a few lines for assertion messages and the test log. */
    public String summary()
    {
        return json.path("player").asText() + " " + playerVersion() + " on Chromium " + chromiumVersion() + ": ok=" +
            ok() + (failure() == null ? "" : " failure=" + failure()) + ", startup " + startupMs() + " ms, reached " +
            String.format("%.2f", maxCurrentTime()) + " s, levels " + levelHistory() + ", fetched " +
            renditionsLoaded() + ", throttle " + throttle() + ", cues " + subtitleCues() + ", errors " +
            json.path("errors") + ", page errors " + pageErrors() + ", wall " + json.path("wallMs").asLong() +
            " ms; report " + file;
    }
}
