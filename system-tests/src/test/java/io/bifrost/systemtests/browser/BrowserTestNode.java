package io.bifrost.systemtests.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.systemtests.BifrostProcess;
import io.bifrost.systemtests.FreePorts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One real {@code bifrost all} process on loopback ports for the browser suite, with what the players need from it:
 * a VOD title uploaded over tus, transcoded, published and given subtitles, and the edge URLs to play. 2 s segments,
 * so a short clip still has segments left to fetch when a test throttles the network.
 */
final class BrowserTestNode implements AutoCloseable
{
    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started");
    private static final Pattern CODECS = Pattern.compile("CODECS=\"([^\"]+)\"");
    private static final Pattern RESOLUTION = Pattern.compile("RESOLUTION=(\\d+)x(\\d+)");
    private static final Pattern BANDWIDTH = Pattern.compile("[:,]BANDWIDTH=(\\d+)");
    private static final int CHUNK_BYTES = 512 * 1024;

    private final BifrostProcess process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String origin;
    private final String edge;
    private final String control;
    private final int rtmpPort;

    private BrowserTestNode(final BifrostProcess process, final int originPort, final int edgePort,
        final int controlPort, final int rtmpPort)
    {
        this.process = process;
        this.origin = "http://127.0.0.1:" + originPort;
        this.edge = "http://127.0.0.1:" + edgePort;
        this.control = "http://127.0.0.1:" + controlPort;
        this.rtmpPort = rtmpPort;
    }

    /** Skip where ffmpeg is missing; {@code .ci/run} installs it. */
    static void assumeFfmpeg()
    {
        assumeTrue(hasFfmpeg(), "ffmpeg not installed (apt-get install ffmpeg); .ci/run installs it");
    }

    static boolean hasFfmpeg()
    {
        return Files.isExecutable(FFMPEG);
    }

    /** @return whether the browser suite can play here: Chromium, Node and the players installed, and ffmpeg. */
    static boolean canPlay(final BrowserHarness harness)
    {
        return harness.missing().isEmpty() && hasFfmpeg();
    }

    /** Skip with the reason where {@link #canPlay} is false; each test calls it, so surefire shows the reason. */
    static void assumeCanPlay(final BrowserHarness harness)
    {
        harness.assumeReady();
        assumeFfmpeg();
    }

    /** Start {@code bifrost all} in a data directory and wait until the edge serves. */
    static BrowserTestNode start(final Path dataDir) throws IOException, InterruptedException
    {
        return start(dataDir, new String[0]);
    }

    /**
     * Start {@code bifrost all} in a data directory with more options (e.g. {@code --origin.live-segment-seconds 1})
     * after the suite's own, and wait until the edge serves.
     */
    static BrowserTestNode start(final Path dataDir, final String... extraArgs) throws IOException, InterruptedException
    {
        final int[] ports = distinctFreePorts(4);
        final int originPort = ports[0];
        final int edgePort = ports[1];
        final int controlPort = ports[2];
        final int rtmpPort = ports[3];
        final List<String> args = new ArrayList<>(List.of("all", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", dataDir.toString(), "--origin.port", Integer.toString(originPort),
            "--origin.x264-preset", "ultrafast", "--origin.segment-seconds", "2",
            "--edge.port", Integer.toString(edgePort), "--edge.ram-bytes", "64m", "--edge.ssd-bytes", "0",
            "--edge.origin", "http://127.0.0.1:" + originPort, "--control.port", Integer.toString(controlPort),
            "--ingest.control-url", "http://127.0.0.1:" + controlPort, "--ingest.rtmp-port", Integer.toString(rtmpPort),
            "--ingest.srt-enabled", "false"));
        args.addAll(List.of(extraArgs));
        final BifrostProcess process = BifrostProcess.start(args.toArray(String[]::new));
        try
        {
            process.awaitLine(EDGE_STARTED, Duration.ofSeconds(90));
        }
        catch (final AssertionError | InterruptedException ex)
        {
            process.close();
            throw ex;
        }
        return new BrowserTestNode(process, originPort, edgePort, controlPort, rtmpPort);
    }

    String edge()
    {
        return edge;
    }

    /** @return the origin's HTTP base URL (live MPD and playlists, {@code /metrics}), as a CDN in front sees it. */
    String origin()
    {
        return origin;
    }

    String control()
    {
        return control;
    }

    int rtmpPort()
    {
        return rtmpPort;
    }

    BifrostProcess process()
    {
        return process;
    }

    /** Make a test-pattern clip with a tone (H.264/AAC) of the given size and length. */
    static void makeClip(final Path file, final int width, final int height, final double seconds)
        throws IOException, InterruptedException
    {
        final Process ffmpeg = new ProcessBuilder(FFMPEG.toString(), "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", "testsrc2=size=" + width + "x" + height + ":rate=25", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-t", Double.toString(seconds), "-c:v", "libx264", "-preset",
            "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file.toString()).redirectErrorStream(true)
            .start();
        final byte[] output = ffmpeg.getInputStream().readAllBytes();
        if (!ffmpeg.waitFor(2, TimeUnit.MINUTES) || ffmpeg.exitValue() != 0)
        {
            ffmpeg.destroyForcibly();
            throw new AssertionError("ffmpeg could not make the clip: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /**
     * Upload a file over tus 1.0 and wait until the origin published it.
     *
     * @return the video id.
     */
    String publish(final Path file, final String title, final Duration timeout) throws Exception
    {
        final byte[] bytes = Files.readAllBytes(file);
        final String metadata = "filename " + b64(file.getFileName().toString()) + ",title " + b64(title) +
            ",visibility " + b64("public");
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/uploads/"))
            .header("Tus-Resumable", "1.0.0").header("Upload-Length", Integer.toString(bytes.length))
            .header("Upload-Metadata", metadata).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        expect(created, 201, "tus create");
        final URI upload = URI.create(origin).resolve(created.headers().firstValue("Location").orElseThrow());
        final String videoId = created.headers().firstValue("Bifrost-Video-Id").orElseThrow();
        int offset = 0;
        while (offset < bytes.length)
        {
            final int length = Math.min(CHUNK_BYTES, bytes.length - offset);
            final HttpResponse<String> patched = http.send(HttpRequest.newBuilder(upload)
                .header("Tus-Resumable", "1.0.0").header("Upload-Offset", Integer.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, offset, length)).build(),
                HttpResponse.BodyHandlers.ofString());
            expect(patched, 204, "tus patch");
            offset = Integer.parseInt(patched.headers().firstValue("Upload-Offset").orElseThrow());
        }

        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(origin +
                "/api/v1/videos/" + videoId)).build(), HttpResponse.BodyHandlers.ofString());
            last = answer.body();
            if (answer.statusCode() == 200)
            {
                final String status = json.readTree(last).path("data").path("status").asText();
                if ("published".equals(status))
                {
                    return videoId;
                }
                if (!"uploading".equals(status) && !"processing".equals(status))
                {
                    throw new AssertionError("video " + videoId + " ended " + status + ": " + last);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not published within " + timeout + "; last answer " + last + "\n" +
            process.output());
    }

    /**
     * Make a test-pattern clip ({@link #makeClip}) in a folder, upload it over tus and wait until it is published.
     *
     * @return the video id.
     */
    String publishClip(final Path dir, final int width, final int height, final double seconds, final String title,
        final Duration timeout) throws Exception
    {
        final Path clip = dir.resolve("clip-" + height + "p.mp4");
        makeClip(clip, width, height, seconds);
        return publish(clip, title, timeout);
    }

    /** A published title's HLS master as the edge serves it, with the codecs and video variants it names. */
    record Master(String text, List<String> codecs, List<Variant> variants)
    {
    }

    /** GET a published title's HLS master from the edge (after any subtitles were added: the edge caches it). */
    Master master(final String videoId) throws Exception
    {
        final String master = get("/vod/" + videoId + "/master.m3u8");
        return new Master(master, codecsOf(master), variantsOf(master));
    }

    /** Add WebVTT subtitles to a published title (before anything fetched its manifests through the edge). */
    void addSubtitles(final String videoId, final String language, final String webVtt) throws Exception
    {
        final HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/videos/" +
            videoId + "/captions/" + language)).PUT(HttpRequest.BodyPublishers.ofString(webVtt)).build(),
            HttpResponse.BodyHandlers.ofString());
        expect(put, 200, "caption upload");
    }

    /** GET a text resource from the edge, expecting 200. */
    String get(final String pathOrUrl) throws Exception
    {
        final String url = pathOrUrl.startsWith("http") ? pathOrUrl : edge + pathOrUrl;
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        expect(answer, 200, "GET " + url);
        return answer.body();
    }

    JsonNode video(final String videoId) throws Exception
    {
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/videos/" +
            videoId)).build(), HttpResponse.BodyHandlers.ofString());
        expect(answer, 200, "video " + videoId);
        return json.readTree(answer.body()).path("data");
    }

    /** A live stream the control plane created: its id and the key a publisher uses. */
    record LiveStream(String id, String key)
    {
    }

    /** Create a public live stream on the control plane. */
    LiveStream createStream(final String title) throws Exception
    {
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(control +
            "/api/v1/streams/create")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.createObjectNode().put("title", title)
                .put("privacy", "public").toString())).build(), HttpResponse.BodyHandlers.ofString());
        expect(created, 201, "stream create");
        final JsonNode data = json.readTree(created.body()).path("data");
        return new LiveStream(data.path("stream_id").asText(), data.path("stream_key").asText());
    }

    /**
     * Start ffmpeg publishing a test pattern over RTMP in real time ({@code -re}), 1 s GOP, for a bounded time.
     *
     * @return the running publisher; the caller destroys it.
     */
    Process startPublisher(final LiveStream stream, final int seconds) throws IOException
    {
        return new ProcessBuilder(FFMPEG.toString(), "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i",
            "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t",
            Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25",
            "-c:a", "aac", "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + stream.key())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Wait until the edge answers a live master playlist.
     *
     * @return the playlist.
     */
    String awaitLive(final String path, final Duration timeout) throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline)
        {
            last = http.send(HttpRequest.newBuilder(URI.create(edge + path)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200 && last.body().contains("#EXT-X-STREAM-INF"))
            {
                return last.body();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the edge did not serve " + path + " within " + timeout + "; last answer " +
            (last == null ? "none" : last.statusCode() + " " + last.body()) + "\n" + process.output());
    }

    /** A variant of an HLS master playlist: its URI, height and BANDWIDTH. */
    record Variant(String uri, int height, long bandwidth)
    {
    }

    /** @return every codec string the master's CODECS attributes name, each once. */
    static List<String> codecsOf(final String master)
    {
        final Set<String> codecs = new LinkedHashSet<>();
        final Matcher matcher = CODECS.matcher(master);
        while (matcher.find())
        {
            codecs.addAll(List.of(matcher.group(1).split(",")));
        }
        return List.copyOf(codecs);
    }

    /** @return the master's video variants in playlist order. */
    static List<Variant> variantsOf(final String master)
    {
        final List<Variant> variants = new ArrayList<>();
        final String[] lines = master.split("\n");
        for (int i = 0; i < lines.length - 1; i++)
        {
            if (lines[i].startsWith("#EXT-X-STREAM-INF:"))
            {
                final Matcher resolution = RESOLUTION.matcher(lines[i]);
                final Matcher bandwidth = BANDWIDTH.matcher(lines[i]);
                final int height = resolution.find() ? Integer.parseInt(resolution.group(2)) : 0;
                variants.add(new Variant(lines[i + 1].strip(), height,
                    bandwidth.find() ? Long.parseLong(bandwidth.group(1)) : 0));
            }
        }
        return variants;
    }

    /** SIGTERM and wait, as an operator stops a node; the exit status. */
    int terminate() throws InterruptedException
    {
        return process.terminate(Duration.ofSeconds(30));
    }

    @Override
    public void close()
    {
        process.close();
    }

    private static void expect(final HttpResponse<String> answer, final int status, final String what)
    {
        if (answer.statusCode() != status)
        {
            throw new AssertionError(what + ": expected " + status + ", got " + answer.statusCode() + " " +
                answer.body());
        }
    }

    /**
     * Free ports that differ from each other ({@link FreePorts}: one CI run got the same port twice from consecutive
     * picks, and the edge could not bind the port the RTMP listener had taken).
     */
    private static int[] distinctFreePorts(final int count) throws IOException
    {
        final int[] ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            ports[i] = FreePorts.next();
        }
        return ports;
    }

    private static String b64(final String text)
    {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
