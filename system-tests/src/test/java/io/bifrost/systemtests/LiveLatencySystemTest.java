package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live headline through one real {@code bifrost all} process: ffmpeg publishes RTMP (wall clock burned into the
 * picture), the origin transcodes and packages LL-HLS, parts travel to the edge over Aeron, and a client that follows
 * the edge's playlist with blocking reloads (as hls.js does) measures when each part becomes fetchable at the edge.
 *
 * <p>Two latencies are reported per part (no timing is asserted; the numbers go to BENCHMARKS.md):
 * <ul>
 *   <li>capture to fetchable: the part's first frame was sent by the publisher at {@code publishStart + mediaTime}
 *   ({@code -re} paces input in real time; the publisher's start-up makes this an over-estimate);</li>
 *   <li>PDT to fetchable: against the part's EXT-X-PROGRAM-DATE-TIME, the origin's capture clock (the earliest
 *   arrival relative to media time over the first 5 s of frames, corrected from the next segment when it improves):
 *   no part can be fetched before it once the clock has settled; before that, a publisher whose first frames all
 *   came late (a loaded machine starting ffmpeg) leaves the first segments' PDT late by that lag.</li>
 * </ul>
 * Measured over {@code -Dbifrost.live.measure-seconds} (30 by default; 60 for BENCHMARKS.md) in
 * {@code -Dbifrost.live.mode} ({@code transcode} by default, or {@code passthrough}).
 * Then every rendition is decoded by ffmpeg through the edge, and a second publish (publisher restart) starts a new
 * epoch that plays again.
 */
class LiveLatencySystemTest
{
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final Pattern STREAM_INF = Pattern.compile("(?m)^#EXT-X-STREAM-INF:.*\\R([^#\\s][^\\r\\n]*)");
    private static final Pattern PART = Pattern.compile(
        "#EXT-X-PART:DURATION=([0-9.]+),URI=\"([0-9]+)-([0-9]+)\\.([0-9]+)\\.m4s\"");
    private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");
    private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:([0-9]+)");
    /**
     * Segments from the first one a client sees until the origin's capture clock has settled: the clock keeps
     * learning over 5 s of media and a correction applies from the next segment opened (2 s segments).
     */
    private static final int CLOCK_SETTLING_SEGMENTS = 4;
    private static final Pattern SEGMENT_URI = Pattern.compile("^([0-9]+)-([0-9]+)\\.m4s$");
    private static final Pattern PRELOAD = Pattern.compile(
        "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([0-9]+)-([0-9]+)\\.([0-9]+)\\.m4s\"");
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bifrost.live.measure-seconds", 30));
    /** {@code transcode} (the default) or {@code passthrough}: what the origin does with the published stream. */
    private static final String MODE = System.getProperty("bifrost.live.mode", "transcode");

    @TempDir
    Path dataDir;

    @Test
    void shouldServeLowLatencyPartsFromTheEdgeAndRecoverFromAPublisherRestart() throws Exception
    {
        ExternalTools.requireFfmpeg();
        final int controlPort = ExternalTools.freePort();
        final int rtmpPort = ExternalTools.freePort();
        final int edgePort = ExternalTools.freePort();
        try (BifrostProcess bifrost = LiveAllInOne.start(dataDir, controlPort, rtmpPort, edgePort,
            "--origin.live-mode", MODE);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build())
        {
            bifrost.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
            final String control = "http://127.0.0.1:" + controlPort;
            final JsonNode stream = LiveHttp.createStream(http, control, "Live latency");
            final String streamId = stream.get("stream_id").asText();
            final String key = stream.get("stream_key").asText();
            final String edge = "http://127.0.0.1:" + edgePort + "/live/" + streamId + "/";

            final long publishStartMs = System.currentTimeMillis();
            final Process publisher = publish(rtmpPort, key, MEASURE.plusSeconds(60));
            try
            {
                final String master = LiveHttp.awaitOk(http, edge + "master.m3u8", Duration.ofSeconds(30)).body();
                final List<String> renditions = renditionsOf(master);
                assertThat(renditions).as(master).isNotEmpty();
                final String media = renditions.get(0);

                final Latencies latencies = follow(http, edge + media, publishStartMs, MEASURE);
                System.out.println(MODE + ": " + latencies.report());
                assertThat(latencies.parts()).as("parts fetched at the edge in " + MEASURE.toSeconds() + " s")
                    .isGreaterThan((int)(MEASURE.toSeconds()));
                assertThat(latencies.failed()).as("parts advertised but not served").isZero();
                assertThat(latencies.settledFromPdtMs).as("parts after the capture clock settled").isNotEmpty();
                assertThat(latencies.earliestSettledFromPdtMs()).as("EXT-X-PROGRAM-DATE-TIME is the capture time: "
                    + "once the capture clock has settled, no part can be fetched before its first frame was captured")
                    .isGreaterThanOrEqualTo(-50);

                for (final String rendition : renditions)
                {
                    final ExternalTools.Result decoded = ExternalTools.run(Duration.ofSeconds(60), List.of(
                        ExternalTools.FFMPEG.toString(), "-v", "error", "-live_start_index", "-3", "-i",
                        edge + rendition, "-t", "3", "-f", "null", "-"));
                    assertThat(decoded.exitCode()).as(rendition + ": " + decoded.output()).isZero();
                }
            }
            finally
            {
                publisher.destroy();
                publisher.waitFor();
            }

            final String firstEpoch = epochOf(http, edge + renditionsOf(
                LiveHttp.awaitOk(http, edge + "master.m3u8", Duration.ofSeconds(5)).body()).get(0));
            final Process again = publish(rtmpPort, key, Duration.ofSeconds(30));
            try
            {
                final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                String epoch = firstEpoch;
                // An ended playlist carries no preload hint (epoch ""): wait for the new session's live playlist.
                while ((epoch.isEmpty() || epoch.equals(firstEpoch)) && System.nanoTime() < deadline)
                {
                    Thread.sleep(250);
                    final HttpResponse<String> masterAgain = http.send(HttpRequest.newBuilder(URI.create(
                        edge + "master.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
                    if (masterAgain.statusCode() == 200 && !renditionsOf(masterAgain.body()).isEmpty())
                    {
                        epoch = epochOf(http, edge + renditionsOf(masterAgain.body()).get(0));
                    }
                }
                assertThat(epoch).as("a restarted publisher starts a new epoch").isNotEmpty().isNotEqualTo(firstEpoch);
                final Latencies resumed = follow(http, edge + renditionsOf(LiveHttp.awaitOk(http, edge + "master.m3u8",
                    Duration.ofSeconds(5)).body()).get(0), System.currentTimeMillis(), Duration.ofSeconds(6));
                assertThat(resumed.parts()).as("parts after the publisher restarted").isGreaterThan(3);
                assertThat(resumed.failed()).isZero();
            }
            finally
            {
                again.destroy();
                again.waitFor();
            }
            assertThat(bifrost.terminate(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private static Process publish(final int rtmpPort, final String key, final Duration length) throws IOException
    {
        return new ProcessBuilder(ExternalTools.FFMPEG.toString(), "-v", "error", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Long.toString(length.toSeconds()),
            "-vf", "drawtext=text='%{localtime\\:%T}':fontsize=48:fontcolor=white:box=1:boxcolor=black:x=20:y=20",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-c:a", "aac",
            "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + key)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Follow a media playlist as an LL-HLS client does: ask for the hinted next part with a blocking reload, then fetch
     * that part, and note when it arrived.
     */
    private static Latencies follow(final HttpClient http, final String playlistUrl, final long publishStartMs,
        final Duration length) throws Exception
    {
        final String base = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
        final Latencies latencies = new Latencies();
        String playlist = LiveHttp.awaitOk(http, playlistUrl, Duration.ofSeconds(30)).body();
        final Matcher sequence = MEDIA_SEQUENCE.matcher(playlist);
        final long settledMsn = (sequence.find() ? Long.parseLong(sequence.group(1)) : 0) + CLOCK_SETTLING_SEGMENTS;
        Instant firstPdt = null;
        final long end = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < end)
        {
            final Matcher hint = PRELOAD.matcher(playlist);
            assertThat(hint.find()).as("preload hint in\n" + playlist).isTrue();
            final long msn = Long.parseLong(hint.group(2));
            final int part = Integer.parseInt(hint.group(3));
            final HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(URI.create(base + hint.group(1) + "-" +
                msn + "." + part + ".m4s")).timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofByteArray());
            final long arrivedMs = System.currentTimeMillis();
            final HttpResponse<String> reload = http.send(HttpRequest.newBuilder(URI.create(playlistUrl + "?_HLS_msn=" +
                msn + "&_HLS_part=" + part)).timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            playlist = reload.body();
            if (body.statusCode() != 200 || body.body().length == 0)
            {
                latencies.failed++;
                continue;
            }
            final Instant pdt = partStart(playlist, msn, part);
            if (pdt == null)
            {
                continue;
            }
            if (firstPdt == null)
            {
                firstPdt = windowStart(playlist);
            }
            latencies.fromPdtMs.add(arrivedMs - pdt.toEpochMilli());
            if (msn >= settledMsn)
            {
                latencies.settledFromPdtMs.add(arrivedMs - pdt.toEpochMilli());
            }
            latencies.fromCaptureMs.add(arrivedMs - (publishStartMs + (pdt.toEpochMilli() - firstPdt.toEpochMilli())));
        }
        return latencies;
    }

    /**
     * The program date time of a part: the last EXT-X-PROGRAM-DATE-TIME before it, moved on by the EXTINF of every
     * segment since, plus the durations of the parts before it in its segment.
     */
    private static Instant partStart(final String playlist, final long msn, final int part)
    {
        Instant cursor = null;
        double partOffset = 0;
        double segmentSeconds = 0;
        for (final String line : playlist.split("\\R"))
        {
            final Matcher pdt = PDT.matcher(line);
            if (pdt.matches())
            {
                cursor = Instant.parse(pdt.group(1).replace("+00:00", "Z"));
                continue;
            }
            final Matcher partLine = PART.matcher(line);
            if (partLine.find())
            {
                if (Long.parseLong(partLine.group(3)) == msn && Integer.parseInt(partLine.group(4)) == part)
                {
                    return cursor == null ? null : cursor.plusNanos((long)(partOffset * 1e9));
                }
                partOffset += Double.parseDouble(partLine.group(1));
                continue;
            }
            if (line.startsWith("#EXTINF:"))
            {
                segmentSeconds = Double.parseDouble(line.substring(8, line.indexOf(',') < 0 ? line.length() :
                    line.indexOf(',')));
                continue;
            }
            if (SEGMENT_URI.matcher(line).matches())
            {
                cursor = cursor == null ? null : cursor.plusNanos((long)(segmentSeconds * 1e9));
                partOffset = 0;
            }
        }
        return null;
    }

    private static Instant windowStart(final String playlist)
    {
        final Matcher pdt = PDT.matcher(playlist);
        return pdt.find() ? Instant.parse(pdt.group(1).replace("+00:00", "Z")) : null;
    }

    private static String epochOf(final HttpClient http, final String playlistUrl) throws Exception
    {
        final Matcher hint = PRELOAD.matcher(LiveHttp.awaitOk(http, playlistUrl, Duration.ofSeconds(10)).body());
        return hint.find() ? hint.group(1) : "";
    }

    private static List<String> renditionsOf(final String master)
    {
        final List<String> renditions = new ArrayList<>();
        final Matcher matcher = STREAM_INF.matcher(master);
        while (matcher.find())
        {
            renditions.add(matcher.group(1).strip());
        }
        return renditions;
    }

    private static final class Latencies
    {
        private final List<Long> fromCaptureMs = new ArrayList<>();
        private final List<Long> fromPdtMs = new ArrayList<>();
        private final List<Long> settledFromPdtMs = new ArrayList<>();
        private int failed;

        int parts()
        {
            return fromPdtMs.size();
        }

        int failed()
        {
            return failed;
        }

        long earliestSettledFromPdtMs()
        {
            return settledFromPdtMs.stream().mapToLong(Long::longValue).min().orElse(0);
        }

        String report()
        {
            return String.format(Locale.ROOT, "live availability at the edge over %d parts: capture->fetchable p50 %d ms"
                + " p99 %d ms; PDT->fetchable p50 %d ms p99 %d ms, earliest %d ms (%d ms once the capture clock "
                + "settled)", parts(), percentile(fromCaptureMs, 50), percentile(fromCaptureMs, 99),
                percentile(fromPdtMs, 50), percentile(fromPdtMs, 99), percentile(fromPdtMs, 0),
                earliestSettledFromPdtMs());
        }

        private static long percentile(final List<Long> values, final int percent)
        {
            if (values.isEmpty())
            {
                return -1;
            }
            final List<Long> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1,
                (int)Math.ceil(percent / 100.0 * sorted.size()) - 1)));
        }
    }
}
