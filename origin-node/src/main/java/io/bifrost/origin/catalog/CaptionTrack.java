package io.bifrost.origin.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks on an uploaded subtitle track before it is stored: the language tag is BCP-47-like (a 2-3 letter primary
 * language, then up to three subtags of 2-8 letters or digits, e.g. {@code en}, {@code pt-BR}, {@code zh-Hant-TW}),
 * and the body is UTF-8 WebVTT (W3C WebVTT section 4.1: optional BOM, then {@code WEBVTT} followed by a space, tab or
 * line end) of at most {@value #MAX_BYTES} bytes. Stateless.
 */
public final class CaptionTrack
{
    /** Largest subtitle file accepted, in bytes. */
    public static final int MAX_BYTES = 1024 * 1024;
    /** Longest language tag accepted. */
    public static final int MAX_LANGUAGE = 20;
    /** Prefix of a subtitle rendition's folder, e.g. {@code sub-en}. */
    public static final String RENDITION_PREFIX = "sub-";

    private static final byte[] BOM = {(byte)0xEF, (byte)0xBB, (byte)0xBF};
    private static final String MAGIC = "WEBVTT";

    private CaptionTrack()
    {
    }

    /**
     * @param language a language tag from a request path.
     * @return null when valid, else why not.
     */
    public static String languageProblem(final String language)
    {
        if (language == null || language.isEmpty() || language.length() > MAX_LANGUAGE)
        {
            return "language must be a tag of 2.." + MAX_LANGUAGE + " characters such as en or pt-BR";
        }
        int start = 0;
        int subtag = 0;
        while (start <= language.length())
        {
            int end = language.indexOf('-', start);
            end = end < 0 ? language.length() : end;
            final int length = end - start;
            if (subtag == 0 ? length < 2 || length > 3 || !letters(language, start, end) :
                subtag > 3 || length < 2 || length > 8 || !alphanumeric(language, start, end))
            {
                return "language must look like en, pt-BR or zh-Hant-TW (BCP 47)";
            }
            subtag++;
            start = end + 1;
        }
        return null;
    }

    /**
     * @param body the uploaded bytes.
     * @return null when valid, else why not.
     */
    public static String bodyProblem(final byte[] body)
    {
        if (body.length > MAX_BYTES)
        {
            return "subtitles are larger than " + MAX_BYTES + " bytes";
        }
        final int offset = body.length >= 3 && body[0] == BOM[0] && body[1] == BOM[1] && body[2] == BOM[2] ? 3 : 0;
        if (body.length - offset < MAGIC.length())
        {
            return "subtitles must be WebVTT: the file must start with WEBVTT";
        }
        for (int i = 0; i < MAGIC.length(); i++)
        {
            if (body[offset + i] != MAGIC.charAt(i))
            {
                return "subtitles must be WebVTT: the file must start with WEBVTT";
            }
        }
        final int after = offset + MAGIC.length();
        if (after < body.length && body[after] != ' ' && body[after] != '\t' && body[after] != '\n' && body[after] != '\r')
        {
            return "subtitles must be WebVTT: WEBVTT must be followed by a space, a tab or a line break";
        }
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body));
        }
        catch (final CharacterCodingException ex)
        {
            return "subtitles must be UTF-8 text";
        }
        return null;
    }

    /**
     * @param language a valid language tag.
     * @return the rendition folder of its subtitles, e.g. {@code sub-pt-BR}.
     */
    public static String rendition(final String language)
    {
        return RENDITION_PREFIX + language;
    }

    private static boolean letters(final String s, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanumeric(final String s, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }
        return true;
    }
}
