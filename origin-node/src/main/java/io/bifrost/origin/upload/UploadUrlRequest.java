package io.bifrost.origin.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/videos/upload-url} (the seed's "Video Upload APIs"): {@code filename},
 * {@code file_size}, optional {@code content_type} and {@code duration}, and, as Bifrost extensions, the video
 * metadata {@code title}, {@code description}, {@code tags} (array of strings) and {@code visibility}, so one call
 * sets up everything the tus upload needs. Parsed with Jackson from at most {@link #MAX_BODY_BYTES}.
 *
 * @param fileSize the size of the file to upload, bytes.
 * @param metadata the validated metadata the upload carries.
 */
record UploadUrlRequest(long fileSize, UploadMetadata metadata)
{
    /** Largest request body read. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * @param json the mapper.
     * @param body the request body.
     * @return the request.
     * @throws UploadException 400 {@code request.invalid} (or a metadata code) naming the bad field; 415
     *                         {@code upload.not_video} when {@code content_type} says it is not a video.
     */
    static UploadUrlRequest parse(final ObjectMapper json, final byte[] body) throws UploadException
    {
        final JsonNode root;
        try
        {
            root = json.readTree(body);
        }
        catch (final IOException ex)
        {
            throw invalid("the body must be a JSON object: " + firstLine(ex.getMessage()));
        }
        if (root == null || !root.isObject())
        {
            throw invalid("the body must be a JSON object");
        }
        final JsonNode size = root.get("file_size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber())
        {
            throw invalid("file_size must be an integer number of bytes");
        }
        final JsonNode duration = root.get("duration");
        if (duration != null && !duration.isNull() && (!duration.isNumber() || duration.asDouble() < 0))
        {
            throw invalid("duration must be a non-negative number of seconds");
        }
        final Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("filename", requiredText(root, "filename"));
        final String contentType = optionalText(root, "content_type");
        if (contentType != null && !contentType.isEmpty())
        {
            final String type = contentType.toLowerCase(Locale.ROOT);
            if (!type.startsWith("video/") && !type.startsWith("application/octet-stream") &&
                !type.startsWith("application/x-matroska") && !type.startsWith("application/mxf"))
            {
                throw new UploadException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "upload.not_video",
                    "content_type '" + contentType + "' is not a video type");
            }
            pairs.put("filetype", contentType);
        }
        pairs.put("title", optionalText(root, "title"));
        pairs.put("description", optionalText(root, "description"));
        pairs.put("visibility", optionalText(root, "visibility"));
        final JsonNode tags = root.get("tags");
        if (tags != null && !tags.isNull())
        {
            if (!tags.isArray())
            {
                throw invalid("tags must be an array of strings");
            }
            final StringBuilder joined = new StringBuilder();
            for (final JsonNode tag : tags)
            {
                if (!tag.isTextual() || tag.asText().indexOf(',') >= 0)
                {
                    throw invalid("each tag must be a string without commas");
                }
                joined.append(joined.length() == 0 ? "" : ",").append(tag.asText());
            }
            pairs.put("tags", joined.toString());
        }
        return new UploadUrlRequest(size.asLong(), UploadMetadata.of(pairs));
    }

    private static String requiredText(final JsonNode root, final String field) throws UploadException
    {
        final String value = optionalText(root, field);
        if (value == null || value.isBlank())
        {
            throw invalid(field + " is required");
        }
        return value;
    }

    private static String optionalText(final JsonNode root, final String field) throws UploadException
    {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull())
        {
            return null;
        }
        if (!node.isTextual())
        {
            throw invalid(field + " must be a string");
        }
        return node.asText();
    }

    private static UploadException invalid(final String message)
    {
        return UploadException.badRequest("request.invalid", message);
    }

    private static String firstLine(final String message)
    {
        final String text = message == null ? "unreadable" : message;
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
