package io.bifrost.origin.catalog;

import io.bifrost.origin.store.OriginStore;
import io.bifrost.origin.store.TitleImport;
import io.bifrost.origin.store.TitleLayout;
import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.job.TranscodeJobAgent;
import io.bifrost.transcoder.packaging.MediaPlaylistParser;
import io.bifrost.transcoder.packaging.MediaSegment;
import io.bifrost.transcoder.packaging.VodPackager;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.thumbnail.ThumbnailCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The job side of the catalog: turns a published title folder into a published video (store import and status in
 * one synced batch, then the folder is deleted), and finishes what a crash interrupted when a replayed job is skipped.
 * Thread-safe (uses the catalog's per-video lock); blocks on disk.
 */
public final class TitlePublisher
{
    private static final Logger LOG = LoggerFactory.getLogger(TitlePublisher.class);

    private final VideoCatalog catalog;
    private final OriginStore store;
    private final Path outputRoot;

    /**
     * @param catalog    the catalog.
     * @param store      its store.
     * @param outputRoot the folder the transcoder publishes title folders in.
     */
    public TitlePublisher(final VideoCatalog catalog, final OriginStore store, final Path outputRoot)
    {
        this.catalog = catalog;
        this.store = store;
        this.outputRoot = outputRoot.toAbsolutePath();
    }

    /**
     * A job published its title folder: import it into the store and mark the video published in one synced batch,
     * then delete the folder. Idempotent; a deleted video's folder is only deleted.
     *
     * @param videoId  the id.
     * @param titleDir the published folder.
     * @throws UncheckedIOException when the folder cannot be read (the video stays processing; a replay retries).
     */
    public void publish(final String videoId, final Path titleDir)
    {
        synchronized (catalog.lockOf(videoId))
        {
            final VideoRecord record = catalog.read(videoId);
            if (record != null && (record.status() == VideoStatus.DELETED || record.status() == VideoStatus.PUBLISHED))
            {
                TitleFiles.deleteQuietly(titleDir);
                return;
            }
            final VideoRecord base = record != null ? record : new VideoRecord(videoId, VideoStatus.PROCESSING,
                VideoMetadata.EMPTY, catalog.now(), catalog.now(), null, null, -1, 0, List.of(), List.of(), null,
                List.of());
            try
            {
                final String master = Files.readString(titleDir.resolve(VodPackager.MASTER_PLAYLIST),
                    StandardCharsets.UTF_8);
                final List<VideoRecord.Format> formats = MasterPlaylistReader.read(master);
                final double duration = formats.isEmpty() ? 0 : durationOf(titleDir.resolve(formats.get(0).name()));
                final VideoRecord published = base.withMetadata(base.metadata().withProtection(
                    protectionOf(titleDir).label()), catalog.now()).published(duration, formats,
                    images(titleDir.resolve(TitleLayout.THUMBNAILS)), catalog.now());
                final TitleImport.Summary summary = TitleImport.importTitle(store, videoId, titleDir,
                    Map.of(VideoCatalog.RECORD_PREFIX + videoId, catalog.encode(published)));
                if (!summary.ignoredFiles().isEmpty())
                {
                    LOG.warn("video {}: files not served: {}", videoId, summary.ignoredFiles());
                }
                catalog.settled(videoId, VideoStatus.PUBLISHED);
                TitleFiles.deleteQuietly(titleDir);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot import " + titleDir + ": " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * A replayed job was skipped by the transcoder: finish what a crash interrupted (import a published folder,
     * record a failure note).
     *
     * @param videoId the id.
     */
    public void reconcile(final String videoId)
    {
        final Path titleDir = outputRoot.resolve(videoId);
        final Path failedNote = outputRoot.resolve(videoId + TranscodeJobAgent.FAILED_SUFFIX);
        if (Files.isDirectory(titleDir))
        {
            publish(videoId, titleDir);
        }
        else if (Files.exists(failedNote) && !catalog.isSettled(videoId))
        {
            final String note = TitleFiles.readNote(failedNote);
            final int colon = note.indexOf(':');
            catalog.markFailed(videoId, colon > 0 ? note.substring(0, colon) : "transcode.failed",
                colon > 0 ? note.substring(colon + 1).strip() : note);
        }
    }

    /**
     * The protection the title was packaged with, read from what the packager wrote: an AES-128 title has no MPD, a
     * ClearKey title's MPD names the CENC scheme.
     */
    static ContentProtection protectionOf(final Path titleDir) throws IOException
    {
        final Path mpd = titleDir.resolve(VodPackager.DASH_MANIFEST);
        if (!Files.exists(mpd))
        {
            return ContentProtection.AES_128;
        }
        return Files.readString(mpd, StandardCharsets.UTF_8).contains("urn:mpeg:dash:mp4protection:2011") ?
            ContentProtection.CLEARKEY : ContentProtection.NONE;
    }

    private static double durationOf(final Path renditionDir) throws IOException
    {
        double total = 0;
        for (final MediaSegment segment : MediaPlaylistParser.parse(
            Files.readString(renditionDir.resolve(TranscodeCommand.MEDIA_PLAYLIST), StandardCharsets.UTF_8)))
        {
            total += segment.durationSeconds();
        }
        return total;
    }

    private static List<VideoRecord.Thumbnail> images(final Path thumbnails) throws IOException
    {
        final List<VideoRecord.Thumbnail> images = new ArrayList<>();
        for (final String[] image : new String[][] {{"poster", ThumbnailCommand.POSTER},
            {"sprite", ThumbnailCommand.SPRITE}})
        {
            final Path file = thumbnails.resolve(image[1]);
            final JpegSize.Size size = Files.isRegularFile(file) ? JpegSize.read(Files.readAllBytes(file)) : null;
            if (size != null)
            {
                images.add(new VideoRecord.Thumbnail(image[0], image[1], size.width(), size.height()));
            }
        }
        return images;
    }
}
