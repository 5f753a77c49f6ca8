package io.bifrost.origin.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * A video's catalog record as stored (JSON, Jackson) in the store's metadata column family under
 * {@code video/{videoId}}. Immutable; every change makes a new record with a new {@code updatedAt}.
 *
 * @param videoId         the id ({@code [A-Za-z0-9_-]{1,64}}).
 * @param status          lifecycle status.
 * @param metadata        what the creator said about it.
 * @param createdAt       ISO-8601 instant the record was created.
 * @param updatedAt       ISO-8601 instant of the last change.
 * @param publishedAt     ISO-8601 instant of publication, or null.
 * @param source          the original file, or null before the upload completed.
 * @param jobIndex        index of the transcode job in the job log, or -1 before it was appended.
 * @param durationSeconds presentation duration once published, else 0.
 * @param formats         renditions once published, lowest first.
 * @param captions        languages with uploaded subtitles, in upload order.
 * @param failure         why it failed, or null.
 * @param thumbnails      poster and sprite sheet with their sizes once published.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record VideoRecord(String videoId, VideoStatus status, VideoMetadata metadata, String createdAt,
    String updatedAt, String publishedAt, String source, long jobIndex, double durationSeconds, List<Format> formats,
    List<String> captions, Failure failure, List<Thumbnail> thumbnails)
{
    /**
     * @param videoId the id.
     * @param status the status.
     * @param metadata the metadata.
     * @param createdAt creation instant.
     * @param updatedAt last change instant.
     * @param publishedAt publication instant.
     * @param source original file.
     * @param jobIndex job log index.
     * @param durationSeconds duration.
     * @param formats renditions.
     * @param captions caption languages.
     * @param failure failure.
     * @param thumbnails thumbnails.
     */
    public VideoRecord
    {
        metadata = metadata == null ? VideoMetadata.EMPTY : metadata;
        formats = formats == null ? List.of() : List.copyOf(formats);
        captions = captions == null ? List.of() : List.copyOf(captions);
        thumbnails = thumbnails == null ? List.of() : List.copyOf(thumbnails);
    }

    /**
     * An image of the title as the API lists it.
     *
     * @param kind   {@code poster} or {@code sprite}.
     * @param file   file name in the title's {@code thumbnails/} folder.
     * @param width  pixels.
     * @param height pixels.
     */
    public record Thumbnail(String kind, String file, int width, int height)
    {
    }

    /**
     * One video rendition as the master playlist advertises it.
     *
     * @param name                rendition name, e.g. {@code 720p}.
     * @param width               pixels.
     * @param height              pixels.
     * @param bandwidthBps        peak bits per second (video + audio).
     * @param averageBandwidthBps mean bits per second (video + audio).
     * @param codecs              RFC 6381 codecs.
     * @param frameRate           frames per second.
     */
    public record Format(String name, int width, int height, long bandwidthBps, long averageBandwidthBps,
        String codecs, double frameRate)
    {
    }

    /**
     * Why a video failed.
     *
     * @param code    stable code, e.g. {@code source.no_video} or {@code transcode.failed}.
     * @param message what went wrong, quoting ffmpeg/ffprobe where they explained it.
     */
    public record Failure(String code, String message)
    {
    }

    VideoRecord withStatus(final VideoStatus newStatus, final String now)
    {
        return new VideoRecord(videoId, newStatus, metadata, createdAt, now, publishedAt, source, jobIndex,
            durationSeconds, formats, captions, failure, thumbnails);
    }

    VideoRecord withMetadata(final VideoMetadata newMetadata, final String now)
    {
        return new VideoRecord(videoId, status, newMetadata, createdAt, now, publishedAt, source, jobIndex,
            durationSeconds, formats, captions, failure, thumbnails);
    }

    VideoRecord withSource(final String newSource, final String now)
    {
        return new VideoRecord(videoId, VideoStatus.PROCESSING, metadata, createdAt, now, publishedAt, newSource, -1,
            durationSeconds, formats, captions, null, thumbnails);
    }

    VideoRecord withJobIndex(final long index, final String now)
    {
        return new VideoRecord(videoId, status, metadata, createdAt, now, publishedAt, source, index,
            durationSeconds, formats, captions, failure, thumbnails);
    }

    VideoRecord published(final double duration, final List<Format> newFormats, final List<Thumbnail> images,
        final String now)
    {
        return new VideoRecord(videoId, VideoStatus.PUBLISHED, metadata, createdAt, now, now, source, jobIndex,
            duration, newFormats, captions, null, images);
    }

    VideoRecord failed(final Failure why, final String now)
    {
        return new VideoRecord(videoId, VideoStatus.FAILED, metadata, createdAt, now, publishedAt, source, jobIndex,
            durationSeconds, formats, captions, why, thumbnails);
    }

    VideoRecord withCaption(final String language, final String now)
    {
        final List<String> languages = new ArrayList<>(captions);
        if (!languages.contains(language))
        {
            languages.add(language);
        }
        return new VideoRecord(videoId, status, metadata, createdAt, now, publishedAt, source, jobIndex,
            durationSeconds, formats, languages, failure, thumbnails);
    }

    VideoRecord withoutCaption(final String language, final String now)
    {
        final List<String> languages = new ArrayList<>(captions);
        languages.remove(language);
        return new VideoRecord(videoId, status, metadata, createdAt, now, publishedAt, source, jobIndex,
            durationSeconds, formats, languages, failure, thumbnails);
    }
}
