package io.bifrost.protocol.naming;

/**
 * Why {@link ContentKeyParser} refused a request path. Each reason has a stable machine code (for the API error
 * envelope, logs and counters) and a human message; neither includes the offending input, so neither allocates.
 */
public enum PathRejection implements PathParseResult
{
    /**
     * The path is null or empty.
     */
    EMPTY("path.empty", "path is empty"),

    /**
     * The path is longer than {@link ContentKeyParser#MAX_PATH_LENGTH}; checked before anything else.
     */
    TOO_LONG("path.too_long", "path is longer than " + ContentKeyParser.MAX_PATH_LENGTH + " characters"),

    /**
     * The path does not start with {@code /}.
     */
    NOT_ABSOLUTE("path.relative", "path must be absolute (start with '/')"),

    /**
     * The path contains {@code ?} or {@code #}: the query must be stripped before parsing, fragments never arrive.
     */
    QUERY_OR_FRAGMENT("path.query", "path contains '?' or '#'; strip the query string before parsing"),

    /**
     * The path contains {@code %}: valid names never need percent-encoding, so encoded slashes or dots are refused.
     */
    PERCENT_ENCODED("path.percent_encoded", "path contains '%'; content names are never percent-encoded"),

    /**
     * The path contains a backslash.
     */
    BACKSLASH("path.backslash", "path contains a backslash"),

    /**
     * The path contains a control character (below 0x20, or DEL) or a character outside ASCII.
     */
    ILLEGAL_CHARACTER("path.illegal_character", "path contains a control or non-ASCII character"),

    /**
     * The path contains {@code //}.
     */
    EMPTY_SEGMENT("path.empty_segment", "path contains an empty segment ('//')"),

    /**
     * The path contains a {@code .} or {@code ..} segment.
     */
    TRAVERSAL("path.traversal", "path contains a '.' or '..' segment"),

    /**
     * The path ends with {@code /}.
     */
    TRAILING_SLASH("path.trailing_slash", "path ends with '/'"),

    /**
     * The first segment is neither {@code live} nor {@code vod}.
     */
    UNKNOWN_SCOPE("path.unknown_scope", "path must start with /live/ or /vod/"),

    /**
     * The stream or video id has a character outside {@code [A-Za-z0-9_-]}.
     */
    BAD_ID("path.bad_id", "stream or video id may only contain A-Z, a-z, 0-9, '_' and '-'"),

    /**
     * The stream or video id is longer than {@link ContentKey#MAX_ID_LENGTH}.
     */
    ID_TOO_LONG("path.id_too_long", "stream or video id is longer than " + ContentKey.MAX_ID_LENGTH + " characters"),

    /**
     * The rendition has a character outside {@code [A-Za-z0-9_-]}.
     */
    BAD_RENDITION("path.bad_rendition", "rendition may only contain A-Z, a-z, 0-9, '_' and '-'"),

    /**
     * The rendition is longer than {@link ContentKey#MAX_RENDITION_LENGTH}.
     */
    RENDITION_TOO_LONG(
        "path.rendition_too_long", "rendition is longer than " + ContentKey.MAX_RENDITION_LENGTH + " characters"),

    /**
     * The file name is none of {@code master.m3u8}, {@code manifest.mpd} (after the id) or {@code index.m3u8},
     * {@code init.mp4}, {@code *.m4s} (after the rendition).
     */
    UNKNOWN_FILE("path.unknown_file", "unknown file name"),

    /**
     * A {@code .m4s} name has the wrong shape for its scope: live needs {@code {epoch}-{msn}[.{part}].m4s}, VOD needs
     * {@code {msn}.m4s} (no epoch, no parts).
     */
    WRONG_SEGMENT_FORM(
        "path.segment_form",
        "live segments are {epoch}-{msn}.m4s or {epoch}-{msn}.{part}.m4s, VOD segments are {msn}.m4s"),

    /**
     * A number is empty, has a non-digit or sign, or has a leading zero.
     */
    BAD_NUMBER("path.bad_number", "numbers must be decimal digits without sign or leading zeros"),

    /**
     * An epoch or media sequence number does not fit in a signed 64-bit integer.
     */
    NUMBER_OVERFLOW("path.number_overflow", "epoch or media sequence number is larger than " + Long.MAX_VALUE),

    /**
     * A part number is larger than {@link ContentKey#MAX_PART}.
     */
    PART_OUT_OF_RANGE("path.part_out_of_range", "part number must be between 0 and " + ContentKey.MAX_PART),

    /**
     * Fewer segments than the shortest name ({@code /{scope}/{id}/master.m3u8}), or a rendition file without its
     * rendition.
     */
    TOO_FEW_SEGMENTS("path.too_few_segments", "path has too few segments"),

    /**
     * More segments than the longest name ({@code /{scope}/{id}/{rendition}/{file}}).
     */
    TOO_MANY_SEGMENTS("path.too_many_segments", "path has too many segments");

    private final String code;
    private final String message;

    PathRejection(final String code, final String message)
    {
        this.code = code;
        this.message = message;
    }

    /**
     * @return stable machine-readable code, e.g. {@code path.traversal}; never changes once released.
     */
    public String code()
    {
        return code;
    }

    /**
     * @return human-readable explanation, for the error envelope's {@code message}.
     */
    public String message()
    {
        return message;
    }
}
