package io.bifrost.transcoder.job;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentScope;
import io.bifrost.transcoder.encode.LadderEncoder;
import io.bifrost.transcoder.encode.LadderEncoding;
import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.packaging.VodPackager;
import io.bifrost.transcoder.probe.MediaProber;
import io.bifrost.transcoder.protection.TitleProtection;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.bifrost.transcoder.thumbnail.ThumbnailGenerator;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.bifrost.transcoder.thumbnail.ThumbnailPlan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The whole VOD transcode of one upload: probe and validate, plan the ladder, encode it with one ffmpeg run, make
 * thumbnails, write the master playlist and MPD, then publish.
 * <p>
 * Publication is atomic, durable and idempotent, keyed by video id: everything is written into
 * {@code {outputRoot}/{videoId}.partial/}, and only a complete title is flushed to disk (every file and folder) and
 * renamed (one atomic directory rename, itself flushed) to {@code {outputRoot}/{videoId}/}. So a title folder that
 * exists is complete; a job replayed for it is skipped; a {@code .partial} folder left by a crash is deleted and the
 * job redone from scratch; a refused or failed job deletes its own {@code .partial} folder. Thread-safe for different
 * video ids; one video id must not be transcoded by two threads at once.
 */
public final class VodTranscoder
{
    /** Suffix of the work folder of a title being transcoded. */
    public static final String PARTIAL_SUFFIX = ".partial";
    /** Sub-folder of a title holding poster, sprite, VTT and preview. */
    public static final String THUMBNAILS = "thumbnails";

    /** The outcome of one job. */
    public enum Outcome
    {
        /** Transcoded and published now. */
        PUBLISHED,
        /** Already published earlier; nothing was done. */
        ALREADY_PUBLISHED
    }

    private final MediaProber prober;
    private final LadderEncoding encoder;
    private final ThumbnailGenerator thumbnails;
    private final SourceLimits limits;

    /**
     * @param ffmpeg  the ffmpeg executable.
     * @param ffprobe the ffprobe executable.
     * @param limits  what sources are accepted.
     */
    public VodTranscoder(final Path ffmpeg, final Path ffprobe, final SourceLimits limits)
    {
        this(ffmpeg, ffprobe, limits, new LadderEncoder(ffmpeg, LadderEncoder.DEFAULT_MIN_TIMEOUT,
            LadderEncoder.DEFAULT_TIMEOUT_FACTOR));
    }

    /**
     * @param ffmpeg  the ffmpeg executable.
     * @param ffprobe the ffprobe executable.
     * @param limits  what sources are accepted.
     * @param encoder how the ladder is encoded (the backend's: {@code BackendSelection.ladderEncoding}).
     */
    public VodTranscoder(final Path ffmpeg, final Path ffprobe, final SourceLimits limits,
        final LadderEncoding encoder)
    {
        this.prober = new MediaProber(ffprobe, Duration.ofSeconds(30));
        this.encoder = encoder;
        this.thumbnails = new ThumbnailGenerator(ffmpeg, Duration.ofSeconds(30), 5.0);
        this.limits = limits;
    }

    /**
     * @param videoId    the title id ({@code [A-Za-z0-9_-]{1,64}}, checked).
     * @param source     the uploaded file.
     * @param outputRoot the folder that holds one folder per title.
     * @param ladder     ladder options.
     * @param thumbs     thumbnail options.
     * @param listener   encode progress.
     * @return what happened.
     * @throws SourceRejectedException when the upload is not acceptable video.
     * @throws TranscodeException      when ffmpeg/ffprobe fail, or the output cannot be written.
     */
    public Outcome transcode(final String videoId, final Path source, final Path outputRoot,
        final LadderOptions ladder, final ThumbnailOptions thumbs, final ProgressListener listener)
        throws SourceRejectedException, TranscodeException
    {
        return transcode(videoId, source, outputRoot, ladder, thumbs, listener, TitleProtection.NONE);
    }

    /**
     * @param videoId    the title id ({@code [A-Za-z0-9_-]{1,64}}, checked).
     * @param source     the uploaded file.
     * @param outputRoot the folder that holds one folder per title.
     * @param ladder     ladder options.
     * @param thumbs     thumbnail options.
     * @param listener   encode progress.
     * @param protection how the title's media is encrypted ({@link TitleProtection#NONE}: clear).
     * @return what happened.
     * @throws SourceRejectedException when the upload is not acceptable video.
     * @throws TranscodeException      when ffmpeg/ffprobe fail, or the output cannot be written or encrypted.
     */
    public Outcome transcode(final String videoId, final Path source, final Path outputRoot,
        final LadderOptions ladder, final ThumbnailOptions thumbs, final ProgressListener listener,
        final TitleProtection protection)
        throws SourceRejectedException, TranscodeException
    {
        ContentKey.masterPlaylist(ContentScope.VOD, videoId);
        final Path publishedDir = outputRoot.resolve(videoId);
        if (Files.isDirectory(publishedDir))
        {
            return Outcome.ALREADY_PUBLISHED;
        }
        final Path partial = outputRoot.resolve(videoId + PARTIAL_SUFFIX);
        try
        {
            deleteRecursively(partial);
            Files.createDirectories(partial);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot prepare " + partial + ": " + ex.getMessage(), ex);
        }

        boolean published = false;
        try
        {
            final SourceInfo info = prober.probeAndValidate(source, limits);
            final LadderPlan plan = LadderPlanner.plan(info, ladder);
            for (final VideoRendition rendition : plan.video())
            {
                ContentKey.mediaPlaylist(ContentScope.VOD, videoId, rendition.name());
            }
            final Path thumbnailFolder = partial.resolve(THUMBNAILS);
            final ThumbnailPlan stills = ThumbnailPlan.of(info.durationSeconds(), thumbs);
            if (encoder.encodeWithStills(source, plan, partial, listener, stills, thumbnailFolder))
            {
                thumbnails.generatePreview(source, stills, thumbnailFolder);
            }
            else
            {
                thumbnails.generate(source, info.durationSeconds(), thumbs, thumbnailFolder);
            }
            try
            {
                VodPackager.packageTitle(plan, partial, protection);
                publish(partial, publishedDir);
                published = true;
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                throw new TranscodeException("packaging " + videoId + " failed: " + ex.getMessage(), ex);
            }
        }
        finally
        {
            if (!published)
            {
                deleteQuietly(partial);
            }
        }
        return Outcome.PUBLISHED;
    }

    /** Flush every file and folder of the title to disk, rename it into place, then flush the rename. */
    private static void publish(final Path partial, final Path published) throws IOException
    {
        try (Stream<Path> paths = Files.walk(partial))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                force(path);
            }
        }
        try
        {
            Files.move(partial, published, StandardCopyOption.ATOMIC_MOVE);
            force(published.getParent());
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            throw new IOException("the output folder does not support atomic renames: " + ex.getMessage(), ex);
        }
    }

    private static void force(final Path path) throws IOException
    {
        // on Linux a directory opened for reading can be fsync'ed, which makes its entries (and a rename) durable
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void deleteQuietly(final Path root)
    {
        try
        {
            deleteRecursively(root);
        }
        catch (final IOException ignore)
        {
            // a leftover .partial folder is deleted by the next attempt of the same job
        }
    }

    /**
     * Delete a folder tree if it exists (a half-written title).
     *
     * @param root the folder.
     * @throws IOException when something cannot be deleted.
     */
    static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException
            {
                if (failure != null)
                {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
