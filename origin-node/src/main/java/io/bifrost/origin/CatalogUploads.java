package io.bifrost.origin;

import io.bifrost.origin.catalog.CatalogException;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoMetadata;
import io.bifrost.origin.upload.TusUploads;
import io.bifrost.origin.upload.UploadContext;
import io.bifrost.origin.upload.UploadListener;
import io.bifrost.origin.upload.UploadMetadata;
import io.netty.channel.ChannelHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tus upload service connected to the video catalog: a created upload is a video in {@code uploading}, a
 * completed and validated one moves to {@code processing} with its transcode job appended, a terminated one becomes a
 * tombstone and a refused one is {@code failed} with the refusal's code. This is what {@link OriginNode.Context#uploads}
 * takes in production ({@link #hook(UploadContext)}); the handler factory it returns is closed after the HTTP server.
 *
 * <p>The upload service delivers completions and refusals at least once, so every call here is idempotent per video
 * id: a completion for a video that already left {@code uploading} (processing, published, deleted) is a repeat and is
 * ignored. Deleting a video through the catalog also discards its upload (record and bytes), finished or not, so a
 * client resuming it gets 404. Calls arrive on the upload service's one listener thread, never an event loop.
 */
public final class CatalogUploads implements UploadListener, Supplier<ChannelHandler>, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CatalogUploads.class);

    private final VideoCatalog catalog;
    private final TusUploads uploads;

    private CatalogUploads(final VideoCatalog catalog, final UploadContext context) throws IOException
    {
        this.catalog = catalog;
        this.uploads = TusUploads.launch(context.listener(this));
        catalog.onDeleted(this::forgetUpload);
    }

    /**
     * @param context upload settings (data directory, limits, ffprobe); its listener is set here.
     * @return the hook for {@link OriginNode.Context#uploads}: launches the upload service once the catalog exists.
     */
    public static Function<VideoCatalog, Supplier<ChannelHandler>> hook(final UploadContext context)
    {
        return catalog ->
        {
            try
            {
                return new CatalogUploads(catalog, context);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("origin cannot open its uploads directory " + context.uploadsDir() +
                    ": " + ex.getMessage(), ex);
            }
        };
    }

    @Override
    public ChannelHandler get()
    {
        return uploads.newHandler();
    }

    @Override
    public void onCreated(final String videoId, final UploadMetadata metadata)
    {
        try
        {
            catalog.create(videoId, metadataOf(metadata));
        }
        catch (final CatalogException ex)
        {
            if (ex.kind() != CatalogException.Kind.CONFLICT)
            {
                throw ex;
            }
            LOG.debug("upload for video {} announced again: {}", videoId, ex.getMessage());
        }
    }

    @Override
    public void onCompleted(final String videoId, final Path sourceFile, final UploadMetadata metadata)
    {
        try
        {
            catalog.uploadCompleted(videoId, sourceFile, null);
        }
        catch (final CatalogException ex)
        {
            if (ex.kind() != CatalogException.Kind.CONFLICT && ex.kind() != CatalogException.Kind.GONE)
            {
                throw ex;
            }
            // Deleted mid-upload, or a repeat after a crash: nothing to transcode, and the upload's own record and
            // file can go (else the service would offer the completion again on every housekeeping pass).
            LOG.info("completed upload of video {} not handed to transcoding: {}", videoId, ex.getMessage());
            discard(videoId);
        }
    }

    @Override
    public void onTerminated(final String videoId)
    {
        catalog.uploadTerminated(videoId);
    }

    @Override
    public void onRejected(final String videoId, final String code, final String message)
    {
        catalog.markFailed(videoId, code, message);
    }

    private void discard(final String videoId)
    {
        try
        {
            uploads.discard(videoId);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot discard the upload of video " + videoId, ex);
        }
    }

    private void forgetUpload(final String videoId)
    {
        try
        {
            if (uploads.discard(videoId))
            {
                LOG.info("video {} deleted: its upload and bytes are discarded", videoId);
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("video {} deleted but its upload files could not be removed: {}", videoId, ex.getMessage());
        }
    }

    @Override
    public void close()
    {
        uploads.close();
    }

    private static VideoMetadata metadataOf(final UploadMetadata metadata)
    {
        return new VideoMetadata(metadata.title(), metadata.description(), metadata.tags(), metadata.visibility(),
            metadata.get("language"), VideoMetadata.seconds(metadata.get("thumbnail_timestamp")),
            metadata.get("protection"));
    }
}
