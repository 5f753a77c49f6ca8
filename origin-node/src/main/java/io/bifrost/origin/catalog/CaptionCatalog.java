package io.bifrost.origin.catalog;

import io.bifrost.origin.store.OriginStore;
import io.bifrost.origin.store.StoredObject;
import io.bifrost.origin.store.TitleLayout;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;
import io.bifrost.protocol.naming.ContentScope;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Subtitles of published videos: each language is stored as {@code /vod/{id}/sub-{lang}/subtitles.vtt} with a
 * one-segment media playlist {@code /vod/{id}/sub-{lang}/index.m3u8}, and listed in the title's master playlist and MPD
 * ({@link CaptionManifests}, re-rendered from the transcoder's base copies). Every change is one synced batch with
 * the catalog record. Thread-safe (uses the catalog's per-video lock).
 */
public final class CaptionCatalog
{
    private final VideoCatalog catalog;
    private final OriginStore store;

    /**
     * @param catalog the catalog.
     * @param store   its store.
     */
    public CaptionCatalog(final VideoCatalog catalog, final OriginStore store)
    {
        this.catalog = catalog;
        this.store = store;
    }

    /**
     * Add or replace the subtitles of one language of a published video, and list them in its master playlist and
     * MPD (one synced batch).
     *
     * @param videoId  the id.
     * @param language a BCP-47-like tag.
     * @param body     UTF-8 WebVTT.
     * @return the updated record.
     * @throws CatalogException when the input is invalid, or the video unknown or not published.
     */
    public VideoRecord putCaption(final String videoId, final String language, final byte[] body)
    {
        final String languageProblem = CaptionTrack.languageProblem(language);
        if (languageProblem != null)
        {
            throw new CatalogException(CatalogException.Kind.INVALID, "caption.language", languageProblem);
        }
        final String bodyProblem = CaptionTrack.bodyProblem(body);
        if (bodyProblem != null)
        {
            throw new CatalogException(CatalogException.Kind.INVALID, "caption.body", bodyProblem);
        }
        synchronized (catalog.lockOf(videoId))
        {
            final VideoRecord record = requirePublished(videoId);
            final VideoRecord updated = record.withCaption(language, catalog.now());
            final String rendition = CaptionTrack.rendition(language);
            final long nowMs = catalog.clock().millis();
            try (OriginStore.Batch batch = store.batch())
            {
                batch.putObject(ContentKey.renditionFile(ContentScope.VOD, videoId, rendition, ContentKind.SUBTITLES)
                    .path(), body, nowMs);
                batch.putObject(ContentKey.mediaPlaylist(ContentScope.VOD, videoId, rendition).path(),
                    CaptionManifests.subtitlePlaylist(record.durationSeconds()).getBytes(StandardCharsets.UTF_8),
                    nowMs);
                writeManifests(batch, videoId, updated.captions(), nowMs);
                batch.putMetadata(VideoCatalog.RECORD_PREFIX + videoId, catalog.encode(updated)).commit();
            }
            return updated;
        }
    }

    /**
     * @param videoId  the id.
     * @param language the language tag.
     * @return true when the caption existed and was removed.
     * @throws CatalogException when the video is unknown or not published.
     */
    public boolean deleteCaption(final String videoId, final String language)
    {
        synchronized (catalog.lockOf(videoId))
        {
            final VideoRecord record = requirePublished(videoId);
            if (!record.captions().contains(language))
            {
                return false;
            }
            final VideoRecord updated = record.withoutCaption(language, catalog.now());
            final String rendition = CaptionTrack.rendition(language);
            try (OriginStore.Batch batch = store.batch())
            {
                batch.deleteObject(ContentKey.renditionFile(ContentScope.VOD, videoId, rendition, ContentKind.SUBTITLES)
                    .path());
                batch.deleteObject(ContentKey.mediaPlaylist(ContentScope.VOD, videoId, rendition).path());
                writeManifests(batch, videoId, updated.captions(), catalog.clock().millis());
                batch.putMetadata(VideoCatalog.RECORD_PREFIX + videoId, catalog.encode(updated)).commit();
            }
            return true;
        }
    }

    private void writeManifests(final OriginStore.Batch batch, final String videoId, final List<String> captions,
        final long nowMs)
    {
        final ContentKey master = ContentKey.masterPlaylist(ContentScope.VOD, videoId);
        final ContentKey mpd = ContentKey.mpd(ContentScope.VOD, videoId);
        batch.putObject(master.path(), CaptionManifests.hlsMaster(baseText(master), captions)
            .getBytes(StandardCharsets.UTF_8), nowMs);
        batch.putObject(mpd.path(), CaptionManifests.mpd(baseText(mpd), captions).getBytes(StandardCharsets.UTF_8),
            nowMs);
    }

    private String baseText(final ContentKey key)
    {
        final StoredObject base = store.getObject(TitleLayout.basePath(key));
        if (base == null)
        {
            throw new IllegalStateException("the store lacks the base copy of " + key.path());
        }
        return new String(base.payload(), StandardCharsets.UTF_8);
    }

    private VideoRecord requirePublished(final String videoId)
    {
        final VideoRecord record = catalog.find(videoId);
        if (record == null)
        {
            throw new CatalogException(CatalogException.Kind.NOT_FOUND, "video.not_found", "no video " + videoId);
        }
        if (record.status() != VideoStatus.PUBLISHED)
        {
            throw new CatalogException(CatalogException.Kind.CONFLICT, "video.not_published", "video " + videoId +
                " is " + record.status().apiName() + "; captions can be added once it is published");
        }
        return record;
    }
}
