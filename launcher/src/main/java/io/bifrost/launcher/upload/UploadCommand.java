package io.bifrost.launcher.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongSupplier;

/**
 * {@code bifrost upload FILE}: sends a video to an origin over tus 1.0 (the same protocol browsers use), resuming
 * after a dropped connection from the offset the origin acknowledged, then follows the transcode until the title is
 * published, with a progress bar for each phase. Standard output gets the result (video id, playback URLs); standard
 * error gets the bars and messages.
 *
 * <p>Exit status: 0 published (or uploaded, with {@code --no-wait}), 1 the upload was refused or the transcode failed
 * (the origin's reason is printed), 2 bad arguments or an unreadable file.
 */
public final class UploadCommand
{
    private static final String TUS_VERSION = "1.0.0";
    private static final int RETRIES = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final Duration pollInterval;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param out          result output.
     * @param err          progress and messages.
     * @param terminal     true to redraw bars in place.
     * @param nanoClock    monotonic clock for rates.
     * @param pollInterval how often the transcode status is asked for.
     */
    public UploadCommand(final PrintWriter out, final PrintWriter err, final boolean terminal,
        final LongSupplier nanoClock, final Duration pollInterval)
    {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.pollInterval = pollInterval;
    }

    /**
     * What to upload and how.
     *
     * @param file       the video file.
     * @param origin     the origin's base URL, e.g. {@code http://127.0.0.1:8081}.
     * @param metadata   tus metadata (title, description, tags, visibility, language).
     * @param chunkBytes bytes per PATCH.
     * @param follow     follow the transcode until the title is published or failed.
     * @param timeout    give up following the transcode after this long.
     */
    public record Request(Path file, URI origin, Map<String, String> metadata, int chunkBytes, boolean follow,
        Duration timeout)
    {
    }

    /**
     * @param request what to upload.
     * @return the exit status.
     */
    public int run(final Request request)
    {
        if (!Files.isRegularFile(request.file()) || !Files.isReadable(request.file()))
        {
            err.println("bifrost upload: cannot read " + request.file() + ": give the path of a video file");
            return 2;
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build())
        {
            final long length = Files.size(request.file());
            if (length == 0)
            {
                err.println("bifrost upload: " + request.file() + " is empty");
                return 2;
            }
            final HttpResponse<String> created = http.send(HttpRequest.newBuilder(request.origin().resolve("/api/v1/uploads/"))
                .timeout(REQUEST_TIMEOUT)
                .header("Tus-Resumable", TUS_VERSION)
                .header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", metadataHeader(request.metadata()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201)
            {
                err.println("bifrost upload: the origin refused the upload (" + created.statusCode() + "): " +
                    created.body().strip());
                return 1;
            }
            final URI uploadUrl = request.origin().resolve(created.headers().firstValue("Location").orElseThrow(() ->
                new IOException("the origin answered 201 without a Location header")));
            final String videoId = created.headers().firstValue("Bifrost-Video-Id").orElse("");
            err.println("uploading " + request.file().getFileName() + " (" + mebibytes(length) + ") as video " + videoId);
            if (!send(http, uploadUrl, request.file(), length, request.chunkBytes()))
            {
                return 1;
            }
            out.println("video_id " + videoId);
            if (!request.follow() || videoId.isEmpty())
            {
                return 0;
            }
            return follow(http, request.origin(), videoId, request.timeout());
        }
        catch (final IOException ex)
        {
            err.println("bifrost upload: " + ex.getMessage() + " (is the origin running at " + request.origin() + "?)");
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("bifrost upload: interrupted");
            return 1;
        }
    }

    private boolean send(final HttpClient http, final URI uploadUrl, final Path file, final long length,
        final int chunkBytes) throws IOException, InterruptedException
    {
        final ProgressBar bar = new ProgressBar(err, "upload", terminal);
        final long started = nanoClock.getAsLong();
        long offset = 0;
        int failures = 0;
        final byte[] chunk = new byte[(int)Math.min(chunkBytes, length)];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            while (offset < length)
            {
                final int size = (int)Math.min(chunk.length, length - offset);
                channel.read(ByteBuffer.wrap(chunk, 0, size), offset);
                try
                {
                    final HttpResponse<String> patched = http.send(HttpRequest.newBuilder(uploadUrl)
                        .timeout(REQUEST_TIMEOUT)
                        .header("Tus-Resumable", TUS_VERSION)
                        .header("Upload-Offset", Long.toString(offset))
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk, 0, size)).build(),
                        HttpResponse.BodyHandlers.ofString());
                    if (patched.statusCode() == 204)
                    {
                        offset = Long.parseLong(patched.headers().firstValue("Upload-Offset").orElse("0"));
                        failures = 0;
                    }
                    else if (patched.statusCode() == 409)
                    {
                        offset = acknowledged(http, uploadUrl);
                    }
                    else
                    {
                        bar.finish();
                        err.println("bifrost upload: the origin refused bytes at offset " + offset + " (" +
                            patched.statusCode() + "): " + patched.body().strip());
                        return false;
                    }
                }
                catch (final IOException ex)
                {
                    if (++failures > RETRIES)
                    {
                        throw ex;
                    }
                    bar.finish();
                    err.println("connection lost at " + mebibytes(offset) + " (" + ex.getMessage() + "); resuming");
                    Thread.sleep(500L * failures);
                    offset = acknowledged(http, uploadUrl);
                }
                final double seconds = Math.max(1e-3, (nanoClock.getAsLong() - started) / 1e9);
                bar.update(100.0 * offset / length, String.format(Locale.ROOT, "%s/%s %.1f MiB/s",
                    mebibytes(offset), mebibytes(length), offset / seconds / (1 << 20)));
            }
        }
        bar.finish();
        return true;
    }

    private static long acknowledged(final HttpClient http, final URI uploadUrl) throws IOException, InterruptedException
    {
        final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uploadUrl).timeout(REQUEST_TIMEOUT)
            .header("Tus-Resumable", TUS_VERSION).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() != 200)
        {
            throw new IOException("the origin no longer knows the upload (" + head.statusCode() + ")");
        }
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElse("0"));
    }

    private int follow(final HttpClient http, final URI origin, final String videoId, final Duration timeout)
        throws IOException, InterruptedException
    {
        final ProgressBar bar = new ProgressBar(err, "transcode", terminal);
        final long deadline = nanoClock.getAsLong() + timeout.toNanos();
        String status = "";
        while (nanoClock.getAsLong() < deadline)
        {
            final HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(origin.resolve(
                "/api/v1/videos/" + videoId)).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
            final JsonNode body;
            try (InputStream in = answer.body())
            {
                body = json.readTree(in);
            }
            final JsonNode data = body.path("data");
            status = data.path("status").asText();
            switch (status)
            {
                case "published" ->
                {
                    bar.update(100, "");
                    bar.finish();
                    out.println("status published");
                    final JsonNode manifests = data.path("manifests");
                    manifests.fieldNames().forEachRemaining(name ->
                        out.println(name + " " + origin.resolve(manifests.get(name).asText())));
                    return 0;
                }
                case "failed", "deleted" ->
                {
                    bar.finish();
                    final JsonNode error = data.path("error");
                    err.println("bifrost upload: video " + videoId + " " + status +
                        (error.isMissingNode() ? "" : ": " + error.path("code").asText() + ": " + error.path("message").asText()));
                    out.println("status " + status);
                    return 1;
                }
                case "processing" ->
                {
                    final JsonNode progress = data.path("progress");
                    bar.update(progress.path("percent").asDouble(), String.format(Locale.ROOT, "%.0f fps %.2fx",
                        progress.path("fps").asDouble(), progress.path("speed").asDouble()));
                }
                default ->
                {
                    // uploading (completion still being validated): wait
                }
            }
            Thread.sleep(pollInterval.toMillis());
        }
        bar.finish();
        err.println("bifrost upload: video " + videoId + " still " + status + " after " + timeout.toSeconds() +
            " s; follow it with GET /api/v1/videos/" + videoId);
        return 1;
    }

    static String metadataHeader(final Map<String, String> metadata)
    {
        final StringJoiner header = new StringJoiner(",");
        final Map<String, String> ordered = new LinkedHashMap<>(metadata);
        ordered.forEach((key, value) -> header.add(key + " " +
            Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return header.toString();
    }

    private static String mebibytes(final long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double)(1 << 20));
    }
}
