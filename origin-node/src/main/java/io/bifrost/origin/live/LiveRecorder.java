package io.bifrost.origin.live;

import io.bifrost.transcoder.packaging.Bandwidth;
import io.bifrost.transcoder.packaging.DashManifestWriter;
import io.bifrost.transcoder.packaging.MasterPlaylistWriter;
import io.bifrost.transcoder.packaging.MediaSegment;
import io.bifrost.transcoder.packaging.PackagedAudio;
import io.bifrost.transcoder.packaging.PackagedVideo;
import io.bifrost.transcoder.probe.FrameRate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a live session as a VOD title once it ends (the recording / DVR policy of issue #6): every complete segment
 * is written to a title folder as it completes ({@code {rendition}/{n}.m4s} numbered from 0, {@code init.mp4}), and at
 * the end the VOD media playlists, master playlist and static MPD (the VOD packager's own writers, with bit rates
 * measured on the recorded segments) are written and the folder is handed to the publisher (the catalog's
 * {@code TitlePublisher}: store import, status published). The title id is {@code {streamId}-{epoch}} (the stream id
 * cut to 50 characters). At most {@code maxSegments} segments per rendition are kept; later ones are not recorded.
 *
 * <p>Files are written on the recorder's own thread, so the packager's lock is held only to queue a write. A session
 * that never completed a segment is not published. A crash leaves a partial folder under the recordings directory,
 * which is not served.
 */
public final class LiveRecorder implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LiveRecorder.class);
    /** Longest stream id prefix in a recording's title id, so {@code {prefix}-{epoch}} fits 64 characters. */
    static final int MAX_STREAM_PREFIX = 50;

    /**
     * Where a finished recording goes.
     */
    @FunctionalInterface
    public interface Publisher
    {
        /**
         * @param videoId  the title id.
         * @param titleDir the complete title folder (the publisher may move or delete it).
         */
        void publish(String videoId, Path titleDir);
    }

    private final Path recordings;
    private final Publisher publisher;
    private final int maxSegments;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "bifrost-live-recorder");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<PackagerSession, Recording> recordingsBySession = new IdentityHashMap<>();

    /**
     * @param recordings  folder the title folders are written in while sessions run.
     * @param publisher   told about every finished recording, on the recorder's thread.
     * @param maxSegments segments kept per rendition.
     */
    public LiveRecorder(final Path recordings, final Publisher publisher, final int maxSegments)
    {
        this.recordings = recordings.toAbsolutePath();
        this.publisher = publisher;
        this.maxSegments = maxSegments;
    }

    /** A segment completed. Under the stream lock. */
    synchronized void onSegment(final PackagerSession session, final RenditionWindow window, final LiveSegment segment)
    {
        final Recording recording = recordingsBySession.computeIfAbsent(session, Recording::new);
        final List<MediaSegment> segments = recording.segments.computeIfAbsent(window, w -> new ArrayList<>());
        if (segments.size() >= maxSegments)
        {
            return;
        }
        final int number = segments.size();
        final String name = number + ".m4s";
        segments.add(new MediaSegment(name, segment.durationUs / 1e6, segment.bytes.length));
        final Path folder = recording.dir.resolve(window.track.rendition());
        final byte[] init = number == 0 ? window.init().bytes() : null;
        final byte[] bytes = segment.bytes;
        recording.pending = true;
        writer.execute(() -> write(folder, init, name, bytes));
    }

    /** The session ended. Under the stream lock. */
    synchronized void onEnd(final PackagerSession session)
    {
        final Recording recording = recordingsBySession.remove(session);
        if (recording == null || !recording.pending)
        {
            return;
        }
        final List<PackagedVideo> video = new ArrayList<>();
        final List<PackagedAudio> audio = new ArrayList<>();
        double duration = 0;
        int targetSeconds = 1;
        for (final RenditionWindow window : session.renditions.values())
        {
            final List<MediaSegment> segments = recording.segments.get(window);
            if (segments == null || segments.isEmpty())
            {
                continue;
            }
            final InitSegment init = window.init();
            final LiveTrack track = window.track;
            if (track.kind() == TrackKind.AUDIO)
            {
                audio.add(new PackagedAudio(track.rendition(), "audio", init.codec(), Math.max(1, init.sampleRateHz()),
                    Math.max(1, init.channels()), Bandwidth.of(segments), segments));
            }
            else
            {
                final FrameRate rate = track.frameRate() > 0 ?
                    FrameRate.parseOrNull(Math.round(track.frameRate() * 1001) + "/1001") : null;
                video.add(new PackagedVideo(track.rendition(), init.codec(), Math.max(1, track.width()),
                    Math.max(1, track.height()), rate != null ? rate : FrameRate.of(30), Bandwidth.of(segments),
                    segments, null));
            }
            double total = 0;
            for (final MediaSegment segment : segments)
            {
                total += segment.durationSeconds();
                targetSeconds = Math.max(targetSeconds, (int)Math.round(segment.durationSeconds()));
            }
            duration = Math.max(duration, total);
        }
        if (video.isEmpty())
        {
            return;
        }
        final List<PackagedVideo> withAudio = new ArrayList<>();
        for (final PackagedVideo rendition : video)
        {
            withAudio.add(new PackagedVideo(rendition.name(), rendition.codecs(), rendition.width(),
                rendition.height(), rendition.frameRate(), rendition.bandwidth(), rendition.segments(),
                audio.isEmpty() ? null : "audio"));
        }
        final String master = MasterPlaylistWriter.write(withAudio, audio, "index.m3u8");
        final String mpd = DashManifestWriter.write(withAudio, audio, duration,
            (int)Math.max(1, session.packager.segmentTargetUs / 1_000_000), "init.mp4", 0);
        final Map<String, String> playlists = new java.util.LinkedHashMap<>();
        final int target = targetSeconds;
        withAudio.forEach(rendition -> playlists.put(rendition.name(), mediaPlaylist(rendition.segments(), target)));
        audio.forEach(rendition -> playlists.put(rendition.name(), mediaPlaylist(rendition.segments(), target)));
        final Path dir = recording.dir;
        final String videoId = recording.videoId;
        writer.execute(() ->
        {
            try
            {
                for (final Map.Entry<String, String> playlist : playlists.entrySet())
                {
                    Files.writeString(dir.resolve(playlist.getKey()).resolve("index.m3u8"), playlist.getValue(),
                        StandardCharsets.UTF_8);
                }
                Files.writeString(dir.resolve("master.m3u8"), master, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("manifest.mpd"), mpd, StandardCharsets.UTF_8);
                publisher.publish(videoId, dir);
                LOG.info("live {}: recorded as VOD title {}", session.streamId, videoId);
            }
            catch (final IOException | RuntimeException ex)
            {
                LOG.error("live {}: recording {} could not be published: {}", session.streamId, videoId,
                    ex.toString());
            }
        });
    }

    /**
     * Finishes the queued writes (up to 30 s) and stops the writer thread.
     */
    @Override
    public void close()
    {
        writer.shutdown();
        try
        {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param streamId a stream id.
     * @param epoch    its session epoch.
     * @return the VOD title id of the session's recording.
     */
    public static String videoId(final String streamId, final long epoch)
    {
        return streamId.substring(0, Math.min(streamId.length(), MAX_STREAM_PREFIX)) + "-" + epoch;
    }

    private static String mediaPlaylist(final List<MediaSegment> segments, final int targetSeconds)
    {
        final StringBuilder out = new StringBuilder(64 + segments.size() * 32);
        out.append("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:").append(targetSeconds)
            .append("\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n")
            .append("#EXT-X-MAP:URI=\"init.mp4\"\n");
        for (final MediaSegment segment : segments)
        {
            out.append("#EXTINF:").append(String.format(Locale.ROOT, "%.5f", segment.durationSeconds())).append(",\n")
                .append(segment.uri()).append('\n');
        }
        return out.append("#EXT-X-ENDLIST\n").toString();
    }

    private static void write(final Path folder, final byte[] init, final String name, final byte[] bytes)
    {
        try
        {
            Files.createDirectories(folder);
            if (init != null)
            {
                Files.write(folder.resolve("init.mp4"), init);
            }
            Files.write(folder.resolve(name), bytes);
        }
        catch (final IOException ex)
        {
            LOG.error("live recording: cannot write {}/{}: {}", folder, name, ex.toString());
            throw new UncheckedIOException(ex);
        }
    }

    /** One session's recording in progress. */
    private final class Recording
    {
        final String videoId;
        final Path dir;
        final Map<RenditionWindow, List<MediaSegment>> segments = new IdentityHashMap<>();
        boolean pending;

        Recording(final PackagerSession session)
        {
            this.videoId = videoId(session.streamId, session.epoch);
            this.dir = recordings.resolve(videoId);
        }
    }
}
