package io.bifrost.transcoder.probe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Locale;

/**
 * Reads the JSON of {@code ffprobe -print_format json -show_format -show_streams} into a {@link SourceInfo}.
 * <p>
 * The input is untrusted (ffprobe describes whatever a user uploaded, and a broken ffprobe run can print anything),
 * so the parser is bounded (document size, nesting depth, string and number lengths) and strict about types: every
 * field it needs is checked, anything else is ignored, and every failure is a {@link ProbeOutputException} naming
 * the field. It never throws anything else. Thread-safe.
 */
public final class ProbeOutputParser
{
    /** Largest ffprobe JSON accepted; real outputs for a few streams are a few KiB. */
    public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
    /** Streams looked at; files with more are still accepted, the rest are ignored. */
    static final int MAX_STREAMS = 256;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxDocumentLength(MAX_DOCUMENT_BYTES)
            .maxNestingDepth(32)
            .maxStringLength(256 * 1024)
            .maxNumberLength(64)
            .maxNameLength(1024)
            .build())
        .build());

    private ProbeOutputParser()
    {
    }

    /**
     * @param json ffprobe's standard output.
     * @return the source description (video and audio may be absent: validation is {@link SourceValidator}'s job).
     * @throws ProbeOutputException when the bytes are not a usable ffprobe description.
     */
    public static SourceInfo parse(final byte[] json) throws ProbeOutputException
    {
        if (json.length == 0)
        {
            throw new ProbeOutputException("ffprobe printed nothing");
        }
        if (json.length > MAX_DOCUMENT_BYTES)
        {
            throw new ProbeOutputException("ffprobe output is " + json.length + " bytes, more than " +
                MAX_DOCUMENT_BYTES);
        }
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(json);
        }
        catch (final JacksonException ex)
        {
            throw new ProbeOutputException("ffprobe output is not valid JSON: " + ex.getOriginalMessage(), ex);
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            throw new ProbeOutputException("ffprobe output could not be read: " + ex.getMessage(), ex);
        }
        if (root == null || !root.isObject())
        {
            throw new ProbeOutputException("ffprobe output is not a JSON object");
        }
        final JsonNode format = root.get("format");
        final JsonNode streams = root.get("streams");
        if (format == null && streams == null)
        {
            throw new ProbeOutputException("ffprobe output has neither 'format' nor 'streams'");
        }
        if (format != null && !format.isObject())
        {
            throw new ProbeOutputException("'format' is not an object");
        }
        if (streams != null && !streams.isArray())
        {
            throw new ProbeOutputException("'streams' is not an array");
        }

        VideoStreamInfo video = null;
        double videoDuration = 0;
        AudioStreamInfo audio = null;
        if (streams != null)
        {
            final int count = Math.min(streams.size(), MAX_STREAMS);
            for (int i = 0; i < count; i++)
            {
                final JsonNode stream = streams.get(i);
                if (!stream.isObject())
                {
                    throw new ProbeOutputException("streams[" + i + "] is not an object");
                }
                final String type = text(stream, "codec_type", "streams[" + i + "]");
                if ("video".equals(type) && video == null && !isAttachedPicture(stream))
                {
                    video = video(stream, "streams[" + i + "]");
                    videoDuration = decimal(stream, "duration", "streams[" + i + "]", 0);
                }
                else if ("audio".equals(type) && audio == null)
                {
                    audio = audio(stream, "streams[" + i + "]");
                }
            }
        }

        String container = "unknown";
        double duration = 0;
        long size = -1;
        if (format != null)
        {
            final String name = text(format, "format_name", "format");
            container = name != null ? name : container;
            duration = decimal(format, "duration", "format", 0);
            size = (long)Math.min(Long.MAX_VALUE, decimal(format, "size", "format", -1));
        }
        if (duration <= 0)
        {
            duration = videoDuration;
        }
        return new SourceInfo(container, duration, size, video, audio);
    }

    private static VideoStreamInfo video(final JsonNode stream, final String where) throws ProbeOutputException
    {
        final int width = integer(stream, "width", where);
        final int height = integer(stream, "height", where);
        final String codec = orUnknown(text(stream, "codec_name", where));
        final String pixelFormat = orUnknown(text(stream, "pix_fmt", where));
        final int bitDepth = bitDepth(text(stream, "bits_per_raw_sample", where), pixelFormat);
        final FrameRate avg = FrameRate.parseOrNull(text(stream, "avg_frame_rate", where));
        final FrameRate base = FrameRate.parseOrNull(text(stream, "r_frame_rate", where));
        final long frames = (long)decimal(stream, "nb_frames", where, -1);
        final SampleAspectRatio sar = SampleAspectRatio.parseOrSquare(text(stream, "sample_aspect_ratio", where));
        return new VideoStreamInfo(codec, width, height, rotation(stream, where), pixelFormat, bitDepth, avg, base,
            frames, sar);
    }

    private static AudioStreamInfo audio(final JsonNode stream, final String where) throws ProbeOutputException
    {
        final JsonNode channels = stream.get("channels");
        int channelCount = 0;
        if (channels != null)
        {
            if (!channels.canConvertToInt())
            {
                throw new ProbeOutputException(where + ".channels is not an integer");
            }
            channelCount = Math.max(0, channels.asInt());
        }
        final double rate = decimal(stream, "sample_rate", where, 0);
        return new AudioStreamInfo(orUnknown(text(stream, "codec_name", where)), channelCount,
            (int)Math.min(Integer.MAX_VALUE, Math.max(0, rate)));
    }

    private static boolean isAttachedPicture(final JsonNode stream)
    {
        final JsonNode disposition = stream.get("disposition");
        return disposition != null && disposition.isObject() && disposition.path("attached_pic").asInt(0) == 1;
    }

    /** Display matrix rotation (ffprobe 5+), else the legacy {@code rotate} tag; normalised to 0/90/180/270. */
    private static int rotation(final JsonNode stream, final String where) throws ProbeOutputException
    {
        double degrees = 0;
        final JsonNode sideData = stream.get("side_data_list");
        boolean found = false;
        if (sideData != null && sideData.isArray())
        {
            for (final JsonNode entry : sideData)
            {
                final JsonNode rotation = entry.get("rotation");
                if (rotation != null)
                {
                    if (!rotation.isNumber())
                    {
                        throw new ProbeOutputException(where + ".side_data_list rotation is not a number");
                    }
                    degrees = rotation.asDouble();
                    found = true;
                    break;
                }
            }
        }
        if (!found)
        {
            final JsonNode tags = stream.get("tags");
            if (tags != null && tags.isObject())
            {
                degrees = decimal(tags, "rotate", where + ".tags", 0);
            }
        }
        if (!Double.isFinite(degrees))
        {
            throw new ProbeOutputException(where + " rotation is not finite");
        }
        final long quarterTurns = Math.round(degrees / 90.0);
        return (int)(((quarterTurns % 4) + 4) % 4) * 90;
    }

    private static int bitDepth(final String bitsPerRawSample, final String pixelFormat)
    {
        if (bitsPerRawSample != null)
        {
            try
            {
                final int bits = Integer.parseInt(bitsPerRawSample);
                if (bits > 0 && bits <= 32)
                {
                    return bits;
                }
            }
            catch (final NumberFormatException ignore)
            {
                // fall back to the pixel format
            }
        }
        final String fmt = pixelFormat.toLowerCase(Locale.ROOT);
        if (fmt.endsWith("10le") || fmt.endsWith("10be") || fmt.equals("p010le") || fmt.equals("p010be"))
        {
            return 10;
        }
        if (fmt.endsWith("12le") || fmt.endsWith("12be"))
        {
            return 12;
        }
        if (fmt.endsWith("16le") || fmt.endsWith("16be"))
        {
            return 16;
        }
        return 8;
    }

    private static String orUnknown(final String value)
    {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    private static String text(final JsonNode node, final String field, final String where)
        throws ProbeOutputException
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isValueNode() || value.isBinary())
        {
            throw new ProbeOutputException(where + "." + field + " is not a scalar");
        }
        return value.asText();
    }

    private static int integer(final JsonNode node, final String field, final String where)
        throws ProbeOutputException
    {
        final JsonNode value = node.get(field);
        if (value == null)
        {
            throw new ProbeOutputException(where + " is a video stream without '" + field + "'");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt())
        {
            throw new ProbeOutputException(where + "." + field + " is not an integer: " + abbreviate(value));
        }
        return value.intValue();
    }

    /** ffprobe prints most numbers as strings ("6.000000"); accept both forms, refuse non-finite values. */
    private static double decimal(final JsonNode node, final String field, final String where, final double absent)
        throws ProbeOutputException
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return absent;
        }
        final double parsed;
        if (value.isNumber())
        {
            parsed = value.asDouble();
        }
        else if (value.isTextual())
        {
            final String text = value.asText();
            if ("N/A".equals(text))
            {
                return absent;
            }
            try
            {
                parsed = Double.parseDouble(text);
            }
            catch (final NumberFormatException ex)
            {
                throw new ProbeOutputException(where + "." + field + " is not a number: " + abbreviate(value), ex);
            }
        }
        else
        {
            throw new ProbeOutputException(where + "." + field + " is not a number: " + abbreviate(value));
        }
        if (!Double.isFinite(parsed) || parsed < 0)
        {
            throw new ProbeOutputException(where + "." + field + " is negative or not finite: " + abbreviate(value));
        }
        return parsed;
    }

    private static String abbreviate(final JsonNode value)
    {
        final String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
