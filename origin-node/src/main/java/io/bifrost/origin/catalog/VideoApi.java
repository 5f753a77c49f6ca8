package io.bifrost.origin.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.http.ApiRequest;
import io.bifrost.origin.http.ApiResponse;
import io.bifrost.origin.http.ApiRouter;
import io.bifrost.transcoder.ffmpeg.TranscodeProgress;
import io.bifrost.transcoder.protection.ContentProtection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The video part of the public API (seed: {@code GET /api/v1/videos/{video_id}}), registered on an {@link ApiRouter}:
 * <pre>
 * GET    /api/v1/videos[?limit=N]                  videos that are not deleted, newest first (N 1..500, default 100)
 * GET    /api/v1/videos/{id}                       one video: status, formats, thumbnails, captions, progress, error
 * DELETE /api/v1/videos/{id}                       delete it and every rendition
 * POST   /api/v1/videos/{id}/metadata              JSON: title, description, tags, visibility, language (absent
 *                                                  fields are kept; thumbnail_timestamp and protection until published)
 * PUT    /api/v1/videos/{id}/captions/{lang}       WebVTT body; listed in the HLS master and the MPD
 * DELETE /api/v1/videos/{id}/captions/{lang}
 * </pre>
 * URLs in responses are {@code publicBaseUrl} + the content path (the URL layout of DESIGN.md section 3), so they
 * point at the CDN when one fronts the origin. Stateless; handlers block on the store.
 */
public final class VideoApi
{
    private static final String VIDEOS = "/api/v1/videos";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 500;

    private final VideoCatalog catalog;
    private final CaptionCatalog captions;
    private final String publicBaseUrl;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param catalog       the catalog.
     * @param captions      caption operations.
     * @param publicBaseUrl prefix of content URLs in responses, e.g. {@code https://cdn.example.com}, or empty for
     *                      origin-relative paths.
     */
    public VideoApi(final VideoCatalog catalog, final CaptionCatalog captions, final String publicBaseUrl)
    {
        this.catalog = catalog;
        this.captions = captions;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ?
            publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    /**
     * @param router where the routes go.
     */
    public void register(final ApiRouter router)
    {
        router.add("GET", VIDEOS, this::list)
            .add("GET", VIDEOS + "/{id}", this::get)
            .add("DELETE", VIDEOS + "/{id}", this::delete)
            .add("POST", VIDEOS + "/{id}/metadata", this::updateMetadata)
            .add("PUT", VIDEOS + "/{id}/captions/{lang}", this::putCaption)
            .add("DELETE", VIDEOS + "/{id}/captions/{lang}", this::deleteCaption);
    }

    private ApiResponse list(final ApiRequest request)
    {
        int limit = DEFAULT_LIMIT;
        final String asked = request.query().get("limit");
        if (asked != null)
        {
            try
            {
                limit = Integer.parseInt(asked);
            }
            catch (final NumberFormatException ex)
            {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT)
            {
                return ApiResponse.error(400, "api.limit", "limit must be between 1 and " + MAX_LIMIT);
            }
        }
        final List<Map<String, Object>> videos = new ArrayList<>();
        for (final VideoRecord record : catalog.list(limit))
        {
            videos.add(view(record));
        }
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("videos", videos);
        data.put("count", videos.size());
        return ApiResponse.ok(data);
    }

    private ApiResponse get(final ApiRequest request)
    {
        final VideoRecord record = catalog.find(request.parameter("id"));
        if (record == null)
        {
            return notFound(request.parameter("id"));
        }
        if (record.status() == VideoStatus.DELETED)
        {
            return ApiResponse.error(410, "video.deleted", "video " + record.videoId() + " was deleted");
        }
        return ApiResponse.ok(view(record));
    }

    private ApiResponse delete(final ApiRequest request)
    {
        final String videoId = request.parameter("id");
        if (!catalog.delete(videoId))
        {
            return notFound(videoId);
        }
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("video_id", videoId);
        data.put("status", VideoStatus.DELETED.apiName());
        return ApiResponse.ok(data);
    }

    private ApiResponse updateMetadata(final ApiRequest request)
    {
        final VideoRecord record = catalog.find(request.parameter("id"));
        if (record == null)
        {
            return notFound(request.parameter("id"));
        }
        final JsonNode body;
        try
        {
            body = json.readTree(request.body());
        }
        catch (final JsonProcessingException ex)
        {
            return ApiResponse.error(400, "api.json", "the body is not JSON: " + ex.getOriginalMessage());
        }
        catch (final IOException ex)
        {
            return ApiResponse.error(400, "api.json", "the body cannot be read: " + ex.getMessage());
        }
        if (body == null || !body.isObject())
        {
            return ApiResponse.error(400, "api.json", "the body must be a JSON object");
        }
        final VideoMetadata old = record.metadata();
        try
        {
            final Double posterAt = posterTime(body, old.thumbnailTimestamp());
            if (record.status() == VideoStatus.PUBLISHED && !Objects.equals(posterAt, old.thumbnailTimestamp()))
            {
                return ApiResponse.error(409, "video.thumbnail_published", "thumbnail_timestamp can change only " +
                    "before the title is published (the poster is made during the transcode); this one is published");
            }
            final String protection = text(body, "protection", old.protection());
            if (record.status() == VideoStatus.PUBLISHED && !Objects.equals(protection, old.protection()))
            {
                return ApiResponse.error(409, "video.protection_published", "protection can change only before " +
                    "the title is transcoded; this one is published");
            }
            final VideoMetadata updated = new VideoMetadata(text(body, "title", old.title()),
                text(body, "description", old.description()), tags(body, old.tags()),
                text(body, "visibility", old.visibility()), text(body, "language", old.language()), posterAt,
                protection);
            return ApiResponse.ok(view(catalog.updateMetadata(record.videoId(), updated)));
        }
        catch (final IllegalArgumentException ex)
        {
            return ApiResponse.error(400, "video.metadata", ex.getMessage());
        }
        catch (final CatalogException ex)
        {
            return refusal(ex);
        }
    }

    private static Double posterTime(final JsonNode body, final Double current)
    {
        final JsonNode value = body.get("thumbnail_timestamp");
        if (value == null)
        {
            return current;
        }
        if (value.isNull())
        {
            return null;
        }
        if (!value.isNumber())
        {
            throw new IllegalArgumentException("thumbnail_timestamp must be a number of seconds");
        }
        return value.asDouble();
    }

    private static String text(final JsonNode body, final String field, final String current)
    {
        final JsonNode value = body.get(field);
        if (value == null || value.isNull())
        {
            return current;
        }
        if (!value.isTextual())
        {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.asText();
    }

    private static List<String> tags(final JsonNode body, final List<String> current)
    {
        final JsonNode value = body.get("tags");
        if (value == null || value.isNull())
        {
            return current;
        }
        if (!value.isArray() || value.size() > VideoMetadata.MAX_TAGS)
        {
            throw new IllegalArgumentException("tags must be an array of at most " + VideoMetadata.MAX_TAGS + " strings");
        }
        final List<String> tags = new ArrayList<>();
        for (final JsonNode tag : value)
        {
            if (!tag.isTextual())
            {
                throw new IllegalArgumentException("tags must be strings");
            }
            tags.add(tag.asText());
        }
        return tags;
    }

    private ApiResponse putCaption(final ApiRequest request)
    {
        try
        {
            return ApiResponse.ok(view(captions.putCaption(request.parameter("id"), request.parameter("lang"),
                request.body())));
        }
        catch (final CatalogException ex)
        {
            return refusal(ex);
        }
    }

    private ApiResponse deleteCaption(final ApiRequest request)
    {
        try
        {
            if (!captions.deleteCaption(request.parameter("id"), request.parameter("lang")))
            {
                return ApiResponse.error(404, "caption.not_found", "no " + request.parameter("lang") +
                    " captions on video " + request.parameter("id"));
            }
            return ApiResponse.ok(view(catalog.find(request.parameter("id"))));
        }
        catch (final CatalogException ex)
        {
            return refusal(ex);
        }
    }

    /**
     * @param record a record.
     * @return the seed's video shape for it.
     */
    Map<String, Object> view(final VideoRecord record)
    {
        final String base = publicBaseUrl + "/vod/" + record.videoId() + "/";
        final Map<String, Object> view = new LinkedHashMap<>();
        view.put("video_id", record.videoId());
        view.put("title", record.metadata().title());
        view.put("description", record.metadata().description());
        view.put("tags", record.metadata().tags());
        view.put("visibility", record.metadata().visibility());
        view.put("language", record.metadata().language());
        view.put("thumbnail_timestamp", record.metadata().thumbnailTimestamp());
        view.put("protection", record.metadata().protection());
        view.put("status", record.status().apiName());
        view.put("duration", Math.round(record.durationSeconds() * 1000) / 1000.0);
        view.put("upload_date", record.createdAt());
        view.put("updated_at", record.updatedAt());
        if (record.publishedAt() != null)
        {
            view.put("published_at", record.publishedAt());
        }
        final List<Map<String, Object>> formats = new ArrayList<>();
        final List<Map<String, Object>> thumbnails = new ArrayList<>();
        final List<Map<String, Object>> captionList = new ArrayList<>();
        if (record.status() == VideoStatus.PUBLISHED)
        {
            final ContentProtection protection = ContentProtection.parse(record.metadata().protection());
            final Map<String, Object> manifests = new LinkedHashMap<>();
            if (protection.hasHls())
            {
                manifests.put("hls", base + "master.m3u8");
            }
            if (protection.hasDash())
            {
                manifests.put("dash", base + "manifest.mpd");
            }
            view.put("manifests", manifests);
            if (protection == ContentProtection.AES_128)
            {
                view.put("key_url", publicBaseUrl + KeyPaths.hlsKey(record.videoId()));
            }
            else if (protection == ContentProtection.CLEARKEY)
            {
                view.put("license_url", publicBaseUrl + KeyPaths.clearKeyLicense(record.videoId()));
            }
            for (final VideoRecord.Format format : record.formats())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("quality", format.name());
                entry.put("width", format.width());
                entry.put("height", format.height());
                entry.put("bitrate", format.averageBandwidthBps() / 1000);
                entry.put("peak_bitrate", format.bandwidthBps() / 1000);
                entry.put("codecs", format.codecs());
                entry.put("frame_rate", format.frameRate());
                entry.put("format", "hls");
                entry.put("url", base + format.name() + "/index.m3u8");
                formats.add(entry);
            }
            for (final VideoRecord.Thumbnail image : record.thumbnails())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("kind", image.kind());
                entry.put("url", base + "thumbnails/" + image.file());
                entry.put("width", image.width());
                entry.put("height", image.height());
                thumbnails.add(entry);
            }
            view.put("scrubbing_track", base + "thumbnails/sprite.vtt");
            view.put("preview", base + "thumbnails/preview.mp4");
            for (final String language : record.captions())
            {
                captionList.add(Map.of("language", language,
                    "url", base + CaptionTrack.rendition(language) + "/" + CaptionManifests.SUBTITLES_FILE));
            }
        }
        view.put("formats", formats);
        view.put("thumbnails", thumbnails);
        view.put("captions", captionList);
        final TranscodeProgress progress = catalog.progress(record.videoId());
        if (record.status() == VideoStatus.PROCESSING)
        {
            final Map<String, Object> live = new LinkedHashMap<>();
            live.put("percent", progress == null ? 0.0 : Math.round(progress.percent() * 10) / 10.0);
            live.put("fps", progress == null ? 0.0 : Math.round(progress.framesPerSecond() * 10) / 10.0);
            live.put("speed", progress == null ? 0.0 : Math.round(progress.speed() * 100) / 100.0);
            live.put("frame", progress == null ? 0 : progress.frame());
            view.put("progress", live);
        }
        if (record.failure() != null)
        {
            view.put("error", Map.of("code", record.failure().code(), "message", record.failure().message()));
        }
        return view;
    }

    private static ApiResponse notFound(final String videoId)
    {
        return ApiResponse.error(404, "video.not_found", "no video " + videoId);
    }

    private static ApiResponse refusal(final CatalogException ex)
    {
        final int status = switch (ex.kind())
        {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case GONE -> 410;
        };
        return ApiResponse.error(status, ex.code(), ex.getMessage());
    }
}
